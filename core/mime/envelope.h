// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "address.h"
#include "message.h"

#include <QDateTime>

#include <vector>

namespace tern::mime {

// The fields a message list needs (the IMAP ENVELOPE set, RFC 3501 7.4.2), decoded and ready to show.
struct Envelope
{
    QDateTime date; // invalid when missing or unparsable
    QString subject;
    std::vector<Mailbox> from, sender, replyTo, to, cc, bcc;
    QByteArray messageId, inReplyTo;
    // Sender differs from From, or From has several mailboxes: the UI must show all of them (SECURITY.md D2).
    bool senderMismatch = false;
};

Envelope envelope(const Message &message, int part = 0);

} // namespace tern::mime
