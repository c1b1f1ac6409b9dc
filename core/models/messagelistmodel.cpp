// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messagelistmodel.h"

#include "store/folderset.h"
#include "store/store.h"

#include <QDateTime>

#include <algorithm>
#include <QLocale>

namespace tern::models {

using store::MessageSummary;

MessageListModel::MessageListModel(store::Store *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
}

void MessageListModel::setFolder(qint64 folderId)
{
    m_folder = folderId;
    m_folders = folderId ? QList<qint64>{folderId} : QList<qint64>();
    reload();
}

void MessageListModel::setFolders(const QList<qint64> &folderIds)
{
    m_folder = 0;
    m_folders = folderIds;
    reload();
}

void MessageListModel::reload()
{
    beginResetModel();
    m_pages.clear();
    m_pageAge.clear();
    m_folderOf.clear();
    m_folderAccounts = store::folderAccounts(*m_store, m_folders);
    if (m_sortColumn == AccountColumn) {
        m_ids = idsByAccount(m_sortOrder == Qt::DescendingOrder);
        endResetModel();
        return;
    }
    store::Store::SortKey key = store::Store::SortKey::Date;
    switch (m_sortColumn) {
    case SubjectColumn: key = store::Store::SortKey::Subject; break;
    case CorrespondentColumn: key = store::Store::SortKey::From; break;
    case SizeColumn: key = store::Store::SortKey::Size; break;
    default: break;
    }
    m_ids = store::messageIds(*m_store, m_folders, key, m_sortOrder == Qt::DescendingOrder);
    endResetModel();
}

// By account name, then newest first within each account: one indexed query per folder, and the folder of
// every row is known on the way.
QList<qint64> MessageListModel::idsByAccount(bool descending)
{
    QList<qint64> folders = m_folders;
    std::stable_sort(folders.begin(), folders.end(), [this, descending](qint64 a, qint64 b) {
        const int c = QString::compare(m_folderAccounts.value(a), m_folderAccounts.value(b), Qt::CaseInsensitive);
        return descending ? c > 0 : c < 0;
    });
    QList<qint64> ids;
    for (qint64 folder : std::as_const(folders)) {
        const QList<qint64> part = m_store->messageIds(folder, store::Store::SortKey::Date, true);
        for (qint64 id : part)
            m_folderOf.insert(id, folder);
        ids += part;
    }
    return ids;
}

QString MessageListModel::accountOf(qint64 messageId) const
{
    if (m_folderAccounts.size() == 1)
        return m_folderAccounts.cbegin().value();
    auto it = m_folderOf.constFind(messageId);
    if (it == m_folderOf.constEnd())
        it = m_folderOf.insert(messageId, m_store->folderOf(messageId));
    return m_folderAccounts.value(it.value());
}

void MessageListModel::invalidate()
{
    m_pages.clear();
    m_pageAge.clear();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_ids.size()) - 1, ColumnCount - 1));
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const MessageSummary *MessageListModel::summaryAt(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return nullptr;
    const int page = row / kPageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        if (m_pages.size() >= kMaxPages)
            m_pages.remove(m_pageAge.takeFirst());
        const qsizetype first = qsizetype(page) * kPageSize;
        const auto ids = QList<qint64>(m_ids.mid(first, qMin<qsizetype>(kPageSize, m_ids.size() - first)));
        QList<MessageSummary> loaded = m_store->summariesByIds(ids);
        // A message removed since the ids were read leaves a hole: keep rows aligned with m_ids.
        if (loaded.size() != ids.size()) {
            QList<MessageSummary> aligned;
            qsizetype j = 0;
            for (qint64 id : ids) {
                if (j < loaded.size() && loaded[j].id == id)
                    aligned.append(loaded[j++]);
                else
                    aligned.append(MessageSummary{});
            }
            loaded = aligned;
        }
        it = m_pages.insert(page, loaded);
        m_pageAge.append(page);
    } else if (m_pageAge.last() != page) {
        m_pageAge.removeOne(page);
        m_pageAge.append(page);
    }
    return &it.value()[row % kPageSize];
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    const MessageSummary *m = index.isValid() ? summaryAt(index.row()) : nullptr;
    if (!m)
        return {};
    const bool accountCell = index.column() == AccountColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole);
    if (m->id && (role == AccountRole || accountCell))
        return accountOf(m->id);
    return summaryData(*m, index.column(), role);
}

QVariant MessageListModel::summaryData(const MessageSummary &summary, int column, int role)
{
    const MessageSummary *m = &summary;
    switch (role) {
    case MessageIdRole: return m->id;
    case UnreadRole: return (m->flags & store::Seen) == 0;
    case FlagsRole: return m->flags;
    case FromAddressRole: return m->fromAddress;
    case Qt::DisplayRole:
        switch (column) {
        case FlagColumn: return (m->flags & store::Flagged) ? QStringLiteral("★") : QString();
        case AttachmentColumn: return m->hasAttachments ? QStringLiteral("📎") : QString();
        case SubjectColumn: return m->subject;
        case CorrespondentColumn: return m->fromName.isEmpty() ? m->fromAddress : m->fromName;
        case DateColumn:
            return QLocale().toString(QDateTime::fromSecsSinceEpoch(m->date), QLocale::ShortFormat);
        case SizeColumn: return QLocale().formattedDataSize(m->size);
        }
        break;
    case Qt::ToolTipRole:
        // The real address, always: a display name alone can impersonate anyone.
        if (column == CorrespondentColumn)
            return QStringLiteral("%1 <%2>").arg(m->fromName, m->fromAddress);
        break;
    case Qt::AccessibleTextRole:
        if (column == FlagColumn)
            return (m->flags & store::Flagged) ? tr("Flagged") : tr("Not flagged");
        if (column == AttachmentColumn)
            return m->hasAttachments ? tr("Has attachments") : tr("No attachments");
        break;
    default: break;
    }
    return {};
}

QVariant MessageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    return columnHeader(section, role);
}

QVariant MessageListModel::columnHeader(int section, int role)
{
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FlagColumn: return tr("★");
    case AttachmentColumn: return tr("📎");
    case SubjectColumn: return tr("Subject");
    case CorrespondentColumn: return tr("From");
    case DateColumn: return tr("Date");
    case SizeColumn: return tr("Size");
    case AccountColumn: return tr("Account");
    }
    return {};
}

void MessageListModel::sort(int column, Qt::SortOrder order)
{
    if (column != DateColumn && column != SubjectColumn && column != CorrespondentColumn && column != SizeColumn
        && column != AccountColumn)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    reload();
}

} // namespace tern::models
