// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's view of activity: Get Messages and Test Account feeding the protocol inspector, the
// status bar's per-account progress, Work Offline, and the tray.
#include "mainwindow.h"

#include "accountoperations.h"
#include "inspector/inspectorwidget.h"
#include "statusindicators.h"

#include "diagnostics/tracelog.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>
#include <QSystemTrayIcon>

namespace tern::ui {

void MainWindow::createActivity()
{
    m_traceLog = new diagnostics::TraceLog(this);
    m_inspector = new InspectorWidget(m_traceLog);
    m_inspectorDock = new QDockWidget(tr("Protocol Inspector"), this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::BottomDockWidgetArea, m_inspectorDock);
    m_inspectorDock->hide();
    QAction *inspector = m_inspectorDock->toggleViewAction();
    inspector->setObjectName(QStringLiteral("inspectorAction"));
    inspector->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    addAction(inspector);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(inspector);

    auto *getMessages = new QAction(tr("&Get Messages"), this);
    getMessages->setObjectName(QStringLiteral("getMessagesAction"));
    getMessages->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_T), QKeySequence(Qt::Key_F5)});
    getMessages->setIcon(QIcon::fromTheme(QStringLiteral("mail-receive")));
    connect(getMessages, &QAction::triggered, this, [this] {
        for (const accounts::Account &a : std::as_const(m_accounts))
            this->getMessages(a.name);
    });
    auto *test = new QAction(tr("&Test Account"), this);
    test->setObjectName(QStringLiteral("testAccountAction"));
    connect(test, &QAction::triggered, this, [this] {
        const QString account = m_currentFolder.account.isEmpty() && !m_accounts.isEmpty() ? m_accounts.first().name
                                                                                           : m_currentFolder.account;
        testAccount(account);
    });
    auto *offline = new QAction(tr("Work &Offline"), this);
    offline->setObjectName(QStringLiteral("workOfflineAction"));
    offline->setCheckable(true);
    connect(offline, &QAction::toggled, this, [this, getMessages, test](bool on) {
        m_indicators->setOffline(on);
        getMessages->setEnabled(!on);
        test->setEnabled(!on);
    });
    for (QAction *a : {getMessages, test, offline})
        addAction(a);
    // Before the final separator and Quit, whatever else the File menu holds.
    QList<QAction *> items = m_fileMenu->actions();
    QAction *before = nullptr;
    for (qsizetype i = items.size() - 1; i >= 0; --i) {
        if (items[i]->isSeparator()) {
            before = items[i];
            break;
        }
    }
    m_fileMenu->insertActions(before, {getMessages, test, offline});
    m_fileMenu->insertSeparator(before);

    if (QSystemTrayIcon *tray = m_indicators->trayIcon()) {
        auto *menu = new QMenu(this);
        menu->addAction(getMessages);
        menu->addAction(tr("&Quit"), qApp, &QCoreApplication::quit);
        tray->setContextMenu(menu);
    }
    connect(m_indicators, &StatusIndicators::trayActivated, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
}

AccountOperations *MainWindow::accountOperations()
{
    if (!m_accountOperations) {
        m_accountOperations = new AccountOperations(m_profileDirectory, m_traceLog, this);
        connect(m_accountOperations, &AccountOperations::started, m_indicators, &StatusIndicators::begin);
        connect(m_accountOperations, &AccountOperations::progress, m_indicators, &StatusIndicators::progress);
        connect(m_accountOperations, &AccountOperations::bodyFetched, this, &MainWindow::bodyFetched);
        connect(m_accountOperations, &AccountOperations::finished, this,
                [this](const QString &name, bool ok, const QString &message) {
                    m_indicators->end(name);
                    statusBar()->showMessage(ok ? tr("%1: %2").arg(name, message) : tr("%1 failed: %2").arg(name, message));
                    if (ok)
                        refreshList(true); // the download wrote from its own connection
                });
        // The offline folders' bodies, downloaded after a sync: the same progress slot, then a line saying so.
        connect(m_accountOperations, &AccountOperations::offlineBodiesFinished, this,
                [this](const QString &name, bool ok, const QString &message) {
                    m_indicators->end(name);
                    statusBar()->showMessage(ok ? tr("%1: %2").arg(name, message)
                                                : tr("%1: offline copies not downloaded: %2").arg(name, message));
                });
        connect(m_accountOperations, &AccountOperations::sendFinished, this,
                [this](const QString &name, bool ok, const QString &message) {
                    statusBar()->showMessage(ok ? tr("%1: %2").arg(name, message) : tr("%1: sending failed: %2").arg(name, message));
                    refreshFolders(); // a POP3 account's local Sent copy
                });
    }
    return m_accountOperations;
}

bool MainWindow::getMessages(const QString &account)
{
    if (m_indicators->isOffline() || m_profileDirectory.isEmpty())
        return false;
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.name == account)
            return accountOperations()->fetch(a);
    }
    return false;
}

bool MainWindow::testAccount(const QString &account)
{
    if (m_indicators->isOffline() || m_profileDirectory.isEmpty())
        return false;
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.name == account)
            return accountOperations()->check(a);
    }
    return false;
}

} // namespace tern::ui
