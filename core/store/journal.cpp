// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/journal.h"

#include "store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace tern::store {

namespace {

const char *opName(JournalEntry::Op op)
{
    switch (op) {
    case JournalEntry::Op::Flags: return "flags";
    case JournalEntry::Op::Move: return "move";
    case JournalEntry::Op::Expunge: return "expunge";
    case JournalEntry::Op::Append: return "append";
    }
    return "flags";
}

std::optional<JournalEntry::Op> opFromName(const QString &name)
{
    for (auto op : {JournalEntry::Op::Flags, JournalEntry::Op::Move, JournalEntry::Op::Expunge, JournalEntry::Op::Append}) {
        if (name == QLatin1StringView(opName(op)))
            return op;
    }
    return std::nullopt;
}

QJsonArray itemsJson(const QList<JournalItem> &items)
{
    QJsonArray out;
    for (const JournalItem &i : items)
        out.append(QJsonArray{i.messageId, i.uid});
    return out;
}

QByteArray payload(const JournalEntry &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("folder"), e.folder);
    o.insert(QStringLiteral("uidvalidity"), e.uidValidity);
    o.insert(QStringLiteral("items"), itemsJson(e.items));
    if (e.set)
        o.insert(QStringLiteral("set"), qint64(e.set));
    if (e.clear)
        o.insert(QStringLiteral("clear"), qint64(e.clear));
    if (!e.addKeywords.isEmpty())
        o.insert(QStringLiteral("addKeywords"), QJsonArray::fromStringList(e.addKeywords));
    if (!e.removeKeywords.isEmpty())
        o.insert(QStringLiteral("removeKeywords"), QJsonArray::fromStringList(e.removeKeywords));
    if (!e.target.isEmpty())
        o.insert(QStringLiteral("target"), e.target);
    if (e.appendedMessage)
        o.insert(QStringLiteral("message"), e.appendedMessage);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A row this version cannot read (hand-edited, newer Tern) is a conflict, never a crash or a guess.
bool readPayload(const QByteArray &json, JournalEntry *e)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    e->folder = o.value(QStringLiteral("folder")).toString();
    e->uidValidity = o.value(QStringLiteral("uidvalidity")).toInteger();
    for (const QJsonValue &v : o.value(QStringLiteral("items")).toArray()) {
        const QJsonArray pair = v.toArray();
        if (pair.size() != 2)
            return false;
        e->items.append({pair.at(0).toInteger(), pair.at(1).toInteger()});
    }
    e->set = quint32(o.value(QStringLiteral("set")).toInteger());
    e->clear = quint32(o.value(QStringLiteral("clear")).toInteger());
    for (const QJsonValue &v : o.value(QStringLiteral("addKeywords")).toArray())
        e->addKeywords.append(v.toString());
    for (const QJsonValue &v : o.value(QStringLiteral("removeKeywords")).toArray())
        e->removeKeywords.append(v.toString());
    e->target = o.value(QStringLiteral("target")).toString();
    e->appendedMessage = o.value(QStringLiteral("message")).toInteger();
    return !e->folder.isEmpty();
}

QString applyKeywords(const QString &stored, const QStringList &add, const QStringList &remove)
{
    QStringList words = stored.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &k : add) {
        if (!words.contains(k))
            words.append(k);
    }
    for (const QString &k : remove)
        words.removeAll(k);
    return words.join(QLatin1Char(' '));
}

} // namespace

struct Journal::Located
{
    qint64 messageId = 0;
    qint64 uid = 0;
    bool imap = false; // uidl IS NULL: a server copy exists (POP3 and local messages have none to change)
    qint64 folderId = 0;
    QString account;
    QString path;
    qint64 uidValidity = 0;
};

Journal::Journal(Store &store)
    : m_store(store)
{
}

QString Journal::error() const
{
    return m_error.isEmpty() ? m_store.error() : m_error;
}

QList<Journal::Located> Journal::locate(std::span<const qint64> messageIds)
{
    QList<Located> out;
    Statement s = m_store.database().prepare(
        "SELECT m.id, m.uid, m.uidl IS NULL, f.id, f.account, f.path, f.uidvalidity FROM messages m "
        "JOIN folders f ON f.id = m.folder_id WHERE m.id = ?1");
    for (qint64 id : messageIds) {
        s.bind(1, id);
        if (s.next())
            out.append({s.int64(0), s.int64(1), s.int64(2) != 0, s.int64(3), s.text(4), s.text(5), s.int64(6)});
        s.reset();
    }
    return out;
}

