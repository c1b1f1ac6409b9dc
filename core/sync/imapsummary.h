// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: what IMAP FETCH and LIST data become in the store. Sans-I/O, so unit tests feed
// parsed responses and compare summaries.
#include "imap/fetch.h"
#include "store/messagesummary.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace tern::sync {

struct Flags
{
    quint32 bits = 0;
    QStringList keywords;
};

// System flags to MessageFlag bits (RFC 9051 §2.3.2); \Recent is session state and dropped; $Forwarded has
// its own bit; anything else is a keyword, kept as sent.
Flags flagsFromImap(const QList<QByteArray> &flags);

// True when the structure holds a part the user would call an attachment: Content-Disposition attachment,
// a named non-text leaf that is not inline, or an encapsulated message (RFC 3501 §7.4.2 BODYSTRUCTURE).
bool hasAttachments(const imap::BodyStructure &body);

// A UID FETCH (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE [PREVIEW]) response as a summary.
// Header text is RFC 2047-decoded here, once, so the list never decodes; an unparsable Date falls back to
// INTERNALDATE.
store::MessageSummary summaryFromFetch(const imap::FetchData &fetch);

// "inbox", "sent", "drafts", "trash", "junk", "archive", "all", "flagged" from the LIST attributes
// (RFC 6154 §2), or from well-known names when the server has no SPECIAL-USE; "" for none.
QString roleFor(const QString &path, const QList<QByteArray> &attributes, bool serverHasSpecialUse);

} // namespace tern::sync
