// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QIcon>
#include <QList>

#include <functional>

class QStandardItem;

namespace tern::ui {

// The icon of a folder with this special-use role ("inbox", "sent", "drafts", "trash", "junk", "archive", or
// empty for an ordinary folder): the desktop theme's icon when it has one, else one drawn here, so the roles
// stay distinguishable on a system without an icon theme.
QIcon folderIcon(const QString &role);

// An account's folders as a tree under its item: special-use folders first in the order users know (Inbox,
// Drafts, Sent, Archive, Junk, Trash), then the rest by name; a folder nests under its parent by the
// server's hierarchy delimiter (RFC 3501 §5.1.1), and a parent the store does not hold (\Noselect, or not
// synced) is shown as a folder with no id, which selects nothing. unreadCount gives a folder's unread count;
// the function returns the account's total.
qint64 appendFolderTree(QStandardItem *account, const QList<store::Folder> &folders,
                        const std::function<qint64(qint64 folderId)> &unreadCount);

} // namespace tern::ui
