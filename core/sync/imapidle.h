// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace tern::diagnostics {
class TraceLog;
}
namespace tern::imap {
class ImapClient;
}

namespace tern::sync {

class ImapSync;
class TracedSession;

// IMAP's "push" (issue 6): one connection IDLEs (RFC 2177) on a folder; whatever the server pushes (EXISTS,
// EXPUNGE, VANISHED, FETCH) is applied to the store by a one-folder incremental ImapSync on a second
// connection (QRESYNC where offered: a few round trips), then newMail()/changed() say what happened. Pushes
// that arrive while that sync runs start one more after it, so none is missed. Runs until stop() or until the
// connection ends; ImapIdleWatch reconnects. A link that died without a word (NAT timeout, suspended laptop)
// is found at the next re-issue of IDLE: DONE goes unanswered, the connection is dropped (Error::Timeout).
class ImapIdle : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Certificate, Tls, Connection, Authentication, Protocol, Timeout, NoIdle, Sync };
    Q_ENUM(Error)

    struct Timings
    {
        // RFC 2177 §3: re-issue IDLE at least every 29 minutes. A little under the session's own 28-minute
        // re-issue, so every DONE goes through the watchdog below.
        int refreshMs = 27 * 60 * 1000;
        // No answer this long to DONE (or to connecting, logging in, EXAMINE): the link is dead.
        int answerMs = 30 * 1000;
    };

    ImapIdle(accounts::Account account, QByteArray password, QString storePath,
             QString folder = QStringLiteral("INBOX"), QObject *parent = nullptr);
    ~ImapIdle() override;

    // The IDLE session and each sync after a push go to the protocol inspector's log (null: none).
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    // Applies from the next IDLE on (tests make the intervals short).
    void setTimings(const Timings &timings) { m_timings = timings; }
    Timings timings() const { return m_timings; }
    void start();
    void stop(); // DONE, LOGOUT; finished() follows
    // A one-folder sync now, as if the server had pushed: catches up on what arrived before IDLE began.
    void syncNow() { onPush(); }

    bool isIdling() const { return m_idling; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

Q_SIGNALS:
    void idling();                  // IDLE accepted: pushes arrive from now on
    void newMail(qint64 count);     // messages the last sync added to the folder
    void changed();                 // a sync after a push changed the store (flags, expunges, new mail)
    void synced();                  // a sync (the catch-up after IDLE began, or after a push) ended well
    void finished();

private:
    void onPush();
    void runSync();
    void idleStarted();
    void idleEnded();
    void reissue();
    void watchAnswer(const QString &what);
    void fail(Error error, const QString &message);

    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    QString m_folder;
    imap::ImapClient *m_client = nullptr;
    ImapSync *m_sync = nullptr;
    diagnostics::TraceLog *m_traceLog = nullptr;
    std::unique_ptr<TracedSession> m_trace;
    Timings m_timings;
    QTimer *m_refresh;
    QTimer *m_answer;
    QString m_awaited; // what m_answer waits for, for the message
    bool m_reissuing = false;
    bool m_dirty = false;
    bool m_idling = false;
    bool m_stopping = false;
    Error m_error = Error::None;
    QString m_errorString;
};

} // namespace tern::sync
