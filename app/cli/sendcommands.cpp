// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli send: compose, queue in the outbox (durably), then send what is due now.
#include "cli.h"
#include "outboxrun.h"
#include "profile.h"

#include "mime/composer.h"
#include "outbox/crashpoint.h"
#include "outbox/outboxstore.h"
#include "store/store.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

namespace tern::cli {

namespace {

const QString kSendUsage = QStringLiteral(
    "send NAME --to ADDR... [--cc ADDR...] [--bcc ADDR...] --subject S (--body TEXT | --body-file F) "
    "[--html-file F] [--attach FILE]...");

// "--to a b c" is "--to a --to b --to c": the words after a list option, up to the next option, are all its
// values. NAME comes first, so it is never taken for an address.
QStringList expandListOptions(const QStringList &args)
{
    static const QStringList lists{QStringLiteral("--to"), QStringLiteral("--cc"), QStringLiteral("--bcc"),
                                   QStringLiteral("--attach")};
    QStringList out;
    QString current; // the list option whose values are being read
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (!a.startsWith(QLatin1StringView("--"))) {
            if (current.isEmpty())
                out.append(a);
            else
                out << current << a;
            continue;
        }
        out.append(a);
        current = lists.contains(a) ? a : QString();
        // Every option of send takes a value: the next word, unless given as --opt=value.
        if (!a.contains(QLatin1Char('=')) && i + 1 < args.size())
            out.append(args.at(++i));
    }
    return out;
}

bool readFile(const QString &path, QByteArray *out, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *out = file.readAll();
    return true;
}

bool parseAddresses(const QStringList &values, std::vector<mime::Mailbox> *out, QString *error)
{
    for (const QString &v : values) {
        const std::vector<mime::Mailbox> parsed = mime::parseAddressList(v.toUtf8());
        if (parsed.empty() || !std::all_of(parsed.cbegin(), parsed.cend(), [](const mime::Mailbox &m) { return m.isValid(); })) {
            *error = QStringLiteral("not an email address: \"%1\"").arg(v);
            return false;
        }
        out->insert(out->end(), parsed.cbegin(), parsed.cend());
    }
    return true;
}

QString composeError(const mime::Composed &c)
{
    switch (c.error) {
    case mime::ComposeError::MissingFrom:
        return QStringLiteral("the account has no address to send from");
    case mime::ComposeError::InvalidAddress:
        return QStringLiteral("invalid address in %1").arg(c.detail);
    case mime::ComposeError::HeaderInjection:
        return QStringLiteral("line breaks or control characters are not allowed in %1").arg(c.detail);
    case mime::ComposeError::NoRecipients:
        return QStringLiteral("no recipients");
    case mime::ComposeError::None:
        break;
    }
    return {};
}

// The message the options describe; on failure *error says why (a usage error).
std::optional<mime::Composed> composeFrom(const QCommandLineParser &p, const accounts::Account &account,
                                          QString *error)
{
    mime::Draft draft;
    if (!account.identities.isEmpty())
        draft.from = mime::Mailbox{account.identities.first().name, account.identities.first().address, {}, false};
    if (!parseAddresses(p.values(QStringLiteral("to")), &draft.to, error)
        || !parseAddresses(p.values(QStringLiteral("cc")), &draft.cc, error)
        || !parseAddresses(p.values(QStringLiteral("bcc")), &draft.bcc, error))
        return std::nullopt;
    draft.subject = p.value(QStringLiteral("subject"));
    draft.date = QDateTime::currentDateTime();
    draft.extraHeaders.emplace_back(QByteArrayLiteral("User-Agent"), QStringLiteral("Tern/tern-cli"));
    if (p.isSet(QStringLiteral("body"))) {
        draft.text = p.value(QStringLiteral("body"));
    } else {
        QByteArray text;
        if (!readFile(p.value(QStringLiteral("body-file")), &text, error))
            return std::nullopt;
        draft.text = QString::fromUtf8(text);
    }
    if (p.isSet(QStringLiteral("html-file"))) {
        QByteArray html;
        if (!readFile(p.value(QStringLiteral("html-file")), &html, error))
            return std::nullopt;
        draft.html = QString::fromUtf8(html);
    }
    const QMimeDatabase types;
    for (const QString &path : p.values(QStringLiteral("attach"))) {
        mime::OutgoingAttachment a;
        if (!readFile(path, &a.data, error))
            return std::nullopt;
        a.fileName = QFileInfo(path).fileName();
        a.mimeType = types.mimeTypeForFileNameAndData(path, a.data).name().toLatin1();
        draft.attachments.push_back(std::move(a));
    }
    mime::Composed composed = mime::compose(draft);
    if (!composed.ok()) {
        *error = composeError(composed);
        return std::nullopt;
    }
    return composed;
}

// The queue entry: the bytes as composed (with the Message-ID given now, kept by any re-send) and the
// envelope; Bcc addresses only in the RCPT list and the entry's own record, never in the bytes.
outbox::OutboxItem outboxItem(const QCommandLineParser &p, const QString &name, const accounts::Account &account,
                              const mime::Composed &composed)
{
    outbox::OutboxItem item;
    item.account = name;
    item.messageId = composed.messageId;
    item.raw = composed.bytes;
    item.envelope.from = account.identities.first().address;
    item.envelope.to = p.values(QStringLiteral("to"));
    item.envelope.cc = p.values(QStringLiteral("cc"));
    item.envelope.bcc = p.values(QStringLiteral("bcc"));
    for (const QString &rcpt : composed.recipients)
        item.envelope.rcpt.append(rcpt);
    item.envelope.subject = p.value(QStringLiteral("subject"));
    return item;
}

QString receiptLine(const outbox::Receipt &r)
{
    return QStringLiteral("%1 said \"%2\" over %3").arg(r.server, r.reply, r.tls);
}

} // namespace

