// SPDX-License-Identifier: GPL-3.0-or-later
#include "foldermodel.h"
#include "foldertree.h"

#include "messagelistproxy.h"

#include <QFont>
#include <QIcon>
#include <QMimeData>

namespace tern::ui {

QStringList FolderModel::mimeTypes() const
{
    return {MessageListProxy::messageIdsMimeType()};
}

bool FolderModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                  const QModelIndex &parent) const
{
    Q_UNUSED(row)
    Q_UNUSED(column)
    // Onto a folder only (not between rows, not onto an account).
    return (action == Qt::MoveAction || action == Qt::CopyAction) && data
           && data->hasFormat(MessageListProxy::messageIdsMimeType()) && parent.data(FolderIdRole).toLongLong() > 0;
}

bool FolderModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                               const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const QList<qint64> ids = MessageListProxy::messageIds(data);
    if (ids.isEmpty())
        return false;
    Q_EMIT messagesDropped(ids, parent.data(FolderIdRole).toLongLong());
    return true;
}

QModelIndex FolderModel::indexOfFolder(qint64 folderId) const
{
    const QModelIndexList found = match(index(0, 0), FolderIdRole, folderId, 1, Qt::MatchRecursive | Qt::MatchExactly);
    return found.isEmpty() ? QModelIndex() : found.first();
}

void FolderModel::setUnifiedInbox(const QList<qint64> &inboxFolderIds, qint64 unread)
{
    m_inboxes = inboxFolderIds;
    QModelIndex existing = unifiedInboxIndex();
    if (inboxFolderIds.size() < 2) {
        if (existing.isValid())
            removeRow(existing.row());
        return;
    }
    QStandardItem *item = existing.isValid() ? itemFromIndex(existing) : nullptr;
    if (!item) {
        item = new QStandardItem;
        item->setEditable(false);
        item->setData(true, UnifiedInboxRole);
        item->setData(0, FolderIdRole); // no folder of its own: nothing can be dropped on it
        item->setIcon(folderIcon(QStringLiteral("inbox")));
        insertRow(0, item);
    }
    const QString name = tr("All Inboxes");
    item->setData(name, FolderNameRole);
    item->setText(unread ? QStringLiteral("%1 (%2)").arg(name).arg(unread) : name);
    item->setAccessibleText(tr("%1, %n unread", nullptr, int(unread)).arg(name));
    QFont font = item->font();
    font.setBold(unread > 0);
    item->setFont(font);
}

QModelIndex FolderModel::unifiedInboxIndex() const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row)->data(UnifiedInboxRole).toBool())
            return index(row, 0);
    }
    return {};
}

} // namespace tern::ui
