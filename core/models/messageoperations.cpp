// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messageoperations.h"

#include "store/journal.h"

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
    return read ? setFlags(ids, store::Seen, 0) : setFlags(ids, 0, store::Seen);
}

bool MessageOperations::setFlagged(const QList<qint64> &ids, bool flagged)
{
    return flagged ? setFlags(ids, store::Flagged, 0) : setFlags(ids, 0, store::Flagged);
}

QString MessageOperations::serverAccount(const QList<qint64> &ids)
{
    if (m_serverAccounts.isEmpty() || ids.isEmpty())
        return {};
    const QString account = store::Journal(*m_store).accountOf(ids.first());
    return m_serverAccounts.contains(account) ? account : QString();
}

bool MessageOperations::setFlags(const QList<qint64> &ids, quint32 set, quint32 clear)
{
    m_error.clear();
    if (ids.isEmpty())
        return true;
    const QString account = serverAccount(ids);
    if (!account.isEmpty()) {
        store::Journal journal(*m_store);
        if (!journal.setFlags(span(ids), set, clear)) {
            m_error = journal.error();
            return false;
        }
    } else if (!m_store->setMessageFlags(span(ids), set, clear)) {
        return false;
    }
    Q_EMIT flagsChanged(ids, set, clear);
    if (!account.isEmpty())
        Q_EMIT journalChanged(account);
    return true;
}

bool MessageOperations::move(const QList<qint64> &ids, qint64 toFolderId)
{
    m_error.clear();
    if (ids.isEmpty() || toFolderId <= 0)
        return ids.isEmpty();
    const QString account = serverAccount(ids);
    if (!account.isEmpty()) {
        store::Journal journal(*m_store);
        if (!journal.move(span(ids), toFolderId)) {
            m_error = journal.error();
            return false;
        }
    } else if (!m_store->moveMessages(span(ids), toFolderId)) {
        return false;
    }
    Q_EMIT messagesMoved(ids, toFolderId);
    if (!account.isEmpty())
        Q_EMIT journalChanged(account);
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
    m_error.clear();
    const QString account = serverAccount(ids);
    if (!account.isEmpty()) {
        // Without a Trash on the server (RFC 6154 \Trash) or from Trash itself: \Deleted + UID EXPUNGE there.
        store::Journal journal(*m_store);
        if (!journal.expunge(span(ids))) {
            m_error = journal.error();
            return false;
        }
    } else if (!m_store->removeMessages(span(ids))) {
        return false;
    }
    Q_EMIT messagesRemoved(ids);
    if (!account.isEmpty())
        Q_EMIT journalChanged(account);
    return true;
}

} // namespace tern::models
