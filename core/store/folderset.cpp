// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/folderset.h"

namespace tern::store {

namespace {

// "?1,?2,...": placeholders only; the folder ids themselves are bound, never spliced into the SQL.
QByteArray placeholders(qsizetype count, int first = 1)
{
    QByteArray list;
    for (qsizetype i = 0; i < count; ++i) {
        if (i)
            list += ',';
        list += '?' + QByteArray::number(first + i);
    }
    return list;
}

} // namespace

QList<qint64> messageIds(Store &store, std::span<const qint64> folderIds, Store::SortKey key, bool descending)
{
    if (folderIds.empty())
        return {};
    if (folderIds.size() == 1)
        return store.messageIds(folderIds.front(), key, descending);
    // Fixed ORDER BY per key, as Store::messageIds(): never built from caller text.
    static const char *const kOrder[] = {" ORDER BY date%1, id%1", " ORDER BY subject COLLATE NOCASE%1, date%1, id%1",
                                         " ORDER BY from_name COLLATE NOCASE%1, from_addr%1, date%1, id%1",
                                         " ORDER BY size%1, id%1"};
    const QByteArray order = QByteArray(kOrder[int(key)]).replace("%1", descending ? " DESC" : "");
    Statement s = store.database().prepare("SELECT id FROM messages WHERE folder_id IN ("
                                           + placeholders(qsizetype(folderIds.size())) + ")" + order);
    for (size_t i = 0; i < folderIds.size(); ++i)
        s.bind(int(i) + 1, folderIds[i]);
    QList<qint64> ids;
    while (s.next())
        ids.append(s.int64(0));
    return ids;
}

qint64 lastMessageId(Store &store)
{
    Statement s = store.database().prepare("SELECT COALESCE(MAX(id), 0) FROM messages");
    return s.next() ? s.int64(0) : 0;
}

QList<qint64> unreadSince(Store &store, std::span<const qint64> folderIds, qint64 afterId, int limit)
{
    if (folderIds.empty() || limit <= 0)
        return {};
    const int n = int(folderIds.size());
    Statement s = store.database().prepare("SELECT id FROM messages WHERE id > ?1 AND (flags & ?2) = 0 AND folder_id IN ("
                                           + placeholders(n, 4) + ") ORDER BY id LIMIT ?3");
    s.bind(1, afterId).bind(2, qint64(Seen)).bind(3, qint64(limit));
    for (int i = 0; i < n; ++i)
        s.bind(i + 4, folderIds[size_t(i)]);
    QList<qint64> ids;
    while (s.next())
        ids.append(s.int64(0));
    return ids;
}

QHash<qint64, QString> folderAccounts(Store &store, std::span<const qint64> folderIds)
{
    QHash<qint64, QString> accounts;
    if (folderIds.empty())
        return accounts;
    Statement s = store.database().prepare("SELECT id, account FROM folders WHERE id IN ("
                                           + placeholders(qsizetype(folderIds.size())) + ")");
    for (size_t i = 0; i < folderIds.size(); ++i)
        s.bind(int(i) + 1, folderIds[i]);
    while (s.next())
        accounts.insert(s.int64(0), s.text(1));
    return accounts;
}

QList<Folder> inboxes(Store &store)
{
    Statement s = store.database().prepare("SELECT id, account, path FROM folders WHERE role = 'inbox' ORDER BY account");
    QList<Folder> result;
    while (s.next()) {
        Folder f;
        f.id = s.int64(0);
        f.account = s.text(1);
        f.path = s.text(2);
        f.role = QStringLiteral("inbox");
        result.append(f);
    }
    return result;
}

} // namespace tern::store