bool Journal::insertRow(const QString &account, JournalEntry::Op op, const QByteArray &json, const QByteArray &raw)
{
    Statement s = m_store.database().prepare(
        "INSERT INTO journal (account, op, payload, raw, state, created, updated) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)");
    s.bind(1, account).bind(2, QString::fromLatin1(opName(op))).bind(3, QString::fromUtf8(json));
    if (raw.isNull())
        s.bindNull(4);
    else
        s.bind(4, raw);
    return s.bind(5, QDateTime::currentSecsSinceEpoch()).run();
}

namespace {
// Groups located messages by folder, keeping only those with a server copy.
template<typename L>
QMap<qint64, QList<L>> byFolder(const QList<L> &located)
{
    QMap<qint64, QList<L>> groups;
    for (const L &l : located) {
        if (l.imap)
            groups[l.folderId].append(l);
    }
    return groups;
}
} // namespace

bool Journal::setFlags(std::span<const qint64> messageIds, quint32 set, quint32 clear, const QStringList &addKeywords,
                       const QStringList &removeKeywords)
{
    Database &db = m_store.database();
    Transaction tx(db);
    Statement flags = db.prepare("UPDATE messages SET flags = (flags | ?2) & ~?3 WHERE id = ?1");
    Statement readKeywords = db.prepare("SELECT keywords FROM messages WHERE id = ?1");
    Statement writeKeywords = db.prepare("UPDATE messages SET keywords = ?2 WHERE id = ?1");
    if (!tx.isActive() || !flags.isValid())
        return false;
    const QList<Located> located = locate(messageIds);
    for (const Located &l : located) {
        if (!flags.bind(1, l.messageId).bind(2, qint64(set)).bind(3, qint64(clear)).run())
            return false;
        if (addKeywords.isEmpty() && removeKeywords.isEmpty())
            continue;
        readKeywords.bind(1, l.messageId);
        const QString stored = readKeywords.next() ? readKeywords.text(0) : QString();
        readKeywords.reset();
        if (!writeKeywords.bind(1, l.messageId).bind(2, applyKeywords(stored, addKeywords, removeKeywords)).run())
            return false;
    }
    const auto groups = byFolder(located);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        JournalEntry e;
        e.folder = it->first().path;
        e.uidValidity = it->first().uidValidity;
        for (const Located &l : *it)
            e.items.append({l.messageId, l.uid});
        e.set = set;
        e.clear = clear;
        e.addKeywords = addKeywords;
        e.removeKeywords = removeKeywords;
        if (!insertRow(it->first().account, JournalEntry::Op::Flags, payload(e)))
            return false;
    }
    return tx.commit();
}

bool Journal::move(std::span<const qint64> messageIds, qint64 toFolderId)
{
    Database &db = m_store.database();
    Transaction tx(db);
    Statement target = db.prepare("SELECT account, path FROM folders WHERE id = ?1");
    Statement s = db.prepare(
        "UPDATE messages SET folder_id = ?2, uid = CASE WHEN uidl IS NULL THEN -id ELSE uid END WHERE id = ?1");
    if (!tx.isActive() || !s.isValid() || !target.bind(1, toFolderId).next()) {
        m_error = QStringLiteral("no folder %1 in the store").arg(toFolderId);
        return false;
    }
    const QString account = target.text(0), to = target.text(1);
    const QList<Located> located = locate(messageIds);
    const auto groups = byFolder(located);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        // Across accounts there is no single server to ask: such a move stays local (as before the journal).
        if (it.key() == toFolderId || it->first().account != account)
            continue;
        JournalEntry e;
        e.folder = it->first().path;
        e.uidValidity = it->first().uidValidity;
        for (const Located &l : *it)
            e.items.append({l.messageId, l.uid});
        e.target = to;
        if (!insertRow(account, JournalEntry::Op::Move, payload(e)))
            return false;
    }
    for (const Located &l : located) {
        if (l.folderId != toFolderId && !s.bind(1, l.messageId).bind(2, toFolderId).run())
            return false;
    }
    return tx.commit();
}

