// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>

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
// that arrive while that sync runs start one more after it, so none is missed. Runs until stop().
class ImapIdle : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Certificate, Tls, Connection, Authentication, Protocol, Timeout, NoIdle, Sync };
    Q_ENUM(Error)

    ImapIdle(accounts::Account account, QByteArray password, QString storePath,
             QString folder = QStringLiteral("INBOX"), QObject *parent = nullptr);
    ~ImapIdle() override;

    // The IDLE session and each sync after a push go to the protocol inspector's log (null: none).
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
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
    void finished();

private:
    void onPush();
    void runSync();
    void fail(Error error, const QString &message);

    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    QString m_folder;
    imap::ImapClient *m_client = nullptr;
    ImapSync *m_sync = nullptr;
    diagnostics::TraceLog *m_traceLog = nullptr;
    std::unique_ptr<TracedSession> m_trace;
    bool m_dirty = false;
    bool m_idling = false;
    bool m_stopping = false;
    Error m_error = Error::None;
    QString m_errorString;
};

} // namespace tern::sync
