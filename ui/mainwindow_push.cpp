// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's push side: IMAP IDLE for each IMAP account while the window is open and online
// (MailPush, off the GUI thread), the list updated in place when a push lands, desktop notifications for new
// unread mail from any path (IDLE, Get Messages, POP3), the status bar's push indicator, the unified Inbox.
#include "mainwindow.h"

#include "accountoperations.h"
#include "foldermodel.h"
#include "mailpush.h"
#include "messageview.h"
#include "newmailnotifier.h"
#include "statusindicators.h"

#include "models/messagelistmodel.h"
#include "models/threadlistmodel.h"
#include "store/folderset.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QNetworkInformation>
#include <QStatusBar>
#include <QTreeView>

namespace tern::ui {

void MainWindow::startPush()
{
    if (!m_newMail) {
        m_newMail = new NewMailNotifications(&m_store, this);
        m_newMail->setNotifier(std::make_unique<DesktopNotifier>(m_indicators->trayIcon()));
        m_pushLabel = new QLabel;
        m_pushLabel->setObjectName(QStringLiteral("pushIndicator"));
        statusBar()->addPermanentWidget(m_pushLabel);
        if (QAction *offline = action(QStringLiteral("workOfflineAction"))) {
            connect(offline, &QAction::toggled, this, [this](bool on) {
                if (on && m_push)
                    m_push->stopAll(); // DONE, LOGOUT: offline means no connection at all
                else if (!on)
                    startPush();
            });
        }
        connect(m_folders->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::watchOpenFolder);
        // A Get Messages reports here: new mail to notify about, and a watch that ended restarts.
        connect(accountOperations(), &AccountOperations::finished, this,
                [this](const QString &account, bool ok, const QString &) { afterAccountOperation(account, ok); });
        // Where the platform says the network came back (StatusIndicators loaded the backend), waiting watches
        // reconnect now instead of at the end of their backoff.
        if (QNetworkInformation *info = QNetworkInformation::instance()) {
            connect(info, &QNetworkInformation::reachabilityChanged, this, [this](QNetworkInformation::Reachability r) {
                if (m_push && r == QNetworkInformation::Reachability::Online)
                    m_push->retryNow();
            });
        }
    }
    if (m_push && m_push->property("profile").toString() != m_profileDirectory) {
        delete m_push; // another profile: its watches end
        m_push = nullptr;
    }
    if (!m_push) {
        m_push = new MailPush(m_profileDirectory, m_traceLog, this);
        m_push->setProperty("profile", m_profileDirectory);
        connect(m_push, &MailPush::stateChanged, this, &MainWindow::updatePushStatus);
        connect(m_push, &MailPush::changed, this, &MainWindow::pushChanged);
        connect(m_push, &MailPush::failed, this, [this](const QString &account, const QString &folder, const QString &why) {
            statusBar()->showMessage(tr("%1: new mail is no longer pushed for %2: %3").arg(account, folder, why));
        });
        m_newMail->reset(inboxIds());
    }
    if (m_indicators->isOffline())
        return;
    for (const accounts::Account &a : std::as_const(m_accounts))
        m_push->watch(a);
    watchOpenFolder();
    updatePushStatus();
}

void MainWindow::watchOpenFolder()
{
    if (!m_push || m_indicators->isOffline())
        return;
    // One more connection for the open folder when it is not INBOX; the previous one ends. A server that
    // refuses the extra connection leaves INBOX pushed, which is what matters.
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        const bool here = a.name == m_currentFolder.account && !m_unified && !m_currentFolder.path.isEmpty()
                          && m_currentFolder.path.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) != 0;
        for (const store::Folder &f : m_store.folders(a.name)) {
            if (f.role == QLatin1StringView("inbox"))
                continue;
            if (here && f.path == m_currentFolder.path)
                m_push->watch(a, f.path);
            else if (m_push->isWatching(a.name, f.path))
                m_push->unwatch(a.name, f.path);
        }
    }
}

void MainWindow::afterAccountOperation(const QString &account, bool ok)
{
    if (!ok)
        return;
    m_newMail->check(inboxIds());
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.name == account && m_push && !m_indicators->isOffline())
            m_push->watch(a);
    }
}