bool Journal::expunge(std::span<const qint64> messageIds)
{
    Database &db = m_store.database();
    Transaction tx(db);
    Statement fts = db.prepare("DELETE FROM message_fts WHERE rowid = ?1");
    Statement s = db.prepare("DELETE FROM messages WHERE id = ?1");
    if (!tx.isActive() || !s.isValid() || !fts.isValid())
        return false;
    const QList<Located> located = locate(messageIds);
    const auto groups = byFolder(located);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        JournalEntry e;
        e.folder = it->first().path;
        e.uidValidity = it->first().uidValidity;
        for (const Located &l : *it)
            e.items.append({l.messageId, l.uid});
        if (!insertRow(it->first().account, JournalEntry::Op::Expunge, payload(e)))
            return false;
    }
    for (const Located &l : located) {
        if (!fts.bind(1, l.messageId).run() || !s.bind(1, l.messageId).run())
            return false;
    }
    return tx.commit();
}

qint64 Journal::append(const QString &account, const QString &folder, const QByteArray &raw, quint32 flags,
                       qint64 messageId)
{
    JournalEntry e;
    e.folder = folder;
    e.set = flags;
    e.appendedMessage = messageId;
    if (!insertRow(account, JournalEntry::Op::Append, payload(e), raw.isNull() ? QByteArray("") : raw))
        return 0;
    return m_store.database().lastInsertRowId();
}

QList<JournalEntry> Journal::entries(const QString &account, const char *state)
{
    QList<JournalEntry> out;
    Statement s = m_store.database().prepare(
        "SELECT id, op, payload, raw, state, error, created FROM journal WHERE account = ?1 AND state = ?2 ORDER BY id");
    s.bind(1, account).bind(2, QString::fromLatin1(state));
    while (s.next()) {
        JournalEntry e;
        e.id = s.int64(0);
        e.account = account;
        e.raw = s.blob(3);
        e.state = s.text(4) == QLatin1StringView("conflict") ? JournalEntry::State::Conflict : JournalEntry::State::Pending;
        e.error = s.text(5);
        e.created = s.int64(6);
        const auto op = opFromName(s.text(1));
        if (!op || !readPayload(s.text(2).toUtf8(), &e)) {
            e.state = JournalEntry::State::Conflict;
            e.error = QStringLiteral("this change cannot be read (written by another version of Tern?)");
        } else {
            e.op = *op;
        }
        out.append(e);
    }
    return out;
}

QString Journal::accountOf(qint64 messageId)
{
    Statement s = m_store.database().prepare(
        "SELECT f.account FROM messages m JOIN folders f ON f.id = m.folder_id WHERE m.id = ?1");
    s.bind(1, messageId);
    return s.next() ? s.text(0) : QString();
}

QList<JournalEntry> Journal::pending(const QString &account)
{
    return entries(account, "pending");
}

QList<JournalEntry> Journal::conflicts(const QString &account)
{
    return entries(account, "conflict");
}

qint64 Journal::pendingCount(const QString &account)
{
    Statement s = m_store.database().prepare("SELECT count(*) FROM journal WHERE account = ?1 AND state = 'pending'");
    s.bind(1, account);
    return s.next() ? s.int64(0) : 0;
}

qint64 Journal::conflictCount(const QString &account)
{
    Statement s = m_store.database().prepare("SELECT count(*) FROM journal WHERE account = ?1 AND state = 'conflict'");
    s.bind(1, account);
    return s.next() ? s.int64(0) : 0;
}

