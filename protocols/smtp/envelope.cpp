// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/envelope.h"

#include "smtp/commands.h"

namespace tern::smtp {

namespace {

bool hasEightBit(QByteArrayView bytes)
{
    for (char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return true;
    }
    return false;
}

QByteArrayView headerSection(QByteArrayView data)
{
    qsizetype end = data.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0)
        end = data.indexOf(QByteArrayView("\n\n"));
    return end < 0 ? data : data.first(end);
}

} // namespace

MessageResult::Refusal checkEnvelope(const OutgoingMessage &message, const Capabilities &caps)
{
    using R = MessageResult::Refusal;
    if (message.recipients.isEmpty())
        return R::NoRecipients;
    bool envelopeEightBit = hasEightBit(message.from);
    if (!isSafeAddress(message.from))
        return R::InvalidAddress;
    for (const Recipient &r : message.recipients) {
        if (!isSafeAddress(r.address) || r.address.isEmpty() || !isSafeAddress(r.originalRecipient))
            return R::InvalidAddress;
        envelopeEightBit = envelopeEightBit || hasEightBit(r.address);
    }
    // SIZE, RFC 1870 §6: refuse before MAIL when the server already told us the limit.
    const std::optional<qint64> limit = caps.sizeLimit();
    if (limit && *limit > 0 && normalizedSize(message.data) > *limit)
        return R::TooLarge;
    if ((envelopeEightBit || hasEightBit(headerSection(message.data))) && !caps.has("SMTPUTF8"))
        return R::SmtpUtf8Unsupported;
    if (hasEightBit(message.data) && !caps.has("8BITMIME"))
        return R::EightBitUnsupported;
    return R::None;
}

QList<QByteArray> mailParameters(const OutgoingMessage &message, const Capabilities &caps)
{
    QList<QByteArray> params;
    if (caps.has("SIZE"))
        params.append("SIZE=" + QByteArray::number(normalizedSize(message.data)));
    if (hasEightBit(message.data) && caps.has("8BITMIME"))
        params.append("BODY=8BITMIME");
    bool utf8 = hasEightBit(message.from) || hasEightBit(headerSection(message.data));
    for (const Recipient &r : message.recipients)
        utf8 = utf8 || hasEightBit(r.address);
    if (utf8)
        params.append("SMTPUTF8"); // RFC 6531 §3.4
    if (caps.has("DSN")) {
        if (message.dsnReturn == DsnReturn::Full)
            params.append("RET=FULL");
        else if (message.dsnReturn == DsnReturn::Headers)
            params.append("RET=HDRS");
        if (!message.envelopeId.isEmpty())
            params.append("ENVID=" + xtext(message.envelopeId));
    }
    return params;
}

QList<QByteArray> rcptParameters(const Recipient &recipient, const Capabilities &caps)
{
    QList<QByteArray> params;
    if (!caps.has("DSN"))
        return params;
    if (recipient.notifyNever) {
        params.append("NOTIFY=NEVER");
    } else if (recipient.notify) {
        QList<QByteArray> kinds;
        if (recipient.notify & int(DsnNotify::Success))
            kinds.append("SUCCESS");
        if (recipient.notify & int(DsnNotify::Failure))
            kinds.append("FAILURE");
        if (recipient.notify & int(DsnNotify::Delay))
            kinds.append("DELAY");
        params.append("NOTIFY=" + kinds.join(','));
    }
    if (!recipient.originalRecipient.isEmpty())
        params.append("ORCPT=rfc822;" + xtext(recipient.originalRecipient));
    return params;
}


} // namespace tern::smtp
