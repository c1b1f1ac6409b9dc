// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/tracedsession.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace tern::imap {
class ImapClient;
}
namespace tern::store {
class Store;
}

namespace tern::sync {

// Keeps the account's offline folders readable without a connection (issue 6: "raw message bodies ...
// kept for offline folders"): after a sync has brought the summaries, downloads every body the store lacks in
// those folders, newest first, with UID FETCH (BODY.PEEK[]) so nothing is marked \Seen (RFC 3501 §6.4.5).
// Each body is committed (with its text in the search index) as it arrives, so an interruption keeps what
// came and the next run asks only for the rest. A folder whose UIDVALIDITY no longer matches the cache is
// skipped: its UIDs name other messages until a sync has rebuilt it (RFC 9051 §2.3.1.1).
class ImapOfflineBodies : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Store, Certificate, Tls, Connection, Authentication, Protocol, Timeout, Server };
    Q_ENUM(Error)

    // store must outlive the operation. Folders: account.options.offlineFolders unless setFolders() says.
    ImapOfflineBodies(accounts::Account account, QByteArray password, store::Store *store, QObject *parent = nullptr);
    ~ImapOfflineBodies() override;

    void setFolders(const QStringList &paths) { m_folders = paths; }
    void setBatchSize(int messages) { m_batchSize = qMax(1, messages); }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    void start();

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    qint64 downloadedCount() const { return m_downloaded; }
    // Folders left out because the server's UIDVALIDITY differs from the cache's (a sync comes first).
    QStringList skippedFolders() const { return m_skipped; }

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished();

private:
    struct Pending
    {
        QString path;
        qint64 uidValidity = 0;
        QList<QPair<qint64, qint64>> messages; // (message id, uid), newest first
    };

    void nextFolder();
    void nextBatch();
    void fail(Error error, const QString &message);
    void finish();

    diagnostics::TraceLog *m_traceLog = nullptr;
    TracedSession m_trace;
    accounts::Account m_account;
    QByteArray m_password;
    store::Store *m_store;
    QStringList m_folders;
    int m_batchSize = 50;
    int m_timeoutMs = 5 * 60 * 1000;
    imap::ImapClient *m_client = nullptr;

    QList<Pending> m_pending;
    Pending m_current;
    qsizetype m_next = 0;          // index into m_current.messages of the next batch
    QHash<qint64, qint64> m_batch; // uid -> message id of the FETCH in flight
    QByteArray m_selectTag;
    QByteArray m_fetchTag;
    qint64 m_total = 0;
    qint64 m_downloaded = 0;
    QStringList m_skipped;
    bool m_done = false;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
};

} // namespace tern::sync
