// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli account add | list | test
#include "cli.h"
#include "profile.h"

#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "sync/accountcheck.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace tern::cli {

using namespace tern::accounts;

namespace {

const QString kAddUsage = QStringLiteral(
    "account add NAME --email ADDR [--display-name TEXT] --incoming imap|pop3 --incoming-host H "
    "--incoming-port P --incoming-security tls|starttls|none --smtp-host H --smtp-port P "
    "--smtp-security tls|starttls|none --user U --password-stdin [--ca-file PEM]");

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value == 0 || value > 65535)
        return false;
    *port = quint16(value);
    return true;
}

int addAccount(const Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const auto opt = [&](const char *name) {
        QCommandLineOption o(QString::fromLatin1(name), QString(), QStringLiteral("value"));
        p.addOption(o);
        return o;
    };
    const QCommandLineOption email = opt("email"), displayName = opt("display-name"), incoming = opt("incoming"),
                             inHost = opt("incoming-host"), inPort = opt("incoming-port"),
                             inSecurity = opt("incoming-security"), smtpHost = opt("smtp-host"),
                             smtpPort = opt("smtp-port"), smtpSecurity = opt("smtp-security"), user = opt("user"),
                             caFile = opt("ca-file");
    const QCommandLineOption passwordStdin(QStringLiteral("password-stdin"));
    p.addOption(passwordStdin);
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, args, kAddUsage))
        return Usage;
    if (p.positionalArguments().size() != 1)
        return fail(QStringLiteral("give exactly one account NAME (usage: tern-cli %1)").arg(kAddUsage), Usage);
    for (const auto &required : {email, incoming, inHost, inPort, inSecurity, smtpHost, smtpPort, smtpSecurity, user}) {
        if (!p.isSet(required))
            return fail(QStringLiteral("--%1 is required (usage: tern-cli %2)").arg(required.names().first(), kAddUsage),
                        Usage);
    }
    if (!p.isSet(passwordStdin))
        return fail(QStringLiteral("--password-stdin is required: passwords never go on the command line"), Usage);

    Account account;
    account.name = p.positionalArguments().first();
    account.identities.append({p.value(displayName), p.value(email), QString()});
    if (!parseProtocol(p.value(incoming), &account.incomingProtocol))
        return fail(QStringLiteral("--incoming must be imap or pop3"), Usage);
    account.incoming.host = p.value(inHost);
    account.smtp.host = p.value(smtpHost);
    if (!parsePort(p.value(inPort), &account.incoming.port) || !parsePort(p.value(smtpPort), &account.smtp.port))
        return fail(QStringLiteral("ports must be numbers from 1 to 65535"), Usage);
    if (!parseSecurity(p.value(inSecurity), &account.incoming.security)
        || !parseSecurity(p.value(smtpSecurity), &account.smtp.security))
        return fail(QStringLiteral("security must be tls, starttls or none"), Usage);
    account.incoming.user = account.smtp.user = p.value(user);
    if (p.isSet(caFile)) {
        const QFileInfo ca(p.value(caFile));
        if (!ca.isReadable())
            return fail(QStringLiteral("cannot read the CA file %1").arg(p.value(caFile)), Usage);
        account.caFile = ca.absoluteFilePath();
    }

    QByteArray password = readAllStdin();
    while (password.endsWith('\n') || password.endsWith('\r'))
        password.chop(1);
    if (password.isEmpty())
        return fail(QStringLiteral("no password on standard input"), Usage);

    const core::Profile profile(ctx.profileDirectory);
    QString error;
    if (!profile.ensureExists(&error))
        return fail(error);
    AccountStore store(profile.directory());
    if (!store.load())
        return fail(store.error());
    if (!store.add(account))
        return fail(QStringLiteral("cannot add the account: %1").arg(store.error()), Usage);
    SecretStore secrets(profile.directory(), qgetenv("TERN_PRIMARY_PASSWORD"));
    if (!secrets.store(account.incomingSecretKey(), password) || !secrets.store(account.smtpSecretKey(), password))
        return fail(QStringLiteral("cannot store the password: %1").arg(secrets.error()));
    if (!store.save())
        return fail(store.error());
    return Ok;
}

int listAccounts(const Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    p.addOption(json);
    if (!parseArgs(p, args, QStringLiteral("account list [--json]")))
        return Usage;
    AccountStore store(core::Profile(ctx.profileDirectory).directory());
    if (!store.load())
        return fail(store.error());
    if (p.isSet(json)) {
        QJsonArray list;
        for (const Account &account : store.accounts())
            list.append(account.toJson());
        printOut(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented)));
        return Ok;
    }
    for (const Account &account : store.accounts()) {
        printOut(QStringLiteral("%1\t%2\t%3 %4:%5 (%6)\tsmtp %7:%8 (%9)")
                     .arg(account.name, account.identities.value(0).address, protocolName(account.incomingProtocol),
                          account.incoming.host, QString::number(account.incoming.port),
                          securityName(account.incoming.security), account.smtp.host,
                          QString::number(account.smtp.port), securityName(account.smtp.security)));
    }
    return Ok;
}

// Connects and authenticates to the incoming server, then to SMTP; one report block per server.
int testAccount(const Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, args, QStringLiteral("account test NAME")))
        return Usage;
    if (p.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: tern-cli account test NAME"), Usage);
    QByteArray incomingSecret, smtpSecret;
    int code = Ok;
    const auto account = loadAccount(ctx, p.positionalArguments().first(), &incomingSecret, &smtpSecret, &code);
    if (!account)
        return code;
    sync::AccountCheck check(*account, incomingSecret, smtpSecret);
    QEventLoop loop;
    QObject::connect(&check, &sync::AccountCheck::finished, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    if (check.error() != sync::AccountCheck::Error::None)
        return fail(check.errorString());
    for (const sync::AccountCheck::ServerReport &r : check.reports()) {
        printOut(QStringLiteral("%1 %2: ok").arg(r.role, r.address));
        printOut(QStringLiteral("  tls: %1").arg(r.tls));
        printOut(QStringLiteral("  login: %1").arg(r.login.isEmpty() ? QStringLiteral("none") : r.login));
        printOut(QStringLiteral("  mechanisms: %1").arg(r.mechanisms.join(QLatin1Char(' '))));
        printOut(QStringLiteral("  capabilities: %1").arg(r.capabilities.join(QStringLiteral(", "))));
    }
    return Ok;
}

} // namespace

int accountCommand(const Context &ctx)
{
    QStringList args = ctx.args;
    const QString sub = args.isEmpty() ? QString() : args.takeFirst();
    if (sub == QLatin1StringView("add"))
        return addAccount(ctx, args);
    if (sub == QLatin1StringView("list"))
        return listAccounts(ctx, args);
    if (sub == QLatin1StringView("test"))
        return testAccount(ctx, args);
    return fail(QStringLiteral("usage: tern-cli account add|list|test ..."), Usage);
}

} // namespace tern::cli
