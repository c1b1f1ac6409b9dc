// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>

namespace tern::accounts {
class SecretStore;
}
namespace tern::diagnostics {
class TraceLog;
}

namespace tern::ui {

// Runs core's account operations for the window — "Get Messages" (POP3 download or IMAP sync), a message body
// on demand (IMAP), and "Test Account" — with
// their traces going to the protocol inspector's log. A download writes to the store, so it runs in a thread
// of its own with its own store connection: the GUI thread never holds a write transaction (PERFORMANCE.md).
class AccountOperations : public QObject
{
    Q_OBJECT

public:
    AccountOperations(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent = nullptr);
    ~AccountOperations() override;

    // Starts a download for the account; false (and nothing started) if one is already running or the
    // account's password cannot be read (failed() is emitted with the reason).
    bool fetch(const accounts::Account &account);
    bool check(const accounts::Account &account);
    // Downloads the body of an IMAP message the store holds only the summary of; bodyFetched() follows.
    bool fetchBody(const accounts::Account &account, qint64 messageId);
    // Downloads the bodies the store lacks in the account's offline folders (account.options.offlineFolders,
    // issue 6), off the GUI thread; started() and progress() as for Get Messages, offlineBodiesFinished() at
    // the end. An IMAP Get Messages that succeeded starts one by itself. False if one runs already, the
    // account has no offline folders or is not IMAP, or its password cannot be read.
    bool downloadOfflineBodies(const accounts::Account &account);
    bool isRunning(const QString &account) const { return m_running.contains(account); }
    // Sends the account's outbox (what is due) and makes the Sent copies, off the GUI thread; sendFinished()
    // follows. A request while a run is going makes one more run afterwards.
    bool send(const accounts::Account &account);
    // The outgoing server's SIZE limit (RFC 1870) as the last account test saw it in EHLO; 0: not known.
    qint64 smtpSizeLimit(const QString &account) const { return m_smtpSizeLimits.value(account); }
    // Sends the account's offline journal (mark, flag, move, delete) to its IMAP server; journalReplayed()
    // follows. While one runs for the account, another request runs once it is over. Unreachable server:
    // the changes stay in the journal for the next Get Messages.
    bool replay(const accounts::Account &account);
    // Dismisses the account's journal conflicts entryIds, or makes them pending again (retry); off the GUI
    // thread like the other writes. conflictsResolved() follows; a retry's replay is the caller's to start.
    void resolveConflicts(const QString &account, const QList<qint64> &entryIds, bool retry);
    // The server copy of a draft in the IMAP account's Drafts folder (sync::ImapDraft), off the GUI thread:
    // raw stored as its newest version, the older ones removed; raw empty: every copy removed (sent or
    // discarded). Requests for one draft (its Message-ID) run one after the other; of those waiting, only the
    // newest is kept. serverDraftFinished() follows each run.
    bool storeServerDraft(const accounts::Account &account, const QByteArray &messageId, const QByteArray &raw);

Q_SIGNALS:
    void started(const QString &account, const QString &what);
    void progress(const QString &account, int done, int total);
    // ok false: message says why in one line for the status bar.
    void finished(const QString &account, bool ok, const QString &message);
    void bodyFetched(qint64 messageId, bool ok, const QString &message);
    void offlineBodiesFinished(const QString &account, bool ok, const QString &message);
    void sendFinished(const QString &account, bool ok, const QString &message);
    // conflicts: one line each for the changes the server could not take (message gone, folder gone, ...).
    void journalReplayed(const QString &account, bool ok, const QString &message, const QStringList &conflicts);
    void conflictsResolved(const QString &account, bool retry, bool ok, const QString &message);
    void serverDraftFinished(const QByteArray &messageId, bool removed, bool ok, const QString &message);

private:
    template<typename Worker, typename Handler>
    Worker *startWorker(Worker *worker, const QString &threadName, Handler handler);
    bool secrets(const accounts::Account &account, QByteArray *incoming, QByteArray *smtp);

    QString m_profile;
    diagnostics::TraceLog *m_log;
    QSet<QString> m_running;
    QSet<qint64> m_bodies;
    QSet<QString> m_offlineBodies;
    QSet<QString> m_sending;
    QSet<QString> m_sendAgain;
    QHash<QString, qint64> m_smtpSizeLimits;
    QSet<QString> m_replaying;
    QSet<QString> m_replayAgain;
    QSet<QByteArray> m_drafting;
    QHash<QByteArray, std::pair<accounts::Account, QByteArray>> m_draftWaiting;
    QList<QPointer<QObject>> m_threads;
    std::unique_ptr<accounts::SecretStore> m_secrets;
};

} // namespace tern::ui
