// SPDX-License-Identifier: GPL-3.0-or-later
// The main window and the offline journal (core/store/journal.h): mark, flag, move and delete in an IMAP
// account change the store and write a journal row in one transaction (models::MessageOperations); then a
// replay sends the rows to the server off the GUI thread. Offline, or with the server out of reach, the rows
// wait for the next Get Messages (the sync replays them first). What the server could not take is shown.
#include "mainwindow.h"

#include "accountoperations.h"
#include "statusindicators.h"

#include "models/messageoperations.h"
#include "store/journal.h"

#include <QAction>
#include <QSet>
#include <QStatusBar>

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
