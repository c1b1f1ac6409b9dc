// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messageoperations.h"

namespace tern::models {

namespace {
std::span<const qint64> span(const QList<qint64> &ids)
{
    return {ids.constData(), size_t(ids.size())};
}
} // namespace

MessageOperations::MessageOperations(store::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

bool MessageOperations::setRead(const QList<qint64> &ids, bool read)
{
    if (ids.isEmpty())
        return true;
    const quint32 set = read ? store::Seen : 0;
    const quint32 clear = read ? 0 : store::Seen;
    if (!m_store->setMessageFlags(span(ids), set, clear))
        return false;
    Q_EMIT flagsChanged(ids, set, clear);
    return true;
}

bool MessageOperations::setFlagged(const QList<qint64> &ids, bool flagged)
{
    if (ids.isEmpty())
        return true;
    const quint32 set = flagged ? store::Flagged : 0;
    const quint32 clear = flagged ? 0 : store::Flagged;
    if (!m_store->setMessageFlags(span(ids), set, clear))
        return false;
    Q_EMIT flagsChanged(ids, set, clear);
    return true;
}

bool MessageOperations::move(const QList<qint64> &ids, qint64 toFolderId)
{
    if (ids.isEmpty() || toFolderId <= 0)
        return ids.isEmpty();
    if (!m_store->moveMessages(span(ids), toFolderId))
        return false;
    Q_EMIT messagesMoved(ids, toFolderId);
    return true;
}

std::optional<store::Folder> MessageOperations::trashFolder(const QString &account)
{
    const QList<store::Folder> folders = m_store->folders(account);
    for (const store::Folder &f : folders) {
        if (f.role == QLatin1StringView("trash"))
            return f;
    }
    for (const store::Folder &f : folders) {
        if (f.path.compare(QLatin1StringView("Trash"), Qt::CaseInsensitive) == 0)
            return f;
    }
    return std::nullopt;
}

bool MessageOperations::remove(const QList<qint64> &ids, const store::Folder &from)
{
    if (ids.isEmpty())
        return true;
    const auto trash = trashFolder(from.account);
    if (trash && trash->id != from.id)
        return move(ids, trash->id);
    if (!m_store->removeMessages(span(ids)))
        return false;
    Q_EMIT messagesRemoved(ids);
    return true;
}

} // namespace tern::models