void MainWindow::pushChanged(const QString &account, const QString &folder)
{
    // A folder the list does not show (the previously opened one, still syncing as its watch ends): only the
    // counts change. Re-reading a 100k list takes the GUI thread ~60 ms, a visible stall while scrolling it.
    const std::optional<store::Folder> pushed = m_store.folder(account, folder);
    const QList<qint64> shown = m_threaded ? QList<qint64>{m_threadModel->folder()} : m_messageModel->folders();
    if (!pushed || !shown.contains(pushed->id)) {
        refreshFolders();
        m_newMail->check(inboxIds());
        return;
    }
    // The push's sync wrote from its own connection: re-read, keeping the message the user has open.
    const qint64 current = m_messages->currentIndex().data(models::MessageListModel::MessageIdRole).toLongLong();
    m_messageModel->reload();
    m_threadModel->reload();
    if (m_threaded)
        m_messages->expandAll();
    if (current) {
        const int row = m_threaded ? -1 : m_messageModel->rowOf(current);
        if (row >= 0)
            m_messages->setCurrentIndex(m_messages->model()->index(row, models::MessageListModel::SubjectColumn));
        else if (current == m_shownMessage)
            m_message->showMessage({}); // expunged by another client
    }
    refreshFolders();
    updateActions();
    if (m_unified || m_currentFolder.id)
        statusBar()->showMessage(tr("%n message(s)", nullptr, m_messages->model()->rowCount()));
    m_newMail->check(inboxIds());
}

void MainWindow::refreshUnifiedInbox(const QList<store::Folder> &inboxes)
{
    QList<qint64> ids;
    qint64 unread = 0;
    for (const store::Folder &f : inboxes) {
        ids.append(f.id);
        unread += m_store.unreadCount(f.id);
    }
    const bool changed = ids != m_folderModel->unifiedInboxFolders();
    m_folderModel->setUnifiedInbox(ids, unread);
    if (m_unified && changed)
        m_messageModel->setFolders(ids); // an account's inbox appeared or went
}

void MainWindow::showUnifiedInbox()
{
    if (!m_store.database().isOpen())
        return;
    m_message->showMessage({});
    m_shownMessage = 0;
    m_currentFolder = {};
    m_unified = true;
    if (m_threaded)
        setThreaded(false); // threads are built per folder
    const QList<qint64> ids = m_folderModel->unifiedInboxFolders();
    m_messageModel->setFolders(ids);
    m_threadModel->setFolder(0);
    m_folders->setCurrentIndex(m_folderModel->unifiedInboxIndex());
    statusBar()->showMessage(tr("%n message(s)", nullptr, int(m_messageModel->rowCount())));
    updateActions();
}

void MainWindow::setUpAccountColumn()
{
    // After From, where the eye goes to tell one sender from another; only lists spanning accounts have it.
    // Again whenever the header starts over (a model reset, the switch between flat and threaded lists).
    const auto arrange = [this] {
        QHeaderView *header = m_messages->header();
        if (header->count() <= models::MessageListModel::AccountColumn)
            return;
        const int account = header->visualIndex(models::MessageListModel::AccountColumn);
        const int date = header->visualIndex(models::MessageListModel::DateColumn);
        if (account != date - 1) {
            header->moveSection(account, account < date ? date - 1 : date);
            header->resizeSection(models::MessageListModel::AccountColumn, 130);
        }
        m_messages->setColumnHidden(models::MessageListModel::AccountColumn, !m_unified);
    };
    arrange();
    connect(m_messageModel, &QAbstractItemModel::modelReset, this, arrange);
    connect(m_threadModel, &QAbstractItemModel::modelReset, this, arrange);
    connect(m_messages->header(), &QHeaderView::sectionCountChanged, this, arrange, Qt::QueuedConnection);
}

void MainWindow::updatePushStatus()
{
    const QStringList lines = m_push ? m_push->statusLines() : QStringList();
    m_pushLabel->setText(lines.join(QStringLiteral(" · ")));
    m_pushLabel->setToolTip(lines.isEmpty() ? QString()
                                            : tr("The server tells Tern about new mail as it arrives (IMAP IDLE)."));
    m_pushLabel->setAccessibleName(m_pushLabel->text());
    m_pushLabel->setVisible(!lines.isEmpty());
    m_indicators->setServersUnreachable(m_push && m_push->isNetworkDown());
}

QList<qint64> MainWindow::inboxIds()
{
    QList<qint64> ids;
    for (const store::Folder &f : store::inboxes(m_store))
        ids.append(f.id);
    return ids;
}

QString MainWindow::accountOfMessage(qint64 messageId)
{
    if (!m_unified)
        return m_currentFolder.account;
    return m_folderModel->indexOfFolder(m_store.folderOf(messageId)).data(FolderModel::AccountRole).toString();
}

} // namespace tern::ui