bool Journal::finish(const JournalEntry &entry, const QHash<qint64, qint64> &uids, const QString &conflict)
{
    Database &db = m_store.database();
    Transaction tx(db);
    if (!tx.isActive())
        return false;
    if (!conflict.isEmpty()) {
        Statement s = db.prepare("UPDATE journal SET state = 'conflict', error = ?2, updated = ?3 WHERE id = ?1");
        if (!s.bind(1, entry.id).bind(2, conflict).bind(3, QDateTime::currentSecsSinceEpoch()).run())
            return false;
    } else {
        Statement s = db.prepare("DELETE FROM journal WHERE id = ?1");
        if (!s.bind(1, entry.id).run())
            return false;
    }
    const QString where = entry.op == JournalEntry::Op::Move ? entry.target : entry.folder;
    if (!uids.isEmpty()) {
        // The local copy takes its real UID only while it is still in that folder (a later offline move took
        // it elsewhere: then the later row learns the UID instead). If a sync already stored the server's
        // copy under that UID, the placeholder is the duplicate: it goes.
        Statement update = db.prepare(
            "UPDATE OR IGNORE messages SET uid = ?2 WHERE id = ?1 AND uid <= 0 AND uidl IS NULL AND folder_id = "
            "(SELECT id FROM folders WHERE account = ?3 AND path = ?4)");
        Statement dropDuplicate = db.prepare(
            "DELETE FROM messages WHERE id = ?1 AND uid <= 0 AND uidl IS NULL AND folder_id = "
            "(SELECT id FROM folders WHERE account = ?2 AND path = ?3)");
        for (auto it = uids.cbegin(); it != uids.cend(); ++it) {
            if (!update.bind(1, it.key()).bind(2, it.value()).bind(3, entry.account).bind(4, where).run()
                || !dropDuplicate.bind(1, it.key()).bind(2, entry.account).bind(3, where).run())
                return false;
        }
        Statement later = db.prepare(
            "SELECT id, payload FROM journal WHERE account = ?1 AND state = 'pending' AND id > ?2 ORDER BY id");
        Statement save = db.prepare("UPDATE journal SET payload = ?2 WHERE id = ?1");
        later.bind(1, entry.account).bind(2, entry.id);
        QList<std::pair<qint64, QByteArray>> patched;
        while (later.next()) {
            JournalEntry e;
            if (!readPayload(later.text(1).toUtf8(), &e) || e.folder != where)
                continue;
            bool changed = false;
            for (JournalItem &i : e.items) {
                if (i.uid <= 0 && uids.contains(i.messageId)) {
                    i.uid = uids.value(i.messageId);
                    changed = true;
                }
            }
            if (changed) {
                // Only the fields readPayload() knows: rewrite the items inside the row's own JSON.
                QJsonObject o = QJsonDocument::fromJson(later.text(1).toUtf8()).object();
                o.insert(QStringLiteral("items"), itemsJson(e.items));
                patched.append({later.int64(0), QJsonDocument(o).toJson(QJsonDocument::Compact)});
            }
        }
        for (const auto &[id, json] : patched) {
            if (!save.bind(1, id).bind(2, QString::fromUtf8(json)).run())
                return false;
        }
    }
    return tx.commit();
}

bool Journal::markConflict(qint64 entryId, const QString &reason)
{
    Statement s = m_store.database().prepare(
        "UPDATE journal SET state = 'conflict', error = ?2, updated = ?3 WHERE id = ?1");
    return s.bind(1, entryId).bind(2, reason).bind(3, QDateTime::currentSecsSinceEpoch()).run();
}

bool Journal::dismissConflicts(const QString &account)
{
    Statement s = m_store.database().prepare("DELETE FROM journal WHERE account = ?1 AND state = 'conflict'");
    return s.bind(1, account).run();
}

bool Journal::updateConflicts(const QString &account, std::span<const qint64> entryIds, bool retry)
{
    Database &db = m_store.database();
    Transaction tx(db);
    // Only the account's conflict rows: an id that turned pending or went meanwhile is left alone.
    Statement s = db.prepare(retry ? "UPDATE journal SET state = 'pending', error = '', updated = ?3 "
                                     "WHERE id = ?1 AND account = ?2 AND state = 'conflict'"
                                   : "DELETE FROM journal WHERE id = ?1 AND account = ?2 AND state = 'conflict'");
    if (!tx.isActive() || !s.isValid())
        return false;
    for (qint64 id : entryIds) {
        s.bind(1, id).bind(2, account);
        if (retry)
            s.bind(3, QDateTime::currentSecsSinceEpoch());
        if (!s.run())
            return false;
    }
    return tx.commit();
}

bool Journal::dismissConflicts(const QString &account, std::span<const qint64> entryIds)
{
    return updateConflicts(account, entryIds, false);
}

bool Journal::retryConflicts(const QString &account, std::span<const qint64> entryIds)
{
    return updateConflicts(account, entryIds, true);
}

} // namespace tern::store
