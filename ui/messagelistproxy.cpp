// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagelistproxy.h"

#include "models/messagelistmodel.h"

#include <QApplication>
#include <QFont>
#include <QStyle>

namespace tern::ui {

using models::MessageListModel;

QVariant MessageListProxy::data(const QModelIndex &index, int role) const
{
    if (index.column() == MessageListModel::AttachmentColumn) {
        if (role == Qt::DisplayRole)
            return {};
        if (role == Qt::DecorationRole) {
            const bool has = !QIdentityProxyModel::data(index, Qt::DisplayRole).toString().isEmpty();
            return has ? QApplication::style()->standardIcon(QStyle::SP_FileIcon) : QVariant();
        }
    }
    if (role == Qt::FontRole && index.data(MessageListModel::UnreadRole).toBool()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    return QIdentityProxyModel::data(index, role);
}

QVariant MessageListProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && section == MessageListModel::AttachmentColumn) {
        if (role == Qt::DisplayRole)
            return {};
        if (role == Qt::DecorationRole)
            return QApplication::style()->standardIcon(QStyle::SP_FileIcon);
        if (role == Qt::ToolTipRole || role == Qt::AccessibleTextRole)
            return tr("Attachments");
    }
    return QIdentityProxyModel::headerData(section, orientation, role);
}

} // namespace tern::ui
