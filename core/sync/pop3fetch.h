// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace tern::pop3 {
class Pop3Client;
struct Request;
struct Result;
}
namespace tern::store {
class Store;
}
namespace tern::diagnostics {
class TraceLog;
}

namespace tern::sync {

// One POP3 download run as an operation: log in, UIDL, RETR each message the store does not hold yet into the
// account's local Inbox, then DELE what the account's options say may go, QUIT.
//
// Invariants (issue 6, SECURITY.md L2): a message is DELEted only after Store::insertDownloaded() returned
// (its transaction committed with synchronous=FULL), and only when the account does not leave mail on the
// server or its delete-after-N-days has passed since the message was first downloaded (the stored
// internalDate). The store is idempotent by UIDL, so a rerun after any fault neither duplicates nor loses a
// message; a DELE lost with the connection (no QUIT) is simply sent again by the next run.
class Pop3Fetch : public QObject
{
    Q_OBJECT

public:
    enum class Error {
        None,
        Store,          // the local store refused a write: nothing more is deleted on the server
        Certificate,    // see errorString(): subject and SHA-256 of the certificate
        Tls,            // handshake failed, or STLS refused or missing (SECURITY.md T1/T5)
        Connection,     // refused, lost, unresolved
        Authentication, // the server said no: serverText()
        Protocol,       // malformed or oversized server responses
        Timeout,
    };
    Q_ENUM(Error)

    // store must outlive the operation; password is the account's incoming secret.
    Pop3Fetch(accounts::Account account, QByteArray password, store::Store *store, QObject *parent = nullptr);
    ~Pop3Fetch() override;

    // The clock for delete-after-N-days (tests move it); default: the current time.
    void setNow(const QDateTime &now) { m_now = now; }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // The protocol inspector's log; the session's redacted trace goes there. Must outlive the operation.
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }

    void start();

    Error error() const { return m_error; }
    QString serverText() const { return m_serverText; }
    QString errorString() const { return m_errorString; } // one line for the user, empty on success
    int downloadedCount() const { return m_downloaded; }
    int deletedCount() const { return m_deleted; }
    int skippedCount() const { return m_skipped; } // refused by the server or over the size limit
    qint64 folderId() const { return m_folderId; }

Q_SIGNALS:
    void progress(int done, int total);
    void finished();

private:
    enum class Step { Listing, Downloading, Quitting };

    void onLoggedIn();
    void onIdle();
    void enqueue(const pop3::Request &request);
    bool handle(const pop3::Result &result); // false: the run is over
    void quit();
    void onClientFinished();
    void takeListing();
    bool storeMessage(const QString &uidl, const QByteArray &raw);
    bool mayDelete(const QString &uidl) const;
    void downloadNext();
    void fail(Error error, const QString &message, const QString &serverText = {});
    void finish();

    accounts::Account m_account;
    QByteArray m_password;
    store::Store *m_store;
    pop3::Pop3Client *m_client = nullptr;
    std::optional<QDateTime> m_now;
    int m_timeoutMs = 5 * 60 * 1000;
    qint64 m_folderId = 0;
    Step m_step = Step::Listing;
    QList<std::pair<int, QString>> m_toFetch; // message number, UIDL
    QHash<QString, qint64> m_firstSeen;       // UIDL -> first download (secs since epoch), for stored messages
    int m_total = 0;
    int m_outstanding = 0;                    // requests without a result yet
    int m_current = -1;                       // message number of the RETR in flight
    QString m_currentUidl;
    int m_downloaded = 0;
    int m_deleted = 0;
    int m_skipped = 0;
    Error m_error = Error::None;
    QString m_serverText;
    QString m_errorString;
    bool m_finished = false;
    diagnostics::TraceLog *m_traceLog = nullptr;
    quint64 m_traceSession = 0;
};

} // namespace tern::sync
