// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "outbox/outboxitem.h"

#include <QList>
#include <QString>

#include <optional>

namespace tern::store {
class Database;
}

namespace tern::outbox {

// The outbox table (schema v1 + v2) and its state machine. Every transition is one UPDATE guarded by the
// states it may start from, committed before it returns (the store runs with synchronous=FULL): when a
// method returns true the new state survives a crash or a power cut. A transition from the wrong state
// changes nothing and returns false, so two runs can never both own a message.
//
//   queued ──markSending──▶ sending ──markDataSent──▶ data-sent ──markSent──▶ sent
//     ▲  ▲                    │  │                       │  │
//     │  │                    │  └─markFailed*──▶ failed-temporary / failed-permanent ◀──┘  (a final 4xx/5xx)
//     │  └─ recover() ◀───────┘                          │
//     │                                                  └─markUncertain / recover()──▶ delivery-uncertain
//     └──────── requeue() ("send again": same bytes, same Message-ID) ◀── failed-* / delivery-uncertain
//                markSentByUser() ("it did arrive"): delivery-uncertain ──▶ sent
class OutboxStore
{
public:
    explicit OutboxStore(store::Database &db) : m_db(db) { }

    // Queues a message (state queued, Sent copy none); returns its id, 0 on failure.
    qint64 enqueue(const OutboxItem &item, qint64 now);

    std::optional<OutboxItem> item(qint64 id);
    QList<OutboxItem> items(const QString &account); // oldest first
    // Ready to send at `now`: queued, or failed-temporary whose next attempt has come; oldest first.
    QList<qint64> due(const QString &account, qint64 now);
    // Sent, with the Sent-folder copy pending or failed.
    QList<qint64> pendingCopies(const QString &account);

    bool markSending(qint64 id, qint64 now);     // queued | failed-temporary -> sending, attempts + 1
    bool markDataSent(qint64 id, qint64 now);    // sending -> data-sent: the durable marker before the terminator
    bool markSent(qint64 id, const Receipt &receipt, const QString &note, qint64 now); // data-sent -> sent
    // markSent, and in the same transaction a new failed-temporary item for the recipients the server told to
    // try later: the same bytes and Message-ID, its own envelope, no second Sent copy. The new id, 0 on failure.
    qint64 markSentAndSplitRetry(qint64 id, const Receipt &receipt, const QString &note,
                                 const QStringList &retryRecipients, qint64 nextAttempt, qint64 now);
    bool markFailedTemporary(qint64 id, const QString &error, qint64 nextAttempt, qint64 now);
    bool markFailedPermanent(qint64 id, const QString &error, qint64 now);
    bool markUncertain(qint64 id, const QString &error, qint64 now); // data-sent -> delivery-uncertain

    // The user's decisions about a message that did not (certainly) go.
    bool requeue(qint64 id, qint64 now);         // failed-* | delivery-uncertain -> queued
    bool markSentByUser(qint64 id, qint64 now);  // delivery-uncertain -> sent (the Sent copy is then made)
    bool discard(qint64 id);                     // removes it, unless a run owns it (sending, data-sent)

    bool setSentCopy(qint64 id, SentCopyState state, const QString &error, qint64 now);

    // After a crash, by the only process that may send (it holds the outbox lock): a message left in
    // `sending` never had its terminator written, so it goes back to the queue; one left in `data-sent` may
    // have reached the server, so it becomes delivery-uncertain and waits for the user. Returns how many
    // messages changed, -1 on failure.
    int recover(qint64 now);

    QString error() const { return m_error; }

private:
    bool transition(qint64 id, const char *sql, const QList<QString> &texts, const QList<qint64> &numbers);

    store::Database &m_db;
    QString m_error;
};

} // namespace tern::outbox
