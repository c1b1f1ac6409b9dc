// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QObject>
#include <QPointer>
#include <QSet>

namespace tern::diagnostics {
class TraceLog;
}

namespace tern::ui {

// Runs core's account operations for the window — "Get Messages" (POP3 download) and "Test Account" — with
// their traces going to the protocol inspector's log. A download writes to the store, so it runs in a thread
// of its own with its own store connection: the GUI thread never holds a write transaction (PERFORMANCE.md).
// IMAP sync plugs in here when the sync engine lands.
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
    bool isRunning(const QString &account) const { return m_running.contains(account); }

Q_SIGNALS:
    void started(const QString &account, const QString &what);
    void progress(const QString &account, int done, int total);
    // ok false: message says why in one line for the status bar.
    void finished(const QString &account, bool ok, const QString &message);

private:
    bool secrets(const accounts::Account &account, QByteArray *incoming, QByteArray *smtp);

    QString m_profile;
    diagnostics::TraceLog *m_log;
    QSet<QString> m_running;
    QList<QPointer<QObject>> m_threads;
};

} // namespace tern::ui
