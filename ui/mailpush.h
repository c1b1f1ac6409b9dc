// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QThread;

namespace tern::diagnostics {
class TraceLog;
}

namespace tern::ui {

class IdleWorker;

// IMAP push for the window (RFC 2177): one core ImapIdle per watched (account, folder), each in a thread of
// its own with its own connections and its own store writer, so the GUI thread never touches the network or
// writes to the store. Its IDLE session and the sync after each push go to the inspector's log; changed()
// tells the window to re-read the store. INBOX is always watched; the open folder may be too, on a connection
// of its own (the server may refuse it: then only INBOX is pushed).
class MailPush : public QObject
{
    Q_OBJECT

public:
    MailPush(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent = nullptr);
    ~MailPush() override; // stops every watch: DONE and LOGOUT, waiting a little for each

    // Starts IDLE on the folder unless it is watched already; false when the account has IDLE off or is not
    // IMAP. A password that cannot be read ends the watch with failed().
    bool watch(const accounts::Account &account, const QString &folder = QStringLiteral("INBOX"));
    void unwatch(const QString &account, const QString &folder);
    void stopAll();
    bool isWatching(const QString &account, const QString &folder = QStringLiteral("INBOX")) const;
    bool isIdling(const QString &account, const QString &folder = QStringLiteral("INBOX")) const;
    // One line per account for the status bar: "Alice: waiting for new mail (IDLE)".
    QStringList statusLines() const;

Q_SIGNALS:
    void stateChanged();
    // A push was applied (new mail, flags, expunges): the store holds more than the window shows.
    void changed(const QString &account, const QString &folder);
    // A watch ended on its own (connection lost, server refused): message in one line.
    void failed(const QString &account, const QString &folder, const QString &message);

private:
    struct Watch
    {
        QPointer<QThread> thread;
        QPointer<IdleWorker> worker;
        bool idling = false;
        bool stopping = false;
    };
    static QString key(const QString &account, const QString &folder) { return account + QChar(0) + folder; }

    QString m_profile;
    diagnostics::TraceLog *m_log;
    QHash<QString, Watch> m_watches;
};

} // namespace tern::ui
