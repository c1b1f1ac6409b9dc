// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox/smtpoutcome.h"

#include "smtp/smtpclient.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"

#include <QStringList>

namespace tern::outbox {

namespace {

using smtp::MessageResult;
using smtp::Reply;

QString replyText(const Reply &reply)
{
    QStringList lines;
    for (const QByteArray &line : reply.lines)
        lines.append(QString::fromUtf8(line));
    return QStringLiteral("%1 %2").arg(reply.code).arg(lines.join(QLatin1Char(' '))).trimmed();
}

QString refusalText(MessageResult::Refusal refusal, const QString &where)
{
    switch (refusal) {
    case MessageResult::Refusal::TooLarge:
        return QStringLiteral("the message is larger than %1 accepts").arg(where);
    case MessageResult::Refusal::SmtpUtf8Unsupported:
        return QStringLiteral("an address needs SMTPUTF8, which %1 does not offer").arg(where);
    case MessageResult::Refusal::EightBitUnsupported:
        return QStringLiteral("the message has 8-bit text and %1 does not offer 8BITMIME").arg(where);
    case MessageResult::Refusal::InvalidAddress:
        return QStringLiteral("an address is not valid for SMTP");
    case MessageResult::Refusal::NoRecipients:
        return QStringLiteral("the message has no recipients");
    case MessageResult::Refusal::None:
        break;
    }
    return QStringLiteral("refused before sending");
}

// "bob@x: 550 5.1.1 no such user; carol@y: 450 4.2.0 try later", the recipients the server did not take.
QString refusedRecipients(const MessageResult &r, bool *anyTransient)
{
    QStringList parts;
    for (const smtp::RecipientResult &rcpt : r.recipients) {
        if (rcpt.isAccepted())
            continue;
        if (rcpt.reply.isTransientFailure())
            *anyTransient = true;
        parts.append(QStringLiteral("%1: %2").arg(QString::fromUtf8(rcpt.address), replyText(rcpt.reply)));
    }
    return parts.join(QStringLiteral("; "));
}

SmtpOutcome rejected(const MessageResult &r)
{
    if (r.mailReply && !r.mailReply->isPositiveCompletion()) {
        return {r.mailReply->isTransientFailure() ? State::FailedTemporary : State::FailedPermanent,
                QStringLiteral("sender refused: server said %1").arg(replyText(*r.mailReply)), {}};
    }
    if (r.finalReply && !r.finalReply->isPositiveCompletion() && r.finalReply->code != 354) {
        const bool anyAccepted = std::any_of(r.recipients.cbegin(), r.recipients.cend(),
                                             [](const smtp::RecipientResult &x) { return x.isAccepted(); });
        if (anyAccepted || r.recipients.isEmpty()) {
            return {r.finalReply->isTransientFailure() ? State::FailedTemporary : State::FailedPermanent,
                    QStringLiteral("message refused: server said %1").arg(replyText(*r.finalReply)), {}};
        }
    }
    bool transient = false;
    const QString who = refusedRecipients(r, &transient);
    // Every recipient was refused. One "try later" among them is worth a retry: the permanent refusals
    // will be reported again then, with their reasons.
    return {transient ? State::FailedTemporary : State::FailedPermanent,
            QStringLiteral("recipients refused: %1").arg(who), {}};
}

} // namespace

SmtpOutcome classify(const smtp::SmtpClient &client, const QString &where)
{
    const QList<MessageResult> results = client.results();
    const MessageResult r = results.isEmpty() ? MessageResult{} : results.first();
    switch (r.outcome) {
    case MessageResult::Outcome::Accepted: {
        SmtpOutcome out{State::Sent, {}, {}};
        out.receipt = Receipt{where, r.finalReply ? replyText(*r.finalReply) : QString(), sync::tlsDescription(r.tls)};
        bool transient = false;
        const QString refused = refusedRecipients(r, &transient);
        if (!refused.isEmpty()) {
            out.error = QStringLiteral("not accepted for some recipients: %1").arg(refused);
            out.partial = true;
            for (const smtp::RecipientResult &rcpt : r.recipients) {
                if (rcpt.reply.isTransientFailure())
                    out.retryRecipients.append(QString::fromUtf8(rcpt.address));
            }
        }
        return out;
    }
    case MessageResult::Outcome::Rejected:
        return rejected(r);
    case MessageResult::Outcome::Refused:
        return {State::FailedPermanent, refusalText(r.refusal, where), {}};
    case MessageResult::Outcome::DeliveryUncertain:
        return {State::DeliveryUncertain,
                client.error() == smtp::SessionError::Timeout
                    ? QStringLiteral("%1 stopped answering after the message was sent: it may or may not have "
                                     "been delivered").arg(where)
                    : QStringLiteral("connection to %1 lost after the message was sent: it may or may not have "
                                     "been delivered").arg(where),
                {}};
    case MessageResult::Outcome::NotSent:
        break;
    }
    // The session ended before the message could be delivered: a connection, TLS or login problem, or 421.
    const sync::Failure failure = sync::smtpFailure(client, where);
    return {State::FailedTemporary,
            failure.message.isEmpty() ? QStringLiteral("connection to %1 failed or was lost").arg(where) : failure.message,
            {}};
}

} // namespace tern::outbox
