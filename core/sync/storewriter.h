// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace tern::store {
class Store;
}

namespace tern::sync {

// The sync's store writes on their own thread, with their own Store (one SQLite connection per thread), so
// receiving and parsing the next batch overlaps with committing the last one. Jobs run in the order posted;
// after a job fails none of the later ones run (a folder's UIDNEXT is saved by a job posted after its
// batches, so it is never saved for data that did not commit). With ImapSync::setIndexing(true) the batches
// index their own messages (Store::insertSummaries) and, while the queue is empty after a job that added
// messages, the writer also feeds the full-text index what earlier runs stored unindexed, a little at a time:
// that never delays a batch by more than one small chunk, and a run that added nothing does no indexing work.
class StoreWriter : public QObject
{
    Q_OBJECT

public:
    using Job = std::function<bool(store::Store &)>; // false: failed, Store::error() says why

    explicit StoreWriter(QString storePath, QObject *parent = nullptr);
    // Runs what is still queued (committed data stays committed), then stops.
    ~StoreWriter() override;

    void setIndexWhileIdle(bool on) { m_indexWhileIdle = on; }
    // done (optional) runs on this object's thread after the job committed, never after a failure.
    // addsMessages: the job inserts summaries, which the idle indexer should pick up.
    void post(Job job, std::function<void()> done = {}, bool addsMessages = false);

    bool hasFailed() const;

Q_SIGNALS:
    void failed(const QString &message);

private:
    struct Item
    {
        Job job;
        std::function<void()> done;
        bool addsMessages = false;
    };

    void run();

    QString m_path;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Item> m_queue;
    bool m_stopping = false;
    bool m_failed = false;
    bool m_indexWhileIdle = true;
    std::thread m_thread;
};

} // namespace tern::sync
