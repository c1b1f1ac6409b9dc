// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "compose/draftstore.h"
#include "outbox/outboxitem.h"

#include <QObject>

class QThread;

namespace tern::ui {

class DraftWriterWorker;

// The composer's writes — draft versions, their removal, the outbox enqueue on Send — on a thread of its own
// with its own store connection: the GUI thread never holds a write transaction nor waits on the disk
// (PERFORMANCE.md). Requests run one after the other in the order given; each answers by a queued signal.
// Destroying the writer first finishes every request already given (a save asked for on quit completes).
class DraftWriter : public QObject
{
    Q_OBJECT

public:
    explicit DraftWriter(QString storePath, QObject *parent = nullptr);
    ~DraftWriter() override;

    // Saves a snapshot as a new draft, then removes `replaces` (SECURITY.md L5: new version first). saved() follows.
    void save(const compose::ComposerDraft &draft, qint64 replaces);
    // Queues the message durably in the outbox, then removes the draft `removeDraft` if non-zero.
    void enqueue(const outbox::OutboxItem &item, qint64 removeDraft);
    void remove(qint64 draftId);

Q_SIGNALS:
    // id 0: not saved, error says why (the previous version is kept). raw: the bytes saved.
    void saved(qint64 id, const QString &error, const QByteArray &raw);
    // id 0: not queued, nothing sent, error says why.
    void enqueued(qint64 id, const QString &error);

private:
    QThread *m_thread = nullptr;
    DraftWriterWorker *m_worker = nullptr;
};

} // namespace tern::ui
