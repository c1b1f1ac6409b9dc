// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagelistproxy.h"

#include "models/messagelistmodel.h"

#include <QApplication>
#include <QFont>
#include <QMimeData>
#include <QSet>
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

Qt::ItemFlags MessageListProxy::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QIdentityProxyModel::flags(index);
    if (index.isValid())
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QStringList MessageListProxy::mimeTypes() const
{
    return {messageIdsMimeType()};
}

QMimeData *MessageListProxy::mimeData(const QModelIndexList &indexes) const
{
    QSet<qint64> seen;
    QByteArray ids;
    for (const QModelIndex &index : indexes) {
        const qint64 id = index.data(MessageListModel::MessageIdRole).toLongLong();
        if (id <= 0 || seen.contains(id))
            continue;
        seen.insert(id);
        if (!ids.isEmpty())
            ids += ' ';
        ids += QByteArray::number(id);
    }
    if (ids.isEmpty())
        return nullptr;
    auto *data = new QMimeData;
    data->setData(messageIdsMimeType(), ids);
    return data;
}

QList<qint64> MessageListProxy::messageIds(const QMimeData *data)
{
    QList<qint64> ids;
    if (!data)
        return ids;
    for (const QByteArray &word : data->data(messageIdsMimeType()).split(' ')) {
        bool ok = false;
        const qint64 id = word.toLongLong(&ok);
        if (ok && id > 0)
            ids.append(id);
    }
    return ids;
}

} // namespace tern::ui
