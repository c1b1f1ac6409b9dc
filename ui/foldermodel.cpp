// SPDX-License-Identifier: GPL-3.0-or-later
#include "foldermodel.h"

#include "messagelistproxy.h"

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

} // namespace tern::ui
