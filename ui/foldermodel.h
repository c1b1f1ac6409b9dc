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
    enum Role { FolderIdRole = Qt::UserRole + 1, AccountRole, FolderPathRole, FolderNameRole, UnifiedInboxRole };

    using QStandardItemModel::QStandardItemModel;

    QStringList mimeTypes() const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

    QModelIndex indexOfFolder(qint64 folderId) const;

    // The unified Inbox: the first row, over every account's folder with the inbox role (ids only: the
    // message list reads them from the store). Shown once two inboxes exist (with one it would only repeat
    // that account's Inbox); updated in place.
    void setUnifiedInbox(const QList<qint64> &inboxFolderIds, qint64 unread);
    QModelIndex unifiedInboxIndex() const;
    QList<qint64> unifiedInboxFolders() const { return m_inboxes; }
    static bool isUnifiedInbox(const QModelIndex &index) { return index.data(UnifiedInboxRole).toBool(); }

Q_SIGNALS:
    void messagesDropped(const QList<qint64> &messageIds, qint64 folderId);

private:
    QList<qint64> m_inboxes;
};

} // namespace tern::ui
