// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/messagesummary.h"
#include "store/sqlite.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <limits>
#include <optional>
#include <span>

namespace tern::store {

struct Folder
{
    qint64 id = 0;
    QString account;
    QString path;
    QString delimiter = QStringLiteral("/");
    QString role; // special-use without the backslash: "inbox", "sent", "drafts", "trash", "junk", "archive"
    bool subscribed = true;
    qint64 uidValidity = 0;
    qint64 uidNext = 0;
    qint64 highestModSeq = 0;
};

struct FlagUpdate
{
    qint64 uid = 0;
    quint32 flags = 0;
    QStringList keywords;
    qint64 modseq = 0;
};

struct SearchHit
{
    qint64 messageId = 0;
    qint64 folderId = 0;
    QString subject;
    QString fromAddress;
    qint64 date = 0;
};

// The profile's local mail store: one SQLite database in WAL mode (readers never wait for a sync; every
// commit is durable before it returns: synchronous=FULL). One Store object per thread: SQLite connections
// are not shared across threads. Writes batch many messages per transaction.
class Store
{
public:
    bool open(const QString &path);
    QString error() const { return m_error.isEmpty() ? m_db.error() : m_error; }
    Database &database() { return m_db; }

    // Folders
    std::optional<Folder> folder(const QString &account, const QString &path);
    QList<Folder> folders(const QString &account);
    // Inserts or updates by (account, path); returns the folder id, 0 on failure.
    qint64 saveFolder(const Folder &folder);
    bool removeFolder(qint64 folderId);
    bool setFolderSyncState(qint64 folderId, qint64 uidValidity, qint64 uidNext, qint64 highestModSeq);
    // UIDVALIDITY changed (RFC 9051 §2.3.1.1): every cached UID of the folder is meaningless now.
    bool dropFolderMessages(qint64 folderId);

    // Messages. insertSummaries() skips messages already present (same UID, or same UIDL) and returns how
    // many it inserted, -1 on failure; all or nothing.
    // index: also add them to the search index in the same transaction (the sync's writer does), rather than
    // leaving them to indexPending().
    qint64 insertSummaries(qint64 folderId, std::span<const MessageSummary> messages, bool index = false);
    bool updateFlags(qint64 folderId, std::span<const FlagUpdate> updates);
    bool removeUids(qint64 folderId, std::span<const qint64> uids);
    QList<MessageSummary> summaries(qint64 folderId, qint64 offset = 0, qint64 limit = -1);
    // The folder's message ids in display order: what a list view holds instead of the messages.
    enum class SortKey { Date, Subject, From, Size };
    QList<qint64> messageIds(qint64 folderId, SortKey key = SortKey::Date, bool descending = true);
    // Summaries for the given ids, in the order given; ids that no longer exist are skipped.
    QList<MessageSummary> summariesByIds(std::span<const qint64> ids);
    std::optional<MessageSummary> summary(qint64 messageId);
    qint64 folderOf(qint64 messageId); // 0 when there is no such message
    qint64 messageCount(qint64 folderId);
    qint64 unreadCount(qint64 folderId);
    QList<qint64> uids(qint64 folderId);
    bool hasUidl(qint64 folderId, const QString &uidl);
    QStringList uidls(qint64 folderId);
    // Every UIDL ever downloaded into the folder that the server still listed last time, with its first
    // download time (seconds since the epoch), whether or not the message is still stored locally.
    QHash<QString, qint64> seenUidls(qint64 folderId);
    // Forgets seen UIDLs the server no longer lists (they cannot come back); keeps the others.
    bool forgetUidlsExcept(qint64 folderId, const QSet<QString> &listed);
    // Removes messages by store id (a local delete; POP3 messages stay "seen").
    bool removeMessages(std::span<const qint64> messageIds);

    // Raw message bodies (RFC 5322 bytes as received).
    bool saveBody(qint64 messageId, const QByteArray &raw, const QString &bodyText = {});
    std::optional<QByteArray> body(qint64 messageId);
    // (message id, uid) of the folder's server messages whose body the store does not hold, newest first.
    QList<QPair<qint64, qint64>> messagesWithoutBody(qint64 folderId);

    // POP3: a downloaded message and its summary in one durable transaction; only after this returns true
    // may the server copy be deleted (SECURITY.md L2). Returns the message id, 0 on failure.
    qint64 insertDownloaded(qint64 folderId, const MessageSummary &summary, const QByteArray &raw);

    // Adds messages inserted since the last call to the search index, at most maxMessages of them (in one
    // transaction); returns how many it indexed, -1 on failure. A search runs it first (tern-cli search), so it
    // finds what a sync stored without indexing (ImapSync's default); never on the GUI thread (it writes).
    qint64 indexPending(qint64 maxMessages = std::numeric_limits<qint64>::max());

    // Full-text search (FTS5) across one account's folders, newest first, over what indexPending() has
    // indexed. A query is words, not syntax: user text never reaches FTS5's query language unquoted.
    QList<SearchHit> search(const QString &account, const QString &query, int limit = 200);

    bool integrityCheck(QString *result = nullptr);

    // Local changes the user makes in the message list, by the store's message ids. Each is one transaction.
    // For IMAP accounts store::Journal makes the same changes together with the journal row that tells the
    // server (journal.h).
    bool setMessageFlags(std::span<const qint64> messageIds, quint32 set, quint32 clear);
    // A moved IMAP message's UID in the destination is unknown until the server answers the MOVE
    // (RFC 6851 COPYUID): until then it holds -id, which no server UID can be. POP3 messages keep their UIDL.
    bool moveMessages(std::span<const qint64> messageIds, qint64 toFolderId);

private:
    bool insertOne(Statement &insert, qint64 folderId, const MessageSummary &m, qint64 *newId, bool indexed = false);
    qint64 insertIndexed(qint64 folderId, std::span<const MessageSummary> messages);
    bool indexOne(qint64 messageId, const MessageSummary &m, const QString &bodyText);

    Database m_db;
    QString m_error;
};

} // namespace tern::store
