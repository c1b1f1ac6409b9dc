// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace tern::imap {

// Modified UTF-7 mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself except "&", which is
// "&-"; other runs are "&" + modified base64 ("," for "/", no padding) of UTF-16BE + "-".
QByteArray encodeModifiedUtf7(const QString &name);

// Lenient in what it accepts, since names come from servers: a malformed shift sequence is kept as the
// literal bytes it was (so the name still round-trips through rawName), never dropped.
QString decodeModifiedUtf7(QByteArrayView name);

// The wire form of a mailbox name for a command: UTF-8 after ENABLE UTF8=ACCEPT (RFC 6855 §3), modified
// UTF-7 otherwise. "INBOX" in any case is sent as INBOX (RFC 3501 §5.1).
QByteArray encodeMailboxName(const QString &name, bool utf8Accepted);

} // namespace tern::imap
