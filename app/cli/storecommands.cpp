// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli folders | list | search | show --raw: reading what sync put into the local store.
#include "cli.h"
#include "profile.h"

#include "accounts/accountstore.h"
#include "mime/message.h"
#include "models/messagejson.h"
#include "store/store.h"
#include "sync/imapfetchbody.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimeZone>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tern::cli {

int showMessage(const Context &ctx, const QString &account, const QString &folderPath, qint64 id, bool raw);

namespace {

QJsonArray flagNames(const store::MessageSummary &m)
{
    QJsonArray flags;
    const std::pair<quint32, const char *> system[] = {{store::Seen, "\\Seen"},       {store::Answered, "\\Answered"},
                                                       {store::Flagged, "\\Flagged"}, {store::Deleted, "\\Deleted"},
                                                       {store::Draft, "\\Draft"},     {store::Forwarded, "$Forwarded"}};
    for (const auto &[bit, name] : system) {
        if (m.flags & bit)
            flags.append(QString::fromLatin1(name));
    }
    for (const QString &keyword : m.keywords)
        flags.append(keyword);
    return flags;
}

QString isoDate(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs, QTimeZone::UTC).toString(Qt::ISODate);
}

QJsonObject listEntry(const store::MessageSummary &m)
{
    const QString from = m.fromName.isEmpty() ? m.fromAddress
                                              : QStringLiteral("%1 <%2>").arg(m.fromName, m.fromAddress);
    return {{QStringLiteral("id"), m.id},
            {QStringLiteral("uid"), m.uid},
            {QStringLiteral("from"), from},
            {QStringLiteral("to"), m.to},
            {QStringLiteral("subject"), m.subject},
            {QStringLiteral("date"), isoDate(m.date)},
            {QStringLiteral("flags"), flagNames(m)},
            {QStringLiteral("size"), m.size},
            {QStringLiteral("has_attachments"), m.hasAttachments}};
}

// Opens the profile's store for an existing account; prints the error and returns false otherwise.
bool openAccountStore(const Context &ctx, const QString &account, store::Store *store)
{
    const core::Profile profile(ctx.profileDirectory);
    accounts::AccountStore accounts(profile.directory());
    if (!accounts.load()) {
        fail(accounts.error());
        return false;
    }
    if (!accounts.find(account)) {
        fail(QStringLiteral("no account named \"%1\" (see: tern-cli account list)").arg(account), Usage);
        return false;
    }
    if (!store->open(profile.filePath(QStringLiteral("store.sqlite")))) {
        fail(QStringLiteral("cannot open the mail store: %1").arg(store->error()));
        return false;
    }
    return true;
}

std::optional<store::Folder> findFolder(store::Store &store, const QString &account, const QString &path)
{
    auto folder = store.folder(account, path);
    if (!folder)
        fail(QStringLiteral("no folder \"%1\" in account \"%2\" (run: tern-cli sync \"%2\")").arg(path, account));
    return folder;
}

void printJson(const QJsonValue &value)
{
    printOut(QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
                                               : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)));
}

} // namespace

int foldersCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    p.addOption(json);
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, ctx.args, QStringLiteral("folders NAME [--json]")))
        return Usage;
    if (p.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: tern-cli folders NAME [--json]"), Usage);
    const QString account = p.positionalArguments().first();
    store::Store store;
    if (!openAccountStore(ctx, account, &store))
        return Failed;
    QJsonArray list;
    for (const store::Folder &f : store.folders(account)) {
        const qint64 total = store.messageCount(f.id);
        const qint64 unread = store.unreadCount(f.id);
        if (p.isSet(json)) {
            list.append(QJsonObject{{QStringLiteral("path"), f.path},
                                    {QStringLiteral("role"), f.role},
                                    {QStringLiteral("total"), total},
                                    {QStringLiteral("unread"), unread}});
        } else {
            printOut(QStringLiteral("%1\t%2\t%3 messages, %4 unread").arg(f.path, f.role).arg(total).arg(unread));
        }
    }
    if (p.isSet(json))
        printJson(list);
    return Ok;
}

int listCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption folder(QStringLiteral("folder"), QString(), QStringLiteral("F"), QStringLiteral("INBOX"));
    p.addOptions({json, folder});
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, ctx.args, QStringLiteral("list NAME [--folder F] [--json]")))
        return Usage;
    if (p.positionalArguments().size() != 1)
        return fail(QStringLiteral("usage: tern-cli list NAME [--folder F] [--json]"), Usage);
    const QString account = p.positionalArguments().first();
    store::Store store;
    if (!openAccountStore(ctx, account, &store))
        return Failed;
    const auto f = findFolder(store, account, p.value(folder));
    if (!f)
        return Failed;
    QJsonArray list;
    for (const store::MessageSummary &m : store.summaries(f->id)) {
        if (p.isSet(json))
            list.append(listEntry(m));
        else
            printOut(QStringLiteral("%1\t%2\t%3\t%4").arg(QString::number(m.id), isoDate(m.date),
                                                          m.fromAddress, m.subject));
    }
    if (p.isSet(json))
        printJson(list);
    return Ok;
}

int searchCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    p.addOption(json);
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    p.addPositionalArgument(QStringLiteral("QUERY"), QString());
    if (!parseArgs(p, ctx.args, QStringLiteral("search NAME QUERY [--json]")))
        return Usage;
    if (p.positionalArguments().size() != 2)
        return fail(QStringLiteral("usage: tern-cli search NAME QUERY [--json]"), Usage);
    const QString account = p.positionalArguments().at(0);
    store::Store store;
    if (!openAccountStore(ctx, account, &store))
        return Failed;
    // Messages a sync stored but has not indexed yet are indexed now, so a search is always complete.
    if (store.indexPending() < 0)
        return fail(QStringLiteral("cannot update the search index: %1").arg(store.error()));
    QHash<qint64, QString> folderPaths;
    for (const store::Folder &f : store.folders(account))
        folderPaths.insert(f.id, f.path);
    QJsonArray list;
    for (const store::SearchHit &hit : store.search(account, p.positionalArguments().at(1))) {
        const auto m = store.summary(hit.messageId);
        if (!m)
            continue;
        QJsonObject entry = listEntry(*m);
        entry.insert(QStringLiteral("folder"), folderPaths.value(hit.folderId));
        if (p.isSet(json))
            list.append(entry);
        else
            printOut(QStringLiteral("%1\t%2\t%3\t%4").arg(entry.value(QStringLiteral("folder")).toString(),
                                                          QString::number(m->id), m->fromAddress, m->subject));
    }
    if (p.isSet(json))
        printJson(list);
    return Ok;
}

int showCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption folder(QStringLiteral("folder"), QString(), QStringLiteral("F"));
    const QCommandLineOption id(QStringLiteral("id"), QString(), QStringLiteral("ID"));
    const QCommandLineOption raw(QStringLiteral("raw")), json(QStringLiteral("json"));
    p.addOptions({folder, id, raw, json});
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    const QString usage = QStringLiteral("show NAME --folder F --id ID [--raw | --json]");
    if (!parseArgs(p, ctx.args, usage))
        return Usage;
    bool ok = false;
    const qint64 messageId = p.value(id).toLongLong(&ok);
    if (p.positionalArguments().size() != 1 || !p.isSet(folder) || !ok || (p.isSet(raw) && p.isSet(json)))
        return fail(QStringLiteral("usage: tern-cli ") + usage, Usage);
    return showMessage(ctx, p.positionalArguments().first(), p.value(folder), messageId, p.isSet(raw));
}

int showMessage(const Context &ctx, const QString &account, const QString &folderPath, qint64 id, bool raw)
{
    store::Store store;
    if (!openAccountStore(ctx, account, &store))
        return Failed;
    const auto f = findFolder(store, account, folderPath);
    if (!f)
        return Failed;
    const auto m = store.summary(id);
    auto bytes = m && store.folderOf(id) == f->id ? store.body(id) : std::nullopt;
    if (m && !bytes && m->uid != 0 && m->uidl.isEmpty() && store.folderOf(id) == f->id) {
        // IMAP keeps bodies on the server until asked (issue 6, bodies on demand).
        QByteArray password;
        int code = Ok;
        const auto a = loadAccount(ctx, account, &password, nullptr, &code);
        if (!a)
            return code;
        sync::ImapFetchBody fetch(*a, password, &store, id);
        QEventLoop loop;
        QObject::connect(&fetch, &sync::ImapFetchBody::finished, &loop, &QEventLoop::quit);
        fetch.start();
        loop.exec();
        if (fetch.error() != sync::ImapFetchBody::Error::None)
            return fail(fetch.errorString());
        bytes = fetch.body();
    }
    if (!m || !bytes)
        return fail(QStringLiteral("message %1 is not in %2/%3, or its body is not downloaded yet")
                        .arg(QString::number(id), account, folderPath));
    if (!raw) {
        printJson(models::messageJson(mime::Message(*bytes), false));
        return Ok;
    }
    QFile out;
    if (!out.open(stdout, QIODevice::WriteOnly))
        return Failed;
    out.write(*bytes);
    return Ok;
}

} // namespace tern::cli

namespace tern::cli {

int parseCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    p.addOption(json);
    p.addPositionalArgument(QStringLiteral("FILE"), QString());
    if (!parseArgs(p, ctx.args, QStringLiteral("parse FILE --json")))
        return Usage;
    if (p.positionalArguments().size() != 1 || !p.isSet(json))
        return fail(QStringLiteral("usage: tern-cli parse FILE --json"), Usage);
    QFile file(p.positionalArguments().first());
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
    constexpr qint64 kMaxMessage = 512LL * 1024 * 1024; // far beyond any server's SIZE limit
    if (file.size() > kMaxMessage)
        return fail(QStringLiteral("%1 is larger than 512 MiB: not a message Tern will parse").arg(file.fileName()));
    printJson(models::messageJson(mime::Message(file.readAll()), true));
    return Ok;
}

} // namespace tern::cli
