// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli sync: IMAP brings the folder list and message summaries (bodies come on demand, with `show`, or
// with --offline-bodies for the account's offline folders); POP3 downloads new mail into the local Inbox.
#include "cli.h"
#include "profile.h"

#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "store/store.h"
#include "sync/imapofflinebodies.h"
#include "sync/imapsync.h"
#include "sync/pop3fetch.h"

#include <QEventLoop>
#include <QTextStream>

namespace tern::cli {

// Loads NAME and its incoming secret; prints the error and returns nullopt otherwise.
std::optional<accounts::Account> loadAccount(const Context &ctx, const QString &name, QByteArray *incomingSecret,
                                             QByteArray *smtpSecret, int *code)
{
    const core::Profile profile(ctx.profileDirectory);
    accounts::AccountStore accounts(profile.directory());
    if (!accounts.load()) {
        *code = fail(accounts.error());
        return std::nullopt;
    }
    auto account = accounts.find(name);
    if (!account) {
        *code = fail(QStringLiteral("no account named \"%1\" (see: tern-cli account list)").arg(name), Usage);
        return std::nullopt;
    }
    accounts::SecretStore secrets(profile.directory(), qgetenv("TERN_PRIMARY_PASSWORD"));
    for (auto [key, out] : {std::pair{account->incomingSecretKey(), incomingSecret},
                            std::pair{account->smtpSecretKey(), smtpSecret}}) {
        if (!out)
            continue;
        const auto secret = secrets.load(key);
        if (!secret) {
            *code = fail(QStringLiteral("cannot read the password of \"%1\": %2").arg(name, secrets.error()));
            return std::nullopt;
        }
        *out = *secret;
    }
    return account;
}

namespace {

// The bodies of the offline folders, after their summaries are in.
int downloadOfflineBodies(const Context &ctx, const accounts::Account &account, const QByteArray &password)
{
    store::Store store;
    if (!store.open(core::Profile(ctx.profileDirectory).filePath(QStringLiteral("store.sqlite"))))
        return fail(QStringLiteral("cannot open the mail store: %1").arg(store.error()));
    sync::ImapOfflineBodies run(account, password, &store);
    QEventLoop loop;
    QObject::connect(&run, &sync::ImapOfflineBodies::finished, &loop, &QEventLoop::quit);
    run.start();
    loop.exec();
    if (run.error() != sync::ImapOfflineBodies::Error::None)
        return fail(run.errorString());
    printOut(QStringLiteral("%1: %2 messages kept for offline reading").arg(account.name).arg(run.downloadedCount()));
    for (const QString &f : run.skippedFolders())
        fail(QStringLiteral("warning: %1 changed on the server during the sync; its bodies come with the next sync").arg(f), Ok);
    return Ok;
}

int syncImap(const Context &ctx, const accounts::Account &account, const QByteArray &password, const QString &folder,
             bool offlineBodies)
{
    sync::ImapSync run(account, password, core::Profile(ctx.profileDirectory).filePath(QStringLiteral("store.sqlite")));
    if (!folder.isEmpty())
        run.setFolder(folder);
    QEventLoop loop;
    QObject::connect(&run, &sync::ImapSync::finished, &loop, &QEventLoop::quit);
    // The offline journal replays before the sync; what the server could not take is said, not dropped.
    QObject::connect(&run, &sync::ImapSync::journalConflict, &loop, [](qint64, const QString &reason) {
        QTextStream(stderr) << "tern-cli: offline change not applied: " << reason << '\n';
    });
    run.start();
    loop.exec();
    if (run.error() != sync::ImapSync::Error::None)
        return fail(run.errorString());
    printOut(QStringLiteral("%1: %2 folders synced, %3 new, %4 flags updated, %5 removed")
                 .arg(account.name)
                 .arg(run.folderCount())
                 .arg(run.addedCount())
                 .arg(run.updatedCount())
                 .arg(run.removedCount()));
    return offlineBodies ? downloadOfflineBodies(ctx, account, password) : Ok;
}

} // namespace

int syncCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption folder(QStringLiteral("folder"), QString(), QStringLiteral("F"));
    const QCommandLineOption offlineBodies(QStringLiteral("offline-bodies"));
    p.addOption(folder);
    p.addOption(offlineBodies);
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, ctx.args, QStringLiteral("sync NAME [--folder F] [--offline-bodies]")))
        return Usage;
    if (p.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: tern-cli sync NAME [--folder F] [--offline-bodies]"), Usage);
    const QString name = p.positionalArguments().first();

    QByteArray password;
    int code = Ok;
    const auto account = loadAccount(ctx, name, &password, nullptr, &code);
    if (!account)
        return code;
    if (account->incomingProtocol == accounts::IncomingProtocol::Imap)
        return syncImap(ctx, *account, password, p.isSet(folder) ? p.value(folder) : QString(), p.isSet(offlineBodies));
    if (p.isSet(folder) && p.value(folder) != QLatin1StringView("INBOX"))
        return fail(QStringLiteral("a POP3 account has only INBOX"), Usage);

    store::Store store;
    if (!store.open(core::Profile(ctx.profileDirectory).filePath(QStringLiteral("store.sqlite"))))
        return fail(QStringLiteral("cannot open the mail store: %1").arg(store.error()));
    sync::Pop3Fetch fetch(*account, password, &store);
    QEventLoop loop;
    QObject::connect(&fetch, &sync::Pop3Fetch::finished, &loop, &QEventLoop::quit);
    fetch.start();
    loop.exec();
    if (fetch.error() != sync::Pop3Fetch::Error::None)
        return fail(fetch.errorString());
    printOut(QStringLiteral("%1: %2 new, %3 deleted on the server, %4 skipped")
                 .arg(name)
                 .arg(fetch.downloadedCount())
                 .arg(fetch.deletedCount())
                 .arg(fetch.skippedCount()));
    return Ok;
}

} // namespace tern::cli
