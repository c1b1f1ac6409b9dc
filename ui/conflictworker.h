// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/journal.h"
#include "store/store.h"

#include <QList>
#include <QObject>

namespace tern::ui {

// Dismisses or retries offline-journal conflicts (store/journal.h) in a thread of its own with its own store
// connection, as AccountOperations' other workers do: the GUI thread never holds a write transaction.
class ConflictWorker : public QObject
{
    Q_OBJECT

public:
    ConflictWorker(QString account, QList<qint64> entryIds, bool retry, QString storePath)
        : m_account(std::move(account))
        , m_ids(std::move(entryIds))
        , m_retry(retry)
        , m_storePath(std::move(storePath))
    {
    }

    void run()
    {
        if (!m_store.open(m_storePath)) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()));
            return;
        }
        store::Journal journal(m_store);
        const std::span<const qint64> ids(m_ids.constData(), size_t(m_ids.size()));
        if (!(m_retry ? journal.retryConflicts(m_account, ids) : journal.dismissConflicts(m_account, ids))) {
            Q_EMIT done(false, tr("cannot update the offline changes: %1").arg(journal.error()));
            return;
        }
        Q_EMIT done(true, m_retry ? tr("%n offline change(s) will be sent again", nullptr, int(m_ids.size()))
                                  : tr("%n offline change(s) dismissed", nullptr, int(m_ids.size())));
    }

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    QString m_account;
    QList<qint64> m_ids;
    bool m_retry;
    QString m_storePath;
    store::Store m_store;
};

} // namespace tern::ui
