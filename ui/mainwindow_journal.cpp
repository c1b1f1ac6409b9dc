// SPDX-License-Identifier: GPL-3.0-or-later
// The main window and the offline journal (core/store/journal.h): mark, flag, move and delete in an IMAP
// account change the store and write a journal row in one transaction (models::MessageOperations); then a
// replay sends the rows to the server off the GUI thread. Offline, or with the server out of reach, the rows
// wait for the next Get Messages (the sync replays them first). What the server could not take is listed
// (journalconflicts.h) for the user to dismiss or retry. Rows left from an earlier session go at start-up.
#include "mainwindow.h"

#include "accountoperations.h"
#include "journalconflicts.h"
#include "statusindicators.h"

#include "models/messageoperations.h"
#include "store/journal.h"

#include <QAction>
#include <QMenu>
#include <QSet>
#include <QStatusBar>
#include <QTimer>

namespace tern::ui {

void MainWindow::useJournal()
{
    QSet<QString> imap;
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.incomingProtocol == accounts::IncomingProtocol::Imap)
            imap.insert(a.name);
    }
    m_operations->setServerAccounts(imap);
    connect(m_operations, &models::MessageOperations::journalChanged, this, &MainWindow::replayJournal,
            Qt::UniqueConnection);
    // Back online: what waited in the journal goes now, not only with the next Get Messages.
    if (QAction *offline = action(QStringLiteral("workOfflineAction")); offline && !m_journalWatchesOffline) {
        m_journalWatchesOffline = true;
        connect(offline, &QAction::toggled, this, [this](bool on) {
            if (on)
                return;
            store::Journal journal(m_store);
            for (const accounts::Account &a : std::as_const(m_accounts)) {
                if (a.incomingProtocol == accounts::IncomingProtocol::Imap && journal.pendingCount(a.name) > 0)
                    replayJournal(a.name);
            }
        });
    }
    watchJournalConflicts();
    QStringList names(imap.cbegin(), imap.cend());
    names.sort();
    m_journalConflicts->setAccounts(names);
    m_journalConflicts->refresh();
    // Changes left from an earlier session (quit offline, or before the server answered) go without waiting
    // for the user; after this turn of the event loop, so that the window shows first.
    QTimer::singleShot(0, this, &MainWindow::replayPendingJournals);
}

void MainWindow::replayPendingJournals()
{
    store::Journal journal(m_store);
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.incomingProtocol == accounts::IncomingProtocol::Imap && journal.pendingCount(a.name) > 0)
            replayJournal(a.name);
    }
}

void MainWindow::watchJournalConflicts()
{
    if (m_journalConflicts)
        return;
    m_journalConflicts = new JournalConflicts(&m_store, statusBar(), this);
    addAction(m_journalConflicts->action());
    m_viewMenu->addAction(m_journalConflicts->action());
    // Dismiss and Retry write the store: off the GUI thread, like the replays.
    connect(m_journalConflicts, &JournalConflicts::dismissRequested, this,
            [this](const QString &account, const QList<qint64> &ids) {
                accountOperations()->resolveConflicts(account, ids, false);
            });
    connect(m_journalConflicts, &JournalConflicts::retryRequested, this,
            [this](const QString &account, const QList<qint64> &ids) {
                accountOperations()->resolveConflicts(account, ids, true);
            });
    connect(accountOperations(), &AccountOperations::conflictsResolved, this,
            [this](const QString &account, bool retry, bool ok, const QString &message) {
                m_journalConflicts->refresh();
                statusBar()->showMessage(tr("%1: %2").arg(account, message));
                if (ok && retry)
                    replayJournal(account); // offline: they wait for the next Get Messages
            });
    // A sync replays the journal first: its conflicts show as well as the window's own replays'.
    connect(accountOperations(), &AccountOperations::finished, m_journalConflicts, &JournalConflicts::refresh);
}

void MainWindow::replayJournal(const QString &account)
{
    if (m_indicators->isOffline() || m_profileDirectory.isEmpty())
        return; // the rows stay; Get Messages sends them once back online
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.name != account)
            continue;
        connect(accountOperations(), &AccountOperations::journalReplayed, this, &MainWindow::journalReplayed,
                Qt::UniqueConnection);
        accountOperations()->replay(a);
        return;
    }
}

void MainWindow::journalReplayed(const QString &account, bool ok, const QString &message, const QStringList &conflicts)
{
    m_journalConflicts->refresh();
    if (!conflicts.isEmpty()) {
        statusBar()->showMessage(tr("%1: %n change(s) could not be applied on the server: %2", nullptr,
                                    int(conflicts.size()))
                                     .arg(account, conflicts.first()));
        refreshList(true); // the next sync brings back the server's state; until then, the list as stored
        return;
    }
    if (!ok)
        statusBar()->showMessage(tr("%1: %2").arg(account, message));
}

} // namespace tern::ui
