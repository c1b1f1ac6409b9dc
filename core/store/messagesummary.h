// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace tern::store {

// IMAP system flags as a bitmask (RFC 9051 §2.3.2); anything else is a keyword.
enum MessageFlag : quint32 {
    Seen = 1u << 0,
    Answered = 1u << 1,
    Flagged = 1u << 2,
    Deleted = 1u << 3,
    Draft = 1u << 4,
    Forwarded = 1u << 5, // $Forwarded keyword, common enough to deserve a bit
};

// What the message list needs of one message: ENVELOPE-level fields, not the full header block.
struct MessageSummary
{
    qint64 id = 0;        // the store's own id; 0 before insertion
    qint64 uid = 0;       // IMAP UID (0 for POP3)
    QString uidl;         // POP3 UIDL (empty for IMAP)
    QString messageId;
    QString inReplyTo;
    QString references;
    QString threadKey;
    QString subject;
    QString fromName;
    QString fromAddress;
    QString to;
    QString cc;
    qint64 date = 0;          // seconds since the epoch (Date: header)
    qint64 internalDate = 0;  // seconds since the epoch (server arrival)
    qint64 size = 0;
    quint32 flags = 0;
    QStringList keywords;
    qint64 modseq = 0;
    bool hasAttachments = false;
    QString preview;
    QString bodyText; // for the search index only; not stored in the summary
};

} // namespace tern::store
