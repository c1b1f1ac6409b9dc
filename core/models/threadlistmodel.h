// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/messagesummary.h"

#include <QAbstractItemModel>
#include <QList>

#include <vector>

namespace tern::store {
class Store;
}

namespace tern::models {

// A folder's messages as conversations: each reply under the message it answers, found by In-Reply-To, then
// the nearest References id present in the folder (RFC 5322 3.6.4), then the store's threadKey (what IMAP
// THREAD or a Gmail thread id gave). Threads newest activity first, replies oldest first. Same columns and
// roles as MessageListModel. Unlike the flat list it reads the folder's summaries whole: a threaded view of a
// huge folder costs memory in proportion.
class ThreadListModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    explicit ThreadListModel(store::Store *store, QObject *parent = nullptr);

    void setFolder(qint64 folderId);
    qint64 folder() const { return m_folder; }
    void reload();
    // Re-reads flags of the messages shown without a reset: the selection and expanded threads stay.
    void invalidate();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        store::MessageSummary summary;
        int parent = -1;
        int row = 0; // among its siblings
        std::vector<int> children;
        qint64 latest = 0; // newest date in the subtree, for ordering threads
    };
    void build(QList<store::MessageSummary> summaries);

    store::Store *m_store;
    qint64 m_folder = 0;
    std::vector<Node> m_nodes;
    std::vector<int> m_roots;
};

// "<a@x> <b@y>" or "a@x" -> {"a@x", "b@y"}: message ids without angle brackets, in order.
QStringList messageIdList(const QString &field);

} // namespace tern::models
