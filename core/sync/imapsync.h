// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/tracedsession.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>

namespace tern::imap {
class ImapClient;
struct MailboxInfo;
struct Response;
}
namespace tern::store {
class Store;
}

namespace tern::sync {

class StoreWriter;
struct FolderRun;
struct CommandOutcome;

// One IMAP sync run as an operation (issue 6, "IMAP sync"): log in, LIST the folders with their special-use
// roles into the store (folders gone from the server are removed), and for each subscribed folder (or the
// one setFolder() names) -- those an earlier run synced before the LIST, see syncKnownFolders() --: SELECT,
// UIDVALIDITY check (a change drops the folder's cache), and either a first
// sync newest-first in batches, each committed at once, or an incremental one with QRESYNC, CONDSTORE, or
// plain RFC 3501 as the server allows (syncplan.h says which and how).
//
// Store writes run on a StoreWriter thread. A folder's UIDNEXT/HIGHESTMODSEQ are saved by a job queued after
// all of its data, so they are never saved for data that did not commit: a run cut at any point is finished
// by the next one, with nothing lost and, the store being keyed by UID, nothing twice.
class ImapSync : public QObject
{
    Q_OBJECT

public:
    enum class Error {
        None,
        Store,          // the local store refused a write
        Certificate,
        Tls,
        Connection,
        Authentication,
        Protocol,
        Timeout,
        NoSuchFolder,   // setFolder() names a folder the server does not list
        Server,         // the server refused a command the sync needs: serverText()
    };
    Q_ENUM(Error)

    // storePath: the profile's store; the operation opens its own connections to it.
    ImapSync(accounts::Account account, QByteArray password, QString storePath, QObject *parent = nullptr);
    ~ImapSync() override;

    void setFolder(const QString &path) { m_onlyFolder = path; } // only this folder (the folder list still syncs)
    // The first batch of a folder's new messages, and the largest the next ones grow to (doubling); one size
    // alone makes every batch that size.
    void setBatchSize(int first, int largest = 0) { m_batchSize = first; m_largestBatch = largest; }
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // Off (the default): the batches store summaries only and finished() comes once they are committed, which
    // is what the user waits for; the search index catches up in Store::indexPending(), which a search runs
    // first (tern-cli search). On 2 cores FTS5 indexing in the batches costs a cold 100k sync ~25% (the
    // writer's CPU doubles while Dovecot and the parser hold the cores). On: each batch's summaries enter the
    // search index in the transaction that stores them, and the writer indexes an earlier backlog while idle,
    // so search needs no catch-up once finished() is emitted.
    void setIndexing(bool on) { m_indexing = on; }

    // The protocol inspector's log (optional): the session's redacted trace goes there.
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    void start();

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; } // one line for the user, empty on success
    QString serverText() const { return m_serverText; }
    int folderCount() const { return m_foldersSynced; }
    qint64 addedCount() const { return m_added; }
    qint64 updatedCount() const { return m_updated; }
    qint64 removedCount() const { return m_removed; }
    // The offline journal replayed before the sync (journalreplay.h): rows sent, rows that became conflicts.
    int journalReplayedCount() const { return m_journalReplayed; }
    int journalConflictCount() const { return m_journalConflicts; }

Q_SIGNALS:
    void folderStarted(int index, int total, const QString &path);
    // Messages of the current folder's fetch committed to the store so far, of total.
    void progress(qint64 done, qint64 total);
    void journalConflict(qint64 entryId, const QString &reason);
    void finished();

private:
    diagnostics::TraceLog *m_traceLog = nullptr;
    TracedSession m_trace;
    using Handler = std::function<void(bool ok)>;

    void replayJournal();
    void connectAndSync();
    void onLoggedIn();
    void onUntagged(const imap::Response &r);
    void onCommandFinished(const CommandOutcome &outcome);
    void run(const QByteArray &tag, Handler handler);
    void syncKnownFolders();
    bool wanted(const QString &path, bool subscribed) const;
    void listFolders();
    void saveFolders();
    void nextFolder();
    void onSelected(const imap::MailboxInfo &mailbox);
    void syncFull();
    void syncFallback();
    void syncCondStore();
    void syncQresync();
    void searchNew(std::function<void()> then);
    void fetchNew();
    void fetchNextBatch();
    void onBatchDone();
    void finishFolder();
    void postFlagUpdates();
    void postRemovals(const QList<qint64> &uids);
    void commandFailed(const QByteArray &command, const QByteArray &text);
    void onClientFinished();
    void fail(Error error, const QString &message, const QString &serverText = {});
    void stop();
    void finish();

    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    QString m_onlyFolder;
    int m_batchSize = 2000;   // newest first: on screen at once
    int m_largestBatch = 10000; // fewer commands and commits: on the 100k lab, 10000 throughout beat 2000 by ~7%
    int m_timeoutMs = 5 * 60 * 1000;
    bool m_indexing = false;
    std::unique_ptr<store::Store> m_store; // reads, and the folder list (small writes) on this thread
    StoreWriter *m_writer = nullptr;
    imap::ImapClient *m_client = nullptr;
    QHash<QByteArray, Handler> m_handlers;
    bool m_qresync = false;
    bool m_condstore = false;
    bool m_specialUse = false;
    struct Listed
    {
        QString path;
        QByteArray rawName;
        QString delimiter;
        QList<QByteArray> attributes;
        bool subscribed = false;
    };
    QList<Listed> m_listed;
    QList<QString> m_lsub;
    QList<Listed> m_toSync;
    QSet<QString> m_selected; // synced in this run: the pass after LIST skips them
    bool m_listSent = false;  // the folders LIST finds are appended to m_toSync
    int m_folderIndex = -1;
    std::unique_ptr<FolderRun> m_run;
    int m_foldersSynced = 0;
    qint64 m_added = 0;
    qint64 m_updated = 0;
    qint64 m_removed = 0;
    int m_journalReplayed = 0;
    int m_journalConflicts = 0;
    bool m_allDone = false;
    bool m_stopping = false;
    Error m_error = Error::None;
    QString m_errorString;
    QString m_serverText;
    bool m_finished = false;
};

} // namespace tern::sync
