// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStandardItemModel>

namespace tern::ui {

// The folder tree: accounts, then their folders from the store. A folder accepts messages dragged from the
// message list (MessageListProxy's ids); the move itself is the window's (models::MessageOperations).
class FolderModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Role { FolderIdRole = Qt::UserRole + 1, AccountRole, FolderPathRole, FolderNameRole };

    using QStandardItemModel::QStandardItemModel;

    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    QModelIndex indexOfFolder(qint64 folderId) const;

Q_SIGNALS:
    void messagesDropped(const QList<qint64> &messageIds, qint64 folderId);
};

} // namespace tern::ui
