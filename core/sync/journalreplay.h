// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "store/journal.h"
#include "sync/tracedsession.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QLockFile;
class QTimer;

namespace tern::imap {
class ImapClient;
struct Command;
struct Response;
}
namespace tern::store {
class Store;
}

namespace tern::sync {

// Replays an IMAP account's offline journal (store/journal.h, issue 6) as an operation: log in, then for each
// pending row in order: SELECT its folder and check UIDVALIDITY, learn which of its UIDs still exist (UID
// FETCH), and apply it — UID STORE, UID MOVE (RFC 6851; without MOVE: UID COPY, STORE \Deleted, UID EXPUNGE
// (RFC 4315)), \Deleted + UID EXPUNGE, or APPEND. A row goes only after the server's OK; COPYUID/APPENDUID give
// the local copies their real UIDs. What cannot be applied — the folder or the messages gone, UIDVALIDITY
// changed, the server's NO — becomes a conflict on the row (conflictFound(), conflicts()), and the next row
// goes on. A connection lost leaves the remaining rows pending for the next run.
//
// With nothing pending it finishes at once, without connecting. Within one process a second replay of the
// same account while one runs finishes at once too (isSkipped()): the rows are already being replayed.
// Across processes (tern-cli and the window on one profile) a per-account lock file next to the store
// (lockFilePath()) serialises replays: a second replayer waits for the first, then reads what is still
// pending; after lockWait() it gives up (isSkipped(), the rows stay). A lock left by a dead process is taken
// over (QLockFile compares the process id).
class JournalReplay : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Store, Certificate, Tls, Connection, Authentication, Protocol, Timeout };
    Q_ENUM(Error)

    struct Conflict
    {
        qint64 entryId = 0;
        QString reason;
    };

    // store must outlive the operation and belong to this thread.
    JournalReplay(accounts::Account account, QByteArray password, store::Store *store, QObject *parent = nullptr);
    ~JournalReplay() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    void setLockWait(int milliseconds) { m_lockWaitMs = milliseconds; }
    int lockWait() const { return m_lockWaitMs; }
    // The lock file for account's journal in the store at storePath: the store's directory (the profile).
    static QString lockFilePath(const QString &storePath, const QString &account);
    void start();

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    int replayedCount() const { return m_replayed; }
    QList<Conflict> conflicts() const { return m_conflicts; }
    bool isSkipped() const { return m_skipped; }
    int remainingCount() const; // rows still pending after the run

Q_SIGNALS:
    void conflictFound(qint64 entryId, const QString &reason);
    void finished();

private:
    // ok: tagged OK; lost: the connection ended first (the row stays pending); text: the server's; tryCreate:
    // NO [TRYCREATE] (RFC 3501 §6.3.11/§6.4.7: the target mailbox does not exist).
    struct Outcome
    {
        bool ok = false;
        bool lost = false;
        QByteArray text;
        bool tryCreate = false;
        std::optional<quint64> appendUid;
    };
    using Handler = std::function<void(const Outcome &)>;

    void lockAndBegin();
    void tryLock();
    void begin();
    void next();
    void replayAppend();
    void replayOnFolder();
    void afterSelect();
    void applyFlags(const QList<quint32> &uids);
    void applyMove(const QList<quint32> &uids);
    void applyExpunge(const QList<quint32> &uids);
    void done(const QHash<qint64, qint64> &uids = {});
    void conflict(const QString &reason, const QHash<qint64, qint64> &uids = {});
    void send(const imap::Command &command, Handler handler);
    void onUntagged(const imap::Response &r);
    QHash<qint64, qint64> mapCopied(const QList<quint32> &sent) const;
    void learnUids(const QHash<qint64, qint64> &uids);
    void fail(Error error, const QString &message);
    void finish();

    accounts::Account m_account;
    QByteArray m_password;
    store::Store *m_store;
    diagnostics::TraceLog *m_traceLog = nullptr;
    TracedSession m_trace;
    int m_timeoutMs = 5 * 60 * 1000;
    int m_lockWaitMs = 2 * 60 * 1000;
    std::unique_ptr<QLockFile> m_lock;
    QTimer *m_lockPoll = nullptr;
    QElapsedTimer m_lockWaited;
    imap::ImapClient *m_client = nullptr;
    QHash<QByteArray, Handler> m_handlers;
    QList<store::JournalEntry> m_entries;
    qsizetype m_index = -1;
    QString m_selected;              // the folder SELECTed now, "" for none
    QSet<quint32> m_present;         // UIDs the UID FETCH saw
    QHash<quint32, quint32> m_copied; // COPYUID: source UID -> destination UID
    QString m_partial;               // this row's part that could not be applied
    int m_replayed = 0;
    QList<Conflict> m_conflicts;
    bool m_claimed = false;
    bool m_skipped = false;
    bool m_loggingOut = false;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
};

} // namespace tern::sync
