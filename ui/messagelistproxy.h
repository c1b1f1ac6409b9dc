// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIdentityProxyModel>

namespace tern::ui {

// Core's message list model is QtCore only; this adds what needs QtGui: icons for the attachment column
// (fonts without emoji show a box for a paperclip character) and bold rows for unread messages.
class MessageListProxy : public QIdentityProxyModel
{
    Q_OBJECT

public:
    MessageListProxy(QAbstractItemModel *source, QObject *parent)
        : QIdentityProxyModel(parent)
    {
        setSourceModel(source);
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Dragging messages carries their store ids (to drop on a folder: FolderModel).
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction | Qt::CopyAction; }

    static QString messageIdsMimeType() { return QStringLiteral("application/x-tern-message-ids"); }
    static QList<qint64> messageIds(const QMimeData *data);
};

} // namespace tern::ui
