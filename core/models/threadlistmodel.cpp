// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/threadlistmodel.h"

#include "models/messagelistmodel.h"
#include "store/store.h"

#include <QHash>

#include <algorithm>

namespace tern::models {

QStringList messageIdList(const QString &field)
{
    QStringList ids;
    qsizetype i = 0;
    while (i < field.size()) {
        const qsizetype open = field.indexOf(QLatin1Char('<'), i);
        if (open < 0)
            break;
        const qsizetype close = field.indexOf(QLatin1Char('>'), open);
        if (close < 0)
            break;
        const QString id = field.mid(open + 1, close - open - 1).trimmed();
        if (!id.isEmpty())
            ids.append(id);
        i = close + 1;
    }
    // Some mailers drop the brackets (RFC 5322 4.5.4 obsolete forms): take the bare token.
    if (ids.isEmpty() && !field.trimmed().isEmpty() && !field.contains(QLatin1Char(' ')))
        ids.append(field.trimmed());
    return ids;
}

ThreadListModel::ThreadListModel(store::Store *store, QObject *parent)
    : QAbstractItemModel(parent)
    , m_store(store)
{
}

void ThreadListModel::setFolder(qint64 folderId)
{
    m_folder = folderId;
    reload();
}

void ThreadListModel::reload()
{
    beginResetModel();
    build(m_folder ? m_store->summaries(m_folder) : QList<store::MessageSummary>());
    endResetModel();
}

void ThreadListModel::invalidate()
{
    if (m_nodes.empty())
        return;
    QList<qint64> ids;
    ids.reserve(qsizetype(m_nodes.size()));
    for (const Node &n : m_nodes)
        ids.append(n.summary.id);
    QHash<qint64, quint32> flags;
    for (const store::MessageSummary &s : m_store->summariesByIds(std::span<const qint64>(ids.constData(), size_t(ids.size()))))
        flags.insert(s.id, s.flags);
    for (Node &n : m_nodes)
        n.summary.flags = flags.value(n.summary.id, n.summary.flags);
    Q_EMIT layoutAboutToBeChanged();
    Q_EMIT layoutChanged();
}

void ThreadListModel::build(QList<store::MessageSummary> summaries)
{
    m_nodes.clear();
    m_roots.clear();
    // Oldest first, so a thread key's first message becomes the thread's root.
    std::stable_sort(summaries.begin(), summaries.end(),
                     [](const auto &a, const auto &b) { return a.date < b.date; });
    m_nodes.reserve(size_t(summaries.size()));
    QHash<QString, int> byMessageId;
    QHash<QString, int> byThreadKey;
    for (store::MessageSummary &s : summaries) {
        const int index = int(m_nodes.size());
        const QStringList own = messageIdList(s.messageId);
        if (!own.isEmpty() && !byMessageId.contains(own.first()))
            byMessageId.insert(own.first(), index);
        if (!s.threadKey.isEmpty() && !byThreadKey.contains(s.threadKey))
            byThreadKey.insert(s.threadKey, index);
        m_nodes.push_back({std::move(s), -1, 0, {}, 0});
    }
    const auto isAncestor = [this](int candidate, int node) {
        for (int p = candidate; p >= 0; p = m_nodes[size_t(p)].parent) {
            if (p == node)
                return true;
        }
        return false;
    };
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        const store::MessageSummary &s = m_nodes[size_t(i)].summary;
        QStringList candidates = messageIdList(s.inReplyTo);
        QStringList refs = messageIdList(s.references);
        std::reverse(refs.begin(), refs.end()); // nearest ancestor first
        candidates += refs;
        int parent = -1;
        for (const QString &id : std::as_const(candidates)) {
            const int p = byMessageId.value(id, -1);
            if (p >= 0 && !isAncestor(p, i)) { // a forged or looping reference never makes a cycle
                parent = p;
                break;
            }
        }
        if (parent < 0 && !s.threadKey.isEmpty()) {
            const int p = byThreadKey.value(s.threadKey, -1);
            if (p >= 0 && p != i && !isAncestor(p, i))
                parent = p;
        }
        m_nodes[size_t(i)].parent = parent;
    }
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        Node &n = m_nodes[size_t(i)];
        if (n.parent >= 0)
            m_nodes[size_t(n.parent)].children.push_back(i);
        else
            m_roots.push_back(i);
    }
    // Latest activity per thread: children come later in date order, so walk backwards.
    for (int i = int(m_nodes.size()) - 1; i >= 0; --i) {
        Node &n = m_nodes[size_t(i)];
        n.latest = std::max(n.latest, n.summary.date);
        if (n.parent >= 0) {
            Node &p = m_nodes[size_t(n.parent)];
            p.latest = std::max(p.latest, n.latest);
        }
    }
    std::stable_sort(m_roots.begin(), m_roots.end(),
                     [this](int a, int b) { return m_nodes[size_t(a)].latest > m_nodes[size_t(b)].latest; });
    for (size_t r = 0; r < m_roots.size(); ++r)
        m_nodes[size_t(m_roots[r])].row = int(r);
    for (Node &n : m_nodes) {
        for (size_t r = 0; r < n.children.size(); ++r)
            m_nodes[size_t(n.children[r])].row = int(r);
    }
}

QModelIndex ThreadListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= MessageListModel::ColumnCount || row < 0)
        return {};
    const std::vector<int> &list = parent.isValid() ? m_nodes[size_t(parent.internalId())].children : m_roots;
    if (row >= int(list.size()))
        return {};
    return createIndex(row, column, quintptr(list[size_t(row)]));
}

QModelIndex ThreadListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int p = m_nodes[size_t(child.internalId())].parent;
    if (p < 0)
        return {};
    return createIndex(m_nodes[size_t(p)].row, 0, quintptr(p));
}

int ThreadListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_roots.size());
    if (parent.column() != 0)
        return 0;
    return int(m_nodes[size_t(parent.internalId())].children.size());
}

int ThreadListModel::columnCount(const QModelIndex &) const
{
    return MessageListModel::ColumnCount;
}

QVariant ThreadListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    return MessageListModel::summaryData(m_nodes[size_t(index.internalId())].summary, index.column(), role);
}

QVariant ThreadListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return orientation == Qt::Horizontal ? MessageListModel::columnHeader(section, role) : QVariant();
}

} // namespace tern::models
