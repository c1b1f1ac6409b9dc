// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/storewriter.h"

#include "store/store.h"

namespace tern::sync {

namespace {
constexpr qint64 kIndexChunk = 1000; // ~10 ms of FTS work: the longest a new batch waits for the indexer
}

StoreWriter::StoreWriter(QString storePath, QObject *parent)
    : QObject(parent)
    , m_path(std::move(storePath))
{
    m_thread = std::thread([this] { run(); });
}

StoreWriter::~StoreWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void StoreWriter::post(Job job, std::function<void()> done, bool addsMessages)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back({std::move(job), std::move(done), addsMessages});
    }
    m_wake.notify_all();
}

bool StoreWriter::hasFailed() const
{
    std::lock_guard lock(m_mutex);
    return m_failed;
}

void StoreWriter::run()
{
    store::Store store;
    bool open = store.open(m_path);
    bool indexDone = true;
    for (;;) {
        Item item;
        {
            std::unique_lock lock(m_mutex);
            if (m_queue.empty() && !m_stopping && (indexDone || m_failed))
                m_wake.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
            if (m_queue.empty()) {
                if (m_stopping)
                    return;
                // Idle: a chunk of the search index, then look at the queue again.
                lock.unlock();
                const qint64 indexed = open ? store.indexPending(kIndexChunk) : 0;
                indexDone = indexed <= 0;
                continue;
            }
            item = std::move(m_queue.front());
            m_queue.pop_front();
            if (m_failed)
                continue; // nothing after a failed job runs; its completion never comes
        }
        const bool ok = open && item.job(store);
        if (!ok) {
            const QString message = open ? store.error() : QStringLiteral("cannot open the mail store: %1").arg(store.error());
            {
                std::lock_guard lock(m_mutex);
                m_failed = true;
            }
            QMetaObject::invokeMethod(this, [this, message] { Q_EMIT failed(message); }, Qt::QueuedConnection);
            continue;
        }
        if (item.addsMessages && m_indexWhileIdle)
            indexDone = false;
        if (item.done)
            QMetaObject::invokeMethod(this, std::move(item.done), Qt::QueuedConnection);
    }
}

} // namespace tern::sync
