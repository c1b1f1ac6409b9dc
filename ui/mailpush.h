// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/imapidlewatch.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>

class QThread;
class QTimer;

namespace tern::diagnostics {
class TraceLog;
}

namespace tern::ui {

class IdleWorker;

// IMAP push for the window (RFC 2177): one core ImapIdleWatch per watched (account, folder), each in a thread
// of its own with its own connections and its own store writer, so the GUI thread never touches the network
// or writes to the store. A lost connection comes back on its own after a backoff, with a sync that catches
// up; the status bar says so ("Alice: offline, retrying in 30 s"). Its IDLE session and the sync after each
// push go to the inspector's log; changed() tells the window to re-read the store. INBOX is always watched;
// the open folder may be too, on a connection of its own (the server may refuse it: then only INBOX is pushed).
class MailPush : public QObject
{
    Q_OBJECT

public:
    MailPush(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent = nullptr);
    ~MailPush() override; // stops every watch: DONE and LOGOUT, waiting a little for each

    // Starts IDLE on the folder unless it is watched already; false when the account is not IMAP or has IDLE
    // off (its watches then end, and the status bar says why). A password that cannot be read, a refused
    // login or certificate end the watch with failed(); anything else is retried.
    bool watch(const accounts::Account &account, const QString &folder = QStringLiteral("INBOX"));
    void unwatch(const QString &account, const QString &folder);
    void stopAll();
    bool isWatching(const QString &account, const QString &folder = QStringLiteral("INBOX")) const;
    bool isIdling(const QString &account, const QString &folder = QStringLiteral("INBOX")) const;
    bool isRetrying(const QString &account, const QString &folder = QStringLiteral("INBOX")) const;
    // Every watch is waiting to reconnect after a network failure: the window shows itself offline.
    bool isNetworkDown() const;
    // The network is back (QNetworkInformation): watches waiting to reconnect try now.
    void retryNow();
    // Intervals for the watches started from now on and the next connection of running ones (tests).
    void setTimings(const sync::ImapIdleWatch::Timings &timings);
    // One line per account for the status bar: "Alice: waiting for new mail (IDLE)".
    QStringList statusLines() const;

Q_SIGNALS:
    void stateChanged();
    // A push was applied (new mail, flags, expunges): the store holds more than the window shows.
    void changed(const QString &account, const QString &folder);
    // The watch's store is up to date with the server: its catch-up sync, or the sync after a push, ended.
    void synced(const QString &account, const QString &folder);
    // A watch ended on its own for good (password refused, certificate, no IDLE): message in one line.
    void failed(const QString &account, const QString &folder, const QString &message);

private:
    struct Watch
    {
        QPointer<QThread> thread;
        QPointer<IdleWorker> worker;
        sync::ImapIdleWatch::State state = sync::ImapIdleWatch::State::Connecting;
        QDeadlineTimer retryAt;
        bool networkFailure = false;
        bool stopping = false;
    };
    static QString key(const QString &account, const QString &folder) { return account + QChar(0) + folder; }
    QString lineFor(const QString &account) const;
    void updateTicker();

    QString m_profile;
    diagnostics::TraceLog *m_log;
    QHash<QString, Watch> m_watches;
    QHash<QString, QString> m_notPushed; // account → why push ended for good
    sync::ImapIdleWatch::Timings m_timings;
    QTimer *m_ticker; // the "retrying in N s" countdown
};

} // namespace tern::ui
