// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "outbox/outboxitem.h"
#include "outbox/outboxstore.h"

#include <QByteArray>
#include <QList>
#include <QObject>

#include <functional>

namespace tern::diagnostics {
class TraceLog;
}
namespace tern::smtp {
class SmtpClient;
}
namespace tern::store {
class Store;
}

namespace tern::outbox {

// One outbox run as an operation: every message of the account that is due (queued, or failed-temporary
// whose next attempt has come) is submitted, one SMTP session each, oldest first.
//
// Crash safety (SECURITY.md L1, issue 6): `sending` is committed before the session starts (so before MAIL
// FROM) and `data-sent` just before the write that carries the DATA terminator (SmtpClient's terminator
// gate); OutboxStore::recover() turns the first back into `queued` and the second into
// `delivery-uncertain`. A message whose terminator may have left is never submitted again by a run; only
// the user's requeue() does that. The caller holds the outbox lock (one sending process per profile).
class OutboxSender : public QObject
{
    Q_OBJECT

public:
    struct Outcome
    {
        qint64 id = 0;
        State state = State::Queued;
        QString error; // one line; for sent messages a note on recipients the server refused
        Receipt receipt;
    };

    // store must outlive the operation; smtpSecret is the account's SMTP password.
    OutboxSender(accounts::Account account, QByteArray smtpSecret, store::Store *store, QObject *parent = nullptr);
    ~OutboxSender() override;

    // The clock, seconds since the epoch (tests move it); default: the current time.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // Each SMTP session goes to the log (the protocol inspector), redacted at the source; the log must outlive this.
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }

    void start();

    QList<Outcome> outcomes() const { return m_outcomes; }
    QString storeError() const { return m_storeError; } // set when the outbox could not be written

    // Seconds to wait before attempt `attempts + 1` after `attempts` temporary failures: 1 min, doubling,
    // at most 6 hours.
    static qint64 retryDelay(int attempts);

Q_SIGNALS:
    void finished();

private:
    void sendNext();
    void onClientFinished();
    void record(const Outcome &outcome, bool stored);
    qint64 now() const { return m_clock(); }

    accounts::Account m_account;
    QByteArray m_secret;
    diagnostics::TraceLog *m_traceLog = nullptr;
    quint64 m_traceSession = 0;
    store::Store *m_store;
    OutboxStore m_outbox;
    std::function<qint64()> m_clock;
    int m_timeoutMs = 5 * 60 * 1000;
    QList<qint64> m_queue;
    qint64 m_current = 0;
    int m_currentAttempts = 0;
    bool m_gateRefused = false;
    smtp::SmtpClient *m_client = nullptr;
    QList<Outcome> m_outcomes;
    QString m_storeError;
};

} // namespace tern::outbox
