// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope.h"

#include "received.h"

namespace tern::mime {

Envelope envelope(const Message &m, int part)
{
    Envelope e;
    e.date = parseDateTime(m.header(part, "date"));
    e.subject = m.headerText(part, "subject");
    e.from = parseAddressList(m.header(part, "from"));
    e.sender = parseAddressList(m.header(part, "sender"));
    e.replyTo = parseAddressList(m.header(part, "reply-to"));
    e.to = parseAddressList(m.header(part, "to"));
    e.cc = parseAddressList(m.header(part, "cc"));
    e.bcc = parseAddressList(m.header(part, "bcc"));
    e.messageId = m.header(part, "message-id");
    e.inReplyTo = m.header(part, "in-reply-to");
    const bool senderDiffers = !e.sender.empty() && !e.from.empty()
        && e.sender.front().aceAddress().compare(e.from.front().aceAddress(), Qt::CaseInsensitive) != 0;
    e.senderMismatch = e.from.size() > 1 || senderDiffers;
    return e;
}

} // namespace tern::mime
