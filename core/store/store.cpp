// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"

#include "store/schema.h"

#include <algorithm>

namespace tern::store {

namespace {

constexpr char kSummaryColumns[] =
    "m.id, m.uid, m.uidl, m.message_id, m.in_reply_to, m.refs, m.thread_key, m.subject, m.from_name, "
    "m.from_addr, m.to_text, m.cc_text, m.date, m.internal_date, m.size, m.flags, m.keywords, m.modseq, "
    "m.has_attachments, m.preview";

MessageSummary readSummary(const Statement &s)
{
    MessageSummary m;
    m.id = s.int64(0);
    m.uid = s.int64(1);
    m.uidl = s.text(2);
    m.messageId = s.text(3);
    m.inReplyTo = s.text(4);
    m.references = s.text(5);
    m.threadKey = s.text(6);
    m.subject = s.text(7);
    m.fromName = s.text(8);
    m.fromAddress = s.text(9);
    m.to = s.text(10);
    m.cc = s.text(11);
    m.date = s.int64(12);
    m.internalDate = s.int64(13);
    m.size = s.int64(14);
    m.flags = quint32(s.int64(15));
    const QString keywords = s.text(16);
    m.keywords = keywords.isEmpty() ? QStringList() : keywords.split(QLatin1Char(' '));
    m.modseq = s.int64(17);
    m.hasAttachments = s.int64(18) != 0;
    m.preview = s.text(19);
    return m;
}

Folder readFolder(const Statement &s)
{
    Folder f;
    f.id = s.int64(0);
    f.account = s.text(1);
    f.path = s.text(2);
    f.delimiter = s.text(3);
    f.role = s.text(4);
    f.subscribed = s.int64(5) != 0;
    f.uidValidity = s.int64(6);
    f.uidNext = s.int64(7);
    f.highestModSeq = s.int64(8);
    return f;
}

// INSERT OR IGNORE: a resumed sync re-sends what it had; insertOne() binds the parameters.
constexpr char kInsertMessage[] =
    "INSERT OR IGNORE INTO messages (folder_id, uid, uidl, message_id, in_reply_to, refs, thread_key, subject, "
    "from_name, from_addr, to_text, cc_text, date, internal_date, size, flags, keywords, modseq, has_attachments, "
    "preview, indexed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21)";

constexpr char kFolderColumns[] =
    "SELECT id, account, path, delimiter, role, subscribed, uidvalidity, uidnext, highestmodseq FROM folders ";

// Each word becomes an FTS5 string ("..." with quotes doubled) with a prefix match: the user's text is
// data, never query syntax (no column filters, NEAR, or unbalanced quotes from a search box).
QString ftsQuery(const QString &text)
{
    QStringList terms;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        QString quoted = word;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + quoted + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

} // namespace

bool Store::open(const QString &path)
{
    m_error.clear();
    if (!m_db.open(path))
        return false;
    // WAL: readers see the last commit and never block the sync's writer. FULL: a commit that returned is on
    // disk, which is what POP3 deletion and the outbox rely on. Commits are batched, so this costs little.
    if (!m_db.exec("PRAGMA journal_mode=WAL") || !m_db.exec("PRAGMA synchronous=FULL")
        || !m_db.exec("PRAGMA foreign_keys=ON") || !m_db.exec("PRAGMA temp_store=MEMORY")
        || !m_db.exec("PRAGMA cache_size=-32768")) // 32 MiB: the indexes of a 100k folder stay in memory
        return false;
    QString error;
    if (!migrate(m_db, &error)) {
        m_error = error;
        return false;
    }
    return true;
}

std::optional<Folder> Store::folder(const QString &account, const QString &path)
{
    Statement s = m_db.prepare(QByteArray(QByteArray(kFolderColumns) + "WHERE account = ?1 AND path = ?2"));
    s.bind(1, account).bind(2, path);
    if (!s.next())
        return std::nullopt;
    return readFolder(s);
}

QList<Folder> Store::folders(const QString &account)
{
    QList<Folder> result;
    Statement s = m_db.prepare(QByteArray(QByteArray(kFolderColumns) + "WHERE account = ?1 ORDER BY path"));
    s.bind(1, account);
    while (s.next())
        result.append(readFolder(s));
    return result;
}

qint64 Store::saveFolder(const Folder &f)
{
    Statement s = m_db.prepare(
        "INSERT INTO folders (account, path, delimiter, role, subscribed) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (account, path) DO UPDATE SET delimiter = excluded.delimiter, role = excluded.role, "
        "subscribed = excluded.subscribed RETURNING id");
    s.bind(1, f.account).bind(2, f.path).bind(3, f.delimiter).bind(4, f.role).bind(5, qint64(f.subscribed));
    return s.next() ? s.int64(0) : 0;
}

bool Store::removeFolder(qint64 folderId)
{
    if (!dropFolderMessages(folderId))
        return false;
    Statement s = m_db.prepare("DELETE FROM folders WHERE id = ?1");
    return s.bind(1, folderId).run();
}

bool Store::setFolderSyncState(qint64 folderId, qint64 uidValidity, qint64 uidNext, qint64 highestModSeq)
{
    Statement s = m_db.prepare(
        "UPDATE folders SET uidvalidity = ?2, uidnext = ?3, highestmodseq = ?4 WHERE id = ?1");
    return s.bind(1, folderId).bind(2, uidValidity).bind(3, uidNext).bind(4, highestModSeq).run();
}

bool Store::dropFolderMessages(qint64 folderId)
{
    Transaction tx(m_db);
    Statement fts = m_db.prepare(
        "DELETE FROM message_fts WHERE rowid IN (SELECT id FROM messages WHERE folder_id = ?1)");
    Statement messages = m_db.prepare("DELETE FROM messages WHERE folder_id = ?1");
    Statement state = m_db.prepare(
        "UPDATE folders SET uidvalidity = 0, uidnext = 0, highestmodseq = 0 WHERE id = ?1");
    return tx.isActive() && fts.bind(1, folderId).run() && messages.bind(1, folderId).run()
        && state.bind(1, folderId).run() && tx.commit();
}

bool Store::insertOne(Statement &insert, qint64 folderId, const MessageSummary &m, qint64 *newId, bool indexed)
{
    insert.bind(1, folderId).bind(2, m.uid).bind(21, qint64(indexed));
    if (m.uidl.isEmpty())
        insert.bindNull(3);
    else
        insert.bind(3, m.uidl);
    insert.bind(4, m.messageId).bind(5, m.inReplyTo).bind(6, m.references).bind(7, m.threadKey)
        .bind(8, m.subject).bind(9, m.fromName).bind(10, m.fromAddress).bind(11, m.to).bind(12, m.cc)
        .bind(13, m.date).bind(14, m.internalDate).bind(15, m.size).bind(16, qint64(m.flags))
        .bind(17, m.keywords.join(QLatin1Char(' '))).bind(18, m.modseq).bind(19, qint64(m.hasAttachments))
        .bind(20, m.preview);
    if (!insert.run())
        return false;
    *newId = m_db.changes() > 0 ? m_db.lastInsertRowId() : 0; // 0: already present (INSERT OR IGNORE)
    return true;
}

bool Store::indexOne(qint64 messageId, const MessageSummary &m, const QString &bodyText)
{
    // Contentless FTS5 rows cannot be updated in place: delete (a no-op when absent), then insert.
    Statement del = m_db.prepare("DELETE FROM message_fts WHERE rowid = ?1");
    Statement fts = m_db.prepare(
        "INSERT INTO message_fts (rowid, subject, sender, recipients, body) VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement mark = m_db.prepare("UPDATE messages SET indexed = 1 WHERE id = ?1");
    return del.bind(1, messageId).run()
        && fts.bind(1, messageId).bind(2, m.subject).bind(3, m.fromName + QLatin1Char(' ') + m.fromAddress)
               .bind(4, m.to + QLatin1Char(' ') + m.cc).bind(5, bodyText).run()
        && mark.bind(1, messageId).run();
}

qint64 Store::indexPending(qint64 maxMessages)
{
    Transaction tx(m_db);
    Statement watermark = m_db.prepare("SELECT coalesce((SELECT value FROM meta WHERE key = 'fts_watermark'), 0)");
    if (!tx.isActive() || !watermark.next())
        return -1;
    const qint64 from = watermark.int64(0);
    Statement pending = m_db.prepare(
        "SELECT id, subject, from_name, from_addr, to_text, cc_text, indexed FROM messages WHERE id > ?1 "
        "ORDER BY id LIMIT ?2");
    Statement fts = m_db.prepare(
        "INSERT INTO message_fts (rowid, subject, sender, recipients, body) VALUES (?1, ?2, ?3, ?4, '')");
    // No per-row "indexed = 1" here: the watermark moves past every row visited, and the flag is only read
    // above the watermark (a body indexed before its turn). Rewriting each row cost a third of the catch-up.
    pending.bind(1, from).bind(2, maxMessages);
    qint64 last = from, indexed = 0;
    while (pending.next()) {
        last = pending.int64(0);
        if (pending.int64(6) != 0)
            continue; // its body arrived first and indexed it whole
        if (!fts.bind(1, last).bind(2, pending.text(1))
                 .bind(3, pending.text(2) + QLatin1Char(' ') + pending.text(3))
                 .bind(4, pending.text(4) + QLatin1Char(' ') + pending.text(5)).run())
            return -1;
        ++indexed;
    }
    if (!pending.isDone())
        return -1;
    if (last == from)
        return 0; // nothing new: no write, no fsync (the sync's writer asks after every batch)
    Statement save = m_db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_watermark', ?1)");
    if (!save.bind(1, last).run() || !tx.commit())
        return -1;
    return indexed;
}

qint64 Store::insertSummaries(qint64 folderId, std::span<const MessageSummary> messages, bool index)
{
    Transaction tx(m_db);
    if (index) {
        const qint64 inserted = tx.isActive() ? insertIndexed(folderId, messages) : -1;
        return inserted >= 0 && tx.commit() ? inserted : -1;
    }
    Statement insert = m_db.prepare(kInsertMessage);
    if (!tx.isActive() || !insert.isValid())
        return -1;
    qint64 inserted = 0;
    for (const MessageSummary &m : messages) {
        qint64 id = 0;
        if (!insertOne(insert, folderId, m, &id))
            return -1;
        inserted += id != 0;
    }
    return tx.commit() ? inserted : -1;
}

qint64 Store::insertIndexed(qint64 folderId, std::span<const MessageSummary> messages)
{
    // The summaries and their search-index rows in one transaction: the text is at hand, so there is no second
    // pass that reads every row back and rewrites it to mark it indexed (what indexPending() does for rows
    // stored without). When the index had caught up before, the watermark moves past the new rows too.
    Statement state = m_db.prepare(
        "SELECT coalesce((SELECT value FROM meta WHERE key = 'fts_watermark'), 0), coalesce(max(id), 0) FROM messages");
    Statement insert = m_db.prepare(kInsertMessage);
    Statement fts = m_db.prepare(
        "INSERT INTO message_fts (rowid, subject, sender, recipients, body) VALUES (?1, ?2, ?3, ?4, '')");
    if (!state.next() || !insert.isValid() || !fts.isValid())
        return -1;
    const bool caughtUp = state.int64(0) >= state.int64(1);
    qint64 last = 0, inserted = 0;
    for (const MessageSummary &m : messages) {
        qint64 id = 0;
        if (!insertOne(insert, folderId, m, &id, true))
            return -1;
        if (id == 0)
            continue; // already stored (and indexed, or left to indexPending())
        if (!fts.bind(1, id).bind(2, m.subject).bind(3, m.fromName + QLatin1Char(' ') + m.fromAddress)
                 .bind(4, m.to + QLatin1Char(' ') + m.cc).run())
            return -1;
        last = std::max(last, id);
        ++inserted;
    }
    if (!caughtUp || last == 0)
        return inserted;
    Statement save = m_db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fts_watermark', ?1)");
    return save.bind(1, last).run() ? inserted : -1;
}

bool Store::updateFlags(qint64 folderId, std::span<const FlagUpdate> updates)
{
    Transaction tx(m_db);
    Statement s = m_db.prepare(
        "UPDATE messages SET flags = ?3, keywords = ?4, modseq = max(modseq, ?5) "
        "WHERE folder_id = ?1 AND uid = ?2 AND uidl IS NULL");
    if (!tx.isActive() || !s.isValid())
        return false;
    for (const FlagUpdate &u : updates) {
        s.bind(1, folderId).bind(2, u.uid).bind(3, qint64(u.flags)).bind(4, u.keywords.join(QLatin1Char(' ')))
            .bind(5, u.modseq);
        if (!s.run())
            return false;
    }
    return tx.commit();
}

bool Store::removeUids(qint64 folderId, std::span<const qint64> uids)
{
    Transaction tx(m_db);
    Statement fts = m_db.prepare(
        "DELETE FROM message_fts WHERE rowid = (SELECT id FROM messages WHERE folder_id = ?1 AND uid = ?2 "
        "AND uidl IS NULL)");
    Statement s = m_db.prepare("DELETE FROM messages WHERE folder_id = ?1 AND uid = ?2 AND uidl IS NULL");
    if (!tx.isActive() || !s.isValid() || !fts.isValid())
        return false;
    for (qint64 uid : uids) {
        if (!fts.bind(1, folderId).bind(2, uid).run() || !s.bind(1, folderId).bind(2, uid).run())
            return false;
    }
    return tx.commit();
}

QList<MessageSummary> Store::summaries(qint64 folderId, qint64 offset, qint64 limit)
{
    QList<MessageSummary> result;
    Statement s = m_db.prepare(QByteArray(QByteArray("SELECT ") + kSummaryColumns
                                          + " FROM messages m WHERE m.folder_id = ?1 "
                                            "ORDER BY m.date DESC, m.id DESC LIMIT ?2 OFFSET ?3"));
    s.bind(1, folderId).bind(2, limit).bind(3, offset);
    while (s.next())
        result.append(readSummary(s));
    return result;
}

QList<qint64> Store::messageIds(qint64 folderId, SortKey key, bool descending)
{
    // Fixed SQL per key: the ORDER BY is never built from caller text.
    static const char *const kAsc[] = {
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY date, id",
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY subject COLLATE NOCASE, date, id",
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY from_name COLLATE NOCASE, from_addr, date, id",
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY size, id"};
    static const char *const kDesc[] = {
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY date DESC, id DESC",
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY subject COLLATE NOCASE DESC, date DESC, id DESC",
        ("SELECT id FROM messages WHERE folder_id = ?1 ORDER BY from_name COLLATE NOCASE DESC, from_addr DESC, "
         "date DESC, id DESC"),
        "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY size DESC, id DESC"};
    const int k = int(key);
    Statement s = m_db.prepare(descending ? kDesc[k] : kAsc[k]);
    s.bind(1, folderId);
    QList<qint64> ids;
    while (s.next())
        ids.append(s.int64(0));
    return ids;
}

QList<MessageSummary> Store::summariesByIds(std::span<const qint64> ids)
{
    QList<MessageSummary> result;
    result.reserve(qsizetype(ids.size()));
    Statement s = m_db.prepare(QByteArray(QByteArray("SELECT ") + kSummaryColumns + " FROM messages m WHERE m.id = ?1"));
    for (qint64 id : ids) {
        s.bind(1, id);
        if (s.next())
            result.append(readSummary(s));
        s.reset();
    }
    return result;
}

std::optional<MessageSummary> Store::summary(qint64 messageId)
{
    Statement s = m_db.prepare(QByteArray(QByteArray("SELECT ") + kSummaryColumns + " FROM messages m WHERE m.id = ?1"));
    s.bind(1, messageId);
    if (!s.next())
        return std::nullopt;
    return readSummary(s);
}

qint64 Store::folderOf(qint64 messageId)
{
    Statement s = m_db.prepare("SELECT folder_id FROM messages WHERE id = ?1");
    s.bind(1, messageId);
    return s.next() ? s.int64(0) : 0;
}

qint64 Store::messageCount(qint64 folderId)
{
    Statement s = m_db.prepare("SELECT count(*) FROM messages WHERE folder_id = ?1");
    s.bind(1, folderId);
    return s.next() ? s.int64(0) : 0;
}

qint64 Store::unreadCount(qint64 folderId)
{
    Statement s = m_db.prepare("SELECT count(*) FROM messages WHERE folder_id = ?1 AND (flags & ?2) = 0");
    s.bind(1, folderId).bind(2, qint64(Seen));
    return s.next() ? s.int64(0) : 0;
}

QList<qint64> Store::uids(qint64 folderId)
{
    QList<qint64> result;
    Statement s = m_db.prepare("SELECT uid FROM messages WHERE folder_id = ?1 AND uidl IS NULL ORDER BY uid");
    s.bind(1, folderId);
    while (s.next())
        result.append(s.int64(0));
    return result;
}

bool Store::hasUidl(qint64 folderId, const QString &uidl)
{
    Statement s = m_db.prepare("SELECT 1 FROM messages WHERE folder_id = ?1 AND uidl = ?2");
    s.bind(1, folderId).bind(2, uidl);
    return s.next();
}

QStringList Store::uidls(qint64 folderId)
{
    QStringList result;
    Statement s = m_db.prepare("SELECT uidl FROM messages WHERE folder_id = ?1 AND uidl IS NOT NULL");
    s.bind(1, folderId);
    while (s.next())
        result.append(s.text(0));
    return result;
}

QHash<QString, qint64> Store::seenUidls(qint64 folderId)
{
    QHash<QString, qint64> result;
    Statement s = m_db.prepare("SELECT uidl, first_seen FROM pop3_seen WHERE folder_id = ?1");
    s.bind(1, folderId);
    while (s.next())
        result.insert(s.text(0), s.int64(1));
    return result;
}

bool Store::forgetUidlsExcept(qint64 folderId, const QSet<QString> &listed)
{
    Transaction tx(m_db);
    Statement s = m_db.prepare("DELETE FROM pop3_seen WHERE folder_id = ?1 AND uidl = ?2");
    if (!tx.isActive() || !s.isValid())
        return false;
    const QHash<QString, qint64> seen = seenUidls(folderId);
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        if (!listed.contains(it.key()) && !s.bind(1, folderId).bind(2, it.key()).run())
            return false;
    }
    return tx.commit();
}

bool Store::removeMessages(std::span<const qint64> messageIds)
{
    Transaction tx(m_db);
    Statement fts = m_db.prepare("DELETE FROM message_fts WHERE rowid = ?1");
    Statement s = m_db.prepare("DELETE FROM messages WHERE id = ?1");
    if (!tx.isActive() || !s.isValid() || !fts.isValid())
        return false;
    for (qint64 id : messageIds) {
        if (!fts.bind(1, id).run() || !s.bind(1, id).run())
            return false;
    }
    return tx.commit();
}

bool Store::saveBody(qint64 messageId, const QByteArray &raw, const QString &bodyText)
{
    Transaction tx(m_db);
    Statement s = m_db.prepare("INSERT OR REPLACE INTO bodies (message_id, raw) VALUES (?1, ?2)");
    if (!tx.isActive() || !s.bind(1, messageId).bind(2, raw).run())
        return false;
    if (!bodyText.isEmpty()) {
        const auto m = summary(messageId);
        if (!m || !indexOne(messageId, *m, bodyText))
            return false;
    }
    return tx.commit();
}

std::optional<QByteArray> Store::body(qint64 messageId)
{
    Statement s = m_db.prepare("SELECT raw FROM bodies WHERE message_id = ?1");
    s.bind(1, messageId);
    if (!s.next())
        return std::nullopt;
    return s.blob(0);
}

QList<QPair<qint64, qint64>> Store::messagesWithoutBody(qint64 folderId)
{
    Statement s = m_db.prepare("SELECT m.id, m.uid FROM messages m LEFT JOIN bodies b ON b.message_id = m.id "
                               "WHERE m.folder_id = ?1 AND m.uid > 0 AND b.message_id IS NULL ORDER BY m.uid DESC");
    s.bind(1, folderId);
    QList<QPair<qint64, qint64>> missing;
    while (s.next())
        missing.append({s.int64(0), s.int64(1)});
    return missing;
}

qint64 Store::insertDownloaded(qint64 folderId, const MessageSummary &summary, const QByteArray &raw)
{
    Transaction tx(m_db);
    Statement insert = m_db.prepare(kInsertMessage);
    Statement body = m_db.prepare("INSERT INTO bodies (message_id, raw) VALUES (?1, ?2)");
    qint64 id = 0;
    if (!tx.isActive() || !insertOne(insert, folderId, summary, &id))
        return 0;
    if (id == 0) {
        // Already stored by an earlier, interrupted download: report the existing copy, store nothing twice.
        Statement existing = m_db.prepare("SELECT id FROM messages WHERE folder_id = ?1 AND uidl = ?2");
        existing.bind(1, folderId).bind(2, summary.uidl);
        return existing.next() ? existing.int64(0) : 0;
    }
    Statement seen = m_db.prepare(
        "INSERT OR IGNORE INTO pop3_seen (folder_id, uidl, first_seen) VALUES (?1, ?2, ?3)");
    if (!body.bind(1, id).bind(2, raw).run())
        return 0;
    if (!seen.bind(1, folderId).bind(2, summary.uidl).bind(3, summary.internalDate).run())
        return 0;
    if (!summary.bodyText.isEmpty() && !indexOne(id, summary, summary.bodyText))
        return 0;
    return tx.commit() ? id : 0;
}

QList<SearchHit> Store::search(const QString &account, const QString &query, int limit)
{
    QList<SearchHit> hits;
    const QString match = ftsQuery(query);
    if (match.isEmpty())
        return hits;
    Statement s = m_db.prepare(
        "SELECT m.id, m.folder_id, m.subject, m.from_addr, m.date FROM message_fts f "
        "JOIN messages m ON m.id = f.rowid JOIN folders d ON d.id = m.folder_id "
        "WHERE message_fts MATCH ?1 AND d.account = ?2 ORDER BY m.date DESC LIMIT ?3");
    s.bind(1, match).bind(2, account).bind(3, qint64(limit));
    while (s.next())
        hits.append({s.int64(0), s.int64(1), s.text(2), s.text(3), s.int64(4)});
    return hits;
}

bool Store::integrityCheck(QString *result)
{
    Statement s = m_db.prepare("PRAGMA integrity_check");
    QStringList lines;
    while (s.next())
        lines << s.text(0);
    if (result)
        *result = lines.join(QLatin1Char('\n'));
    return lines == QStringList{QStringLiteral("ok")};
}

bool Store::setMessageFlags(std::span<const qint64> messageIds, quint32 set, quint32 clear)
{
    Transaction tx(m_db);
    Statement s = m_db.prepare("UPDATE messages SET flags = (flags | ?2) & ~?3 WHERE id = ?1");
    if (!tx.isActive() || !s.isValid())
        return false;
    for (qint64 id : messageIds) {
        if (!s.bind(1, id).bind(2, qint64(set)).bind(3, qint64(clear)).run())
            return false;
    }
    return tx.commit();
}

bool Store::moveMessages(std::span<const qint64> messageIds, qint64 toFolderId)
{
    Transaction tx(m_db);
    Statement s = m_db.prepare(
        "UPDATE messages SET folder_id = ?2, uid = CASE WHEN uidl IS NULL THEN -id ELSE uid END WHERE id = ?1");
    if (!tx.isActive() || !s.isValid())
        return false;
    for (qint64 id : messageIds) {
        if (!s.bind(1, id).bind(2, toFolderId).run())
            return false;
    }
    return tx.commit();
}

} // namespace tern::store
