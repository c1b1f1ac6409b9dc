// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <span>

namespace tern::store {

class Store;

// One message an operation names: the store's id and its UID in the operation's folder when the operation was
// recorded. A UID <= 0 is a placeholder (the message arrived there by a move the server has not confirmed);
// the move's COPYUID fills it in (Journal::finish) before this operation replays.
struct JournalItem
{
    qint64 messageId = 0;
    qint64 uid = 0;
    friend bool operator==(const JournalItem &, const JournalItem &) = default;
};

// One pending change to an IMAP account's server, recorded while the user works (online or not) and
// replayed in order by sync::JournalReplay. Rows keep their order (id); a row goes only when the server
// confirmed it, or turns into a conflict the user is told about.
struct JournalEntry
{
    enum class Op { Flags, Move, Expunge, Append };
    enum class State { Pending, Conflict };

    qint64 id = 0;
    QString account;
    Op op = Op::Flags;
    State state = State::Pending;
    QString folder;           // where the messages are (Flags, Move, Expunge) or go (Append)
    qint64 uidValidity = 0;   // the folder's, when recorded: the UIDs mean nothing under another one
    QList<JournalItem> items;
    quint32 set = 0;          // Flags: store::MessageFlag bits to add and to remove
    quint32 clear = 0;
    QStringList addKeywords;  // Flags: keywords to add and remove
    QStringList removeKeywords;
    QString target;           // Move: the destination folder
    QByteArray raw;           // Append: the message (RFC 5322 bytes)
    qint64 appendedMessage = 0; // Append: the store's copy, if any, which gets the APPENDUID
    QString error;            // Conflict: why, one line
    qint64 created = 0;       // seconds since the epoch
};

// The offline-operation journal (issue 6) over the store's journal table (schema 4). Each record call
// changes the local store and writes the journal row in ONE transaction: the window shows the change at
// once, and a crash leaves either both or neither. Only messages of the given account's IMAP folders
// (uidl IS NULL) are journalled; anything else changes locally only.
class Journal
{
public:
    explicit Journal(Store &store);

    // Flags (and keywords) on messages, one row per folder.
    bool setFlags(std::span<const qint64> messageIds, quint32 set, quint32 clear,
                  const QStringList &addKeywords = {}, const QStringList &removeKeywords = {});
    // Moves to another folder of the same account, one row per source folder. The local copies get
    // placeholder UIDs (-id) until the server answers with COPYUID.
    bool move(std::span<const qint64> messageIds, qint64 toFolderId);
    // Deletes for good: \Deleted + UID EXPUNGE on the server, out of the store now.
    bool expunge(std::span<const qint64> messageIds);
    // APPEND raw to account's folder (e.g. a draft to Drafts); messageId is the local copy, if any. Returns
    // the row id, 0 on failure. The row and the local copy are the caller's to put in one transaction if it
    // needs both; this writes only the row.
    qint64 append(const QString &account, const QString &folder, const QByteArray &raw, quint32 flags,
                  qint64 messageId = 0);

    // The account whose folder holds the message, "" when there is no such message.
    QString accountOf(qint64 messageId);

    QList<JournalEntry> pending(const QString &account);
    QList<JournalEntry> conflicts(const QString &account);
    qint64 pendingCount(const QString &account);
    qint64 conflictCount(const QString &account);

    // The server confirmed the row (or refused part of it: conflict non-empty). uids gives the messages'
    // new UIDs in target (COPYUID / APPENDUID); the local copies still in target get them, and later rows
    // that name those messages by placeholder are updated. One transaction.
    bool finish(const JournalEntry &entry, const QHash<qint64, qint64> &uids = {}, const QString &conflict = {});
    // The row can never be replayed (folder gone, UIDVALIDITY changed, refused): kept as a conflict.
    bool markConflict(qint64 entryId, const QString &reason);
    bool dismissConflicts(const QString &account);
    // The user read these conflicts (ids of the account's conflict rows; others are left alone): dismissed
    // rows go; retried rows are pending again, in their original order, for the next replay. One transaction.
    bool dismissConflicts(const QString &account, std::span<const qint64> entryIds);
    bool retryConflicts(const QString &account, std::span<const qint64> entryIds);

    QString error() const;

private:
    struct Located;
    QList<Located> locate(std::span<const qint64> messageIds);
    bool insertRow(const QString &account, JournalEntry::Op op, const QByteArray &payload, const QByteArray &raw = {});
    QList<JournalEntry> entries(const QString &account, const char *state);
    bool updateConflicts(const QString &account, std::span<const qint64> entryIds, bool retry);

    Store &m_store;
    QString m_error;
};

} // namespace tern::store
