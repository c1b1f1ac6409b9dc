// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/backoff.h"
#include "sync/imapidle.h"

#include <QByteArray>
#include <QObject>
#include <QString>

class QTimer;

namespace tern::sync {

// One folder kept pushed (RFC 2177) across lost connections. Each connection is an ImapIdle; when one ends
// for a reason that may pass (the network, a link found dead, a server restarting) the next starts after a
// backoff (2 s doubling to 5 min, back to 2 s once IDLE runs again). Each IDLE that begins is followed by a
// one-folder sync, so mail that arrived while nobody listened appears. A reason that will not pass by itself
// (the password, the certificate, a server without IDLE) ends the watch: finished(), lastError() says why.
class ImapIdleWatch : public QObject
{
    Q_OBJECT

public:
    enum class State { Connecting, Idling, Retrying, Stopped };
    Q_ENUM(State)

    struct Timings
    {
        ImapIdle::Timings idle;
        int firstRetryMs = 2000;
        int maxRetryMs = 5 * 60 * 1000;
    };

    ImapIdleWatch(accounts::Account account, QByteArray password, QString storePath,
                  QString folder = QStringLiteral("INBOX"), QObject *parent = nullptr);
    ~ImapIdleWatch() override;

    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    // Applies from the next connection on.
    void setTimings(const Timings &timings);
    void start();
    void stop(); // DONE, LOGOUT; finished() follows
    // The network is back: the next attempt now rather than at the end of the wait.
    void retryNow();

    State state() const { return m_state; }
    // Why the last connection ended (Error::None while the first one runs).
    ImapIdle::Error lastError() const { return m_lastError; }
    QString lastErrorString() const { return m_lastErrorString; }
    // While Retrying: the wait before the next attempt.
    int retryInMs() const { return m_retryInMs; }
    // The last connection was lost to the network (unreachable, cut, dead link), not refused by the server.
    bool isNetworkFailure() const;
    // Whether a connection that ended with this error is worth another attempt.
    static bool isTransient(ImapIdle::Error error);

Q_SIGNALS:
    void stateChanged();
    void newMail(qint64 count);
    void changed();
    void synced();
    void finished();

private:
    void connectOnce();
    void ended();
    void setState(State state);

    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    QString m_folder;
    diagnostics::TraceLog *m_traceLog = nullptr;
    Timings m_timings;
    Backoff m_backoff;
    ImapIdle *m_idle = nullptr;
    QTimer *m_retry;
    State m_state = State::Connecting;
    ImapIdle::Error m_lastError = ImapIdle::Error::None;
    QString m_lastErrorString;
    int m_retryInMs = 0;
    bool m_stopping = false;
};

} // namespace tern::sync
