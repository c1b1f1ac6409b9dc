// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/messagesummary.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace tern::store {
class Store;
}

namespace tern::models {

// A folder's messages for a list view, straight from the store: the model holds the folder's ids in display
// order (8 bytes a message) and reads summaries a page at a time as rows become visible, keeping a bounded
// number of pages. A 100,000-message folder opens with one indexed query and scrolls without a copy.
class MessageListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // AccountColumn: which account a row belongs to, for lists that span accounts (the unified Inbox).
    enum Column { FlagColumn, AttachmentColumn, SubjectColumn, CorrespondentColumn, DateColumn, SizeColumn,
                  AccountColumn, ColumnCount };
    enum Role { MessageIdRole = Qt::UserRole + 1, UnreadRole, FlagsRole, FromAddressRole, AccountRole };

    explicit MessageListModel(store::Store *store, QObject *parent = nullptr);

    void setFolder(qint64 folderId);
    qint64 folder() const { return m_folder; }
    // Several folders as one list (the unified Inbox), merged in the same sort order; folder() is then 0.
    void setFolders(const QList<qint64> &folderIds);
    QList<qint64> folders() const { return m_folders; }
    // The row of a message, -1 when the list does not hold it (to keep the selection across a reload).
    int rowOf(qint64 messageId) const { return int(m_ids.indexOf(messageId)); }
    // Re-reads the folder (after a sync step); keeps the sort order.
    void reload();
    // Re-reads the rows' summaries (flags changed) without a reset: the selection stays.
    void invalidate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // One cell of one message: the flat list and the threaded view show the same columns and roles.
    static QVariant summaryData(const store::MessageSummary &m, int column, int role);
    static QVariant columnHeader(int section, int role);

    static constexpr int kPageSize = 128;
    static constexpr int kMaxPages = 64;

private:
    const store::MessageSummary *summaryAt(int row) const;
    QString accountOf(qint64 messageId) const;
    QList<qint64> idsByAccount(bool descending);

    store::Store *m_store;
    qint64 m_folder = 0;
    QList<qint64> m_folders; // what the list shows: {m_folder}, or the unified Inbox's folders
    QList<qint64> m_ids;
    int m_sortColumn = DateColumn;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    mutable QHash<int, QList<store::MessageSummary>> m_pages;
    QHash<qint64, QString> m_folderAccounts;     // folder id → account, for the shown folders
    mutable QHash<qint64, qint64> m_folderOf;    // message id → folder id, as rows are shown
    mutable QList<int> m_pageAge; // least recently used first
};

} // namespace tern::models
