// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli outbox: the queue of one account, and the user's decisions on what did not (certainly) go.
#include "cli.h"
#include "outboxrun.h"
#include "profile.h"

#include "outbox/outboxstore.h"
#include "store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

namespace tern::cli {

namespace {

const QString kOutboxUsage = QStringLiteral(
    "outbox NAME [--json] [--send-again ID | --mark-sent ID | --discard ID | --flush]");

QJsonValue isoTime(qint64 secs)
{
    if (secs <= 0)
        return QJsonValue::Null;
    return QDateTime::fromSecsSinceEpoch(secs, QTimeZone::UTC).toString(Qt::ISODate);
}

QJsonObject itemJson(const outbox::OutboxItem &item)
{
    const bool waiting = item.state == outbox::State::FailedTemporary;
    return QJsonObject{
        {QStringLiteral("id"), item.id},
        {QStringLiteral("state"), outbox::stateName(item.state)},
        {QStringLiteral("message_id"), QString::fromLatin1(item.messageId)},
        {QStringLiteral("from"), item.envelope.from},
        {QStringLiteral("subject"), item.envelope.subject},
        {QStringLiteral("to"), QJsonArray::fromStringList(item.envelope.to)},
        {QStringLiteral("cc"), QJsonArray::fromStringList(item.envelope.cc)},
        {QStringLiteral("bcc"), QJsonArray::fromStringList(item.envelope.bcc)},
        {QStringLiteral("attempts"), item.attempts},
        {QStringLiteral("next_attempt"), waiting ? isoTime(item.nextAttempt) : QJsonValue::Null},
        {QStringLiteral("error"), item.error},
        {QStringLiteral("receipt"), item.receipt.isEmpty() ? QJsonValue::Null : QJsonValue(item.receipt.toJson())},
        {QStringLiteral("sent_copy"), outbox::sentCopyStateName(item.sentCopy)},
        {QStringLiteral("sent_copy_error"), item.sentCopyError},
        {QStringLiteral("created"), isoTime(item.created)},
        {QStringLiteral("updated"), isoTime(item.updated)},
    };
}

QString itemLine(const outbox::OutboxItem &item)
{
    QString line = QStringLiteral("%1  %2  %3  to %4  attempts %5")
                       .arg(item.id)
                       .arg(outbox::stateName(item.state), item.envelope.subject,
                            (item.envelope.to + item.envelope.cc).join(QStringLiteral(", ")))
                       .arg(item.attempts);
    if (item.state == outbox::State::FailedTemporary)
        line += QStringLiteral("  next attempt %1").arg(isoTime(item.nextAttempt).toString());
    if (!item.error.isEmpty())
        line += QStringLiteral("\n    error: ") + item.error;
    if (!item.receipt.isEmpty())
        line += QStringLiteral("\n    receipt: %1 said \"%2\" over %3").arg(item.receipt.server, item.receipt.reply, item.receipt.tls);
    if (item.sentCopy != outbox::SentCopyState::None)
        line += QStringLiteral("\n    sent copy: ") + outbox::sentCopyStateName(item.sentCopy)
                + (item.sentCopyError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(item.sentCopyError));
    return line;
}

} // namespace

int outboxCommand(const Context &ctx)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"));
    const QCommandLineOption again(QStringLiteral("send-again"), QString(), QStringLiteral("ID"));
    const QCommandLineOption markSent(QStringLiteral("mark-sent"), QString(), QStringLiteral("ID"));
    const QCommandLineOption discard(QStringLiteral("discard"), QString(), QStringLiteral("ID"));
    const QCommandLineOption flush(QStringLiteral("flush"));
    p.addOptions({json, again, markSent, discard, flush});
    p.addPositionalArgument(QStringLiteral("NAME"), QString());
    if (!parseArgs(p, ctx.args, kOutboxUsage))
        return Usage;
    const int actions = int(p.isSet(again)) + int(p.isSet(markSent)) + int(p.isSet(discard)) + int(p.isSet(flush));
    if (p.positionalArguments().size() != 1 || actions > 1)
        return fail(QStringLiteral("usage: tern-cli ") + kOutboxUsage, Usage);
    const QString name = p.positionalArguments().first();

    const bool sends = p.isSet(again) || p.isSet(flush);
    const bool copies = sends || p.isSet(markSent); // "it did arrive": the Sent copy is made now
    QByteArray incomingSecret, smtpSecret;
    int code = Ok;
    const auto account = loadAccount(ctx, name, copies ? &incomingSecret : nullptr, sends ? &smtpSecret : nullptr, &code);
    if (!account)
        return code;
    store::Store store;
    if (!store.open(core::Profile(ctx.profileDirectory).filePath(QStringLiteral("store.sqlite"))))
        return fail(QStringLiteral("cannot open the mail store: %1").arg(store.error()));
    outbox::OutboxStore queue(store.database());

    // Recovery only when no other process is sending: its `sending` messages are its own, not leftovers.
    const auto lock = outboxLock(ctx.profileDirectory, copies ? 120000 : 0);
    if (copies && !lock)
        return fail(QStringLiteral("another tern-cli is sending from this profile"));
    if (lock && queue.recover(QDateTime::currentSecsSinceEpoch()) < 0)
        return fail(QStringLiteral("cannot update the outbox: %1").arg(queue.error()));

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const QCommandLineOption *option : {&again, &markSent, &discard}) {
        if (!p.isSet(*option))
            continue;
        bool ok = false;
        const qint64 id = p.value(*option).toLongLong(&ok);
        const auto item = ok ? queue.item(id) : std::nullopt;
        if (!item || item->account != name)
            return fail(QStringLiteral("no outbox message %1 for \"%2\"").arg(p.value(*option), name), Usage);
        const bool done = option == &again ? queue.requeue(id, now)
                          : option == &markSent ? queue.markSentByUser(id, now)
                                                : queue.discard(id);
        if (!done)
            return fail(QStringLiteral("outbox message %1 is %2: %3").arg(id).arg(outbox::stateName(item->state), queue.error()));
    }
    QString problem;
    if (copies) {
        const OutboxRun run = runOutbox(*account, incomingSecret, smtpSecret, store, !sends);
        for (const auto &o : run.outcomes) {
            if (o.state != outbox::State::Sent && problem.isEmpty())
                problem = QStringLiteral("outbox message %1: %2").arg(o.id).arg(o.error);
        }
        if (!run.storeError.isEmpty())
            problem = QStringLiteral("cannot update the outbox: %1").arg(run.storeError);
        if (problem.isEmpty() && !run.copyError.isEmpty())
            problem = run.copyError;
    }

    const QList<outbox::OutboxItem> items = queue.items(name);
    if (p.isSet(json)) {
        QJsonArray array;
        for (const outbox::OutboxItem &item : items)
            array.append(itemJson(item));
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
    } else {
        for (const outbox::OutboxItem &item : items)
            printOut(itemLine(item));
    }
    return problem.isEmpty() ? Ok : fail(problem);
}

} // namespace tern::cli
