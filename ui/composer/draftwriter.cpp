// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/draftwriter.h"

#include "outbox/outboxstore.h"
#include "store/store.h"

#include <QDateTime>
#include <QThread>

namespace tern::ui {

// Lives in the writer's thread; its store connection is opened there, on the first request, and used only there.
class DraftWriterWorker : public QObject
{
public:
    explicit DraftWriterWorker(QString path) : m_path(std::move(path)) { }

    bool open(QString *error)
    {
        if (!m_opened && !m_store.open(m_path)) {
            *error = m_store.error();
            return false;
        }
        m_opened = true;
        return true;
    }

    qint64 save(const QByteArray &raw, qint64 replaces, QString *error)
    {
        if (!open(error))
            return 0;
        compose::DraftStore drafts(m_store);
        const qint64 id = drafts.saveMessage(raw, replaces);
        if (id == 0)
            *error = drafts.error();
        return id;
    }

    qint64 enqueue(const outbox::OutboxItem &item, qint64 removeDraft, QString *error)
    {
        if (!open(error))
            return 0;
        outbox::OutboxStore queue(m_store.database());
        const qint64 id = queue.enqueue(item, QDateTime::currentSecsSinceEpoch());
        if (id == 0) {
            *error = queue.error();
            return 0;
        }
        // Queued durably: the draft has done its job. A failure to remove it leaves a copy, never a loss.
        if (removeDraft != 0)
            compose::DraftStore(m_store).remove(removeDraft);
        return id;
    }

    void remove(qint64 draftId)
    {
        QString error;
        if (open(&error))
            compose::DraftStore(m_store).remove(draftId);
    }

private:
    QString m_path;
    store::Store m_store;
    bool m_opened = false;
};

DraftWriter::DraftWriter(QString storePath, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new DraftWriterWorker(std::move(storePath)))
{
    m_thread->setObjectName(QStringLiteral("DraftWriter"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

DraftWriter::~DraftWriter()
{
    // Queued after every request already given: they all run, then the worker (and its connection) goes in
    // its own thread, and the thread ends. Waiting here blocks only when a write is still pending (app quit).
    DraftWriterWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] {
        delete worker;
        QThread::currentThread()->quit();
    });
    m_thread->wait();
    delete m_thread;
}

void DraftWriter::save(const compose::ComposerDraft &draft, qint64 replaces)
{
    DraftWriterWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [this, worker, draft, replaces] {
        QString error;
        const QByteArray raw = compose::DraftStore::toMessage(draft); // composed here, off the GUI thread
        const qint64 id = worker->save(raw, replaces, &error);
        // Delivered in the writer's (GUI) thread; dropped if the writer is gone by then.
        QMetaObject::invokeMethod(this, [this, id, error, raw] { Q_EMIT saved(id, error, raw); });
    });
}

void DraftWriter::enqueue(const outbox::OutboxItem &item, qint64 removeDraft)
{
    DraftWriterWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [this, worker, item, removeDraft] {
        QString error;
        const qint64 id = worker->enqueue(item, removeDraft, &error);
        QMetaObject::invokeMethod(this, [this, id, error] { Q_EMIT enqueued(id, error); });
    });
}

void DraftWriter::remove(qint64 draftId)
{
    DraftWriterWorker *worker = m_worker;
    QMetaObject::invokeMethod(m_worker, [worker, draftId] { worker->remove(draftId); });
}

} // namespace tern::ui