int sendCommand(const Context &ctx)
{
    QCommandLineParser p;
    for (const char *name : {"to", "cc", "bcc", "subject", "body", "body-file", "html-file", "attach"})
        p.addOption(QCommandLineOption(QString::fromLatin1(name), QString(), QStringLiteral("VALUE")));
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, expandListOptions(ctx.args), kSendUsage))
        return Usage;
    if (p.positionalArguments().size() != 1 || p.values(QStringLiteral("to")).isEmpty()
        || !p.isSet(QStringLiteral("subject"))
        || p.isSet(QStringLiteral("body")) == p.isSet(QStringLiteral("body-file")))
        return fail(QStringLiteral("usage: tern-cli ") + kSendUsage, Usage);
    const QString name = p.positionalArguments().first();

    QByteArray incomingSecret, smtpSecret;
    int code = Ok;
    const auto account = loadAccount(ctx, name, &incomingSecret, &smtpSecret, &code);
    if (!account)
        return code;
    QString error;
    const auto composed = composeFrom(p, *account, &error);
    if (!composed)
        return fail(error, Usage);

    store::Store store;
    if (!store.open(core::Profile(ctx.profileDirectory).filePath(QStringLiteral("store.sqlite"))))
        return fail(QStringLiteral("cannot open the mail store: %1").arg(store.error()));
    const outbox::OutboxItem item = outboxItem(p, name, *account, *composed);
    outbox::OutboxStore queue(store.database());
    const qint64 id = queue.enqueue(item, QDateTime::currentSecsSinceEpoch());
    if (id == 0)
        return fail(QStringLiteral("cannot queue the message: %1").arg(queue.error()));
    outbox::crashPoint("queued");

    const auto lock = outboxLock(ctx.profileDirectory, 120000);
    if (!lock)
        return fail(QStringLiteral("queued as outbox message %1, but another tern-cli is sending from this profile").arg(id));
    const OutboxRun run = runOutbox(*account, incomingSecret, smtpSecret, store);

    std::optional<outbox::OutboxSender::Outcome> mine;
    for (const auto &o : run.outcomes) {
        if (o.id == id) {
            mine = o;
            continue;
        }
        printOut(QStringLiteral("outbox message %1: %2%3").arg(o.id).arg(outbox::stateName(o.state),
                 o.error.isEmpty() ? QString() : QStringLiteral(": ") + o.error));
    }
    if (!mine)
        return fail(run.storeError.isEmpty() ? QStringLiteral("outbox message %1 was not sent").arg(id)
                                             : QStringLiteral("cannot update the outbox: %1").arg(run.storeError));
    if (mine->state != outbox::State::Sent)
        return fail(mine->error);
    printOut(QStringLiteral("sent %1: %2").arg(QString::fromLatin1(composed->messageId), receiptLine(mine->receipt)));
    if (!mine->error.isEmpty())
        fail(QStringLiteral("warning: %1").arg(mine->error), Ok);
    if (!run.copyError.isEmpty())
        fail(QStringLiteral("warning: %1").arg(run.copyError), Ok);
    return Ok;
}

} // namespace tern::cli
