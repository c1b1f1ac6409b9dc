// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "accountoperations.h"
#include "accounts/accountmenu.h"
#include "composer/composerwindow.h"
#include "foldermodel.h"
#include "foldertree.h"
#include "mailpush.h"
#include "message/remotecontentpolicy.h"
#include "messagelistproxy.h"
#include "messageview.h"
#include "statusindicators.h"

#include "accounts/accountstore.h"
#include "compose/draftstore.h"
#include "models/messagelistmodel.h"
#include "store/folderset.h"
#include "models/messageoperations.h"
#include "models/threadlistmodel.h"

#include <tern/version.h>

#include <QApplication>
#include <QFont>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTreeView>

#include <algorithm>

namespace tern::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Tern"));
    setObjectName(QStringLiteral("MainWindow"));

    m_folderModel = new FolderModel(this);
    m_folderModel->setHorizontalHeaderLabels({tr("Folders")});
    m_folders = new QTreeView;
    m_folders->setObjectName(QStringLiteral("folderView"));
    m_folders->setAccessibleName(tr("Folders"));
    m_folders->setModel(m_folderModel);
    m_folders->setHeaderHidden(true);
    m_folders->setAcceptDrops(true);
    m_folders->setDropIndicatorShown(true);
    m_folders->setDragDropMode(QAbstractItemView::DropOnly);
    connect(m_folderModel, &FolderModel::messagesDropped, this, [this](const QList<qint64> &ids, qint64 folderId) {
        if (m_operations->move(ids, folderId))
            refreshList(true);
    });

    m_messageModel = new models::MessageListModel(&m_store, this);
    m_threadModel = new models::ThreadListModel(&m_store, this);
    m_operations = new models::MessageOperations(&m_store, this);
    m_flatProxy = new MessageListProxy(m_messageModel, this);
    m_threadProxy = new MessageListProxy(m_threadModel, this);
    m_messages = new QTreeView;
    m_messages->setObjectName(QStringLiteral("messageListView"));
    m_messages->setAccessibleName(tr("Messages"));
    m_messages->setModel(m_flatProxy);
    m_messages->setRootIsDecorated(false);
    m_messages->setDragEnabled(true);
    m_messages->setDragDropMode(QAbstractItemView::DragOnly);
    m_messages->setContextMenuPolicy(Qt::CustomContextMenu);
    m_messages->setUniformRowHeights(true);
    m_messages->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_messages->setSortingEnabled(true);
    m_messages->sortByColumn(models::MessageListModel::DateColumn, Qt::DescendingOrder);
    m_messages->header()->setStretchLastSection(false);
    m_messages->header()->setSectionResizeMode(models::MessageListModel::SubjectColumn, QHeaderView::Stretch);
    m_messages->header()->resizeSection(models::MessageListModel::FlagColumn, 28);
    m_messages->header()->resizeSection(models::MessageListModel::AttachmentColumn, 28);
    m_messages->header()->resizeSection(models::MessageListModel::CorrespondentColumn, 200);
    m_messages->header()->resizeSection(models::MessageListModel::DateColumn, 150);
    setUpAccountColumn(); // mainwindow_push.cpp: shown in the unified Inbox only

    m_message = new MessageView;
    connect(m_folders, &QTreeView::clicked, this, &MainWindow::folderActivated);
    connect(m_messages->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::messageActivated);
    connect(m_messages->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
    connect(m_message, &MessageView::linkHovered, this, [this](const QString &target) {
        if (target.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(tr("Link to %1").arg(target));
    });
    connect(m_message, &MessageView::mailtoActivated, this, &MainWindow::openMailto);

    auto *right = new QSplitter(Qt::Vertical);
    right->addWidget(m_messages);
    right->addWidget(m_message);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_folders);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    setCentralWidget(m_splitter);

    m_indicators = new StatusIndicators(statusBar(), this);
    createMenus();
    createActivity();
    statusBar()->showMessage(tr("Ready"));
    resize(1100, 700);
}

MainWindow::~MainWindow()
{
    // Views ask their models for data while they are torn down, and the models read m_store, a member that is
    // gone before the child widgets are: detach them first. Push threads write to the inspector's log, a
    // child too: they end first.
    delete m_push;
    m_push = nullptr;
    m_messages->setModel(nullptr);
    m_messageModel->setFolder(0);
    m_threadModel->setFolder(0);
}

void MainWindow::setAccountNames(const QStringList &names)
{
    m_folderModel->removeRows(0, m_folderModel->rowCount());
    for (const QString &name : names) {
        auto *account = new QStandardItem(name);
        account->setEditable(false);
        auto *inbox = new QStandardItem(folderIcon(QStringLiteral("inbox")), tr("Inbox"));
        inbox->setEditable(false);
        account->appendRow(inbox);
        m_folderModel->appendRow(account);
    }
    m_folders->expandAll();
}

namespace {
constexpr int FolderIdRole = FolderModel::FolderIdRole;
}

bool MainWindow::openProfile(const QString &directory)
{
    m_accountMenu->setProfileDirectory(directory);
    accounts::AccountStore accounts(directory);
    if (!accounts.load()) {
        statusBar()->showMessage(accounts.error());
        return false;
    }
    QStringList names;
    for (const auto &account : accounts.accounts())
        names << account.name;
    m_accounts = accounts.accounts();
    m_profileDirectory = directory;
    m_remotePolicy = std::make_unique<RemoteContentPolicy>(directory);
    m_message->setRemoteContentPolicy(m_remotePolicy.get());
    setAccountNames(names);
    if (!m_store.open(directory + QStringLiteral("/store.sqlite"))) {
        statusBar()->showMessage(tr("Cannot open the mail store: %1").arg(m_store.error()));
        return false;
    }
    useJournal();
    refreshFolders();
    // Drafts live in the store's local folders, which no account syncs: shown once there is something.
    if (!m_store.folders(compose::DraftStore::kLocalAccount).isEmpty()) {
        setAccountNames(names << compose::DraftStore::kLocalAccount);
        refreshFolders();
    }
    startPush();
    return true;
}

void MainWindow::refreshFolders()
{
    qint64 totalUnread = 0;
    for (int row = 0; row < m_folderModel->rowCount(); ++row) {
        QStandardItem *accountItem = m_folderModel->item(row);
        if (accountItem->data(FolderModel::UnifiedInboxRole).toBool())
            continue;
        const QList<store::Folder> folders = m_store.folders(accountItem->text());
        if (folders.isEmpty())
            continue; // not synced yet: keep the placeholder Inbox
        accountItem->removeRows(0, accountItem->rowCount());
        // A POP3 account that sent before its first download has its local Sent folder and no Inbox yet: the
        // placeholder stays, so the account never looks as if it had no Inbox.
        const bool hasInbox = std::any_of(folders.cbegin(), folders.cend(), [](const store::Folder &f) {
            return f.role == QLatin1StringView("inbox") || f.path.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0;
        });
        if (!hasInbox && accountItem->text() != compose::DraftStore::kLocalAccount) {
            auto *inbox = new QStandardItem(folderIcon(QStringLiteral("inbox")), tr("Inbox"));
            inbox->setEditable(false);
            accountItem->appendRow(inbox);
        }
        totalUnread += appendFolderTree(accountItem, folders, [this](qint64 id) { return m_store.unreadCount(id); });
    }
    refreshUnifiedInbox(store::inboxes(m_store));
    m_folders->expandAll();
    if (m_currentFolder.id)
        m_folders->setCurrentIndex(m_folderModel->indexOfFolder(m_currentFolder.id));
    else if (m_unified)
        m_folders->setCurrentIndex(m_folderModel->unifiedInboxIndex());
    m_indicators->setUnreadCount(totalUnread);
}

void MainWindow::selectFolder(qint64 folderId)
{
    const QModelIndex index = m_folderModel->indexOfFolder(folderId);
    if (!index.isValid())
        return;
    m_folders->setCurrentIndex(index);
    folderActivated(index);
}

void MainWindow::folderActivated(const QModelIndex &index)
{
    if (FolderModel::isUnifiedInbox(index))
        return showUnifiedInbox();
    const qint64 folderId = index.data(FolderIdRole).toLongLong();
    if (folderId == 0 || !m_store.database().isOpen())
        return;
    m_message->showMessage({});
    m_shownMessage = 0;
    m_currentFolder.id = folderId;
    m_currentFolder.account = index.data(FolderModel::AccountRole).toString();
    m_currentFolder.path = index.data(FolderModel::FolderPathRole).toString();
    m_unified = false;
    m_messageModel->setFolder(m_threaded ? 0 : folderId);
    m_threadModel->setFolder(m_threaded ? folderId : 0);
    if (m_threaded)
        m_messages->expandAll();
    statusBar()->showMessage(tr("%n message(s)", nullptr, int(m_store.messageCount(folderId))));
    updateActions();
}

void MainWindow::setListModel(QAbstractItemModel *model)
{
    if (m_messages->model() == model)
        return;
    m_messages->setModel(model);
    connect(m_messages->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::messageActivated);
    connect(m_messages->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateActions);
}

void MainWindow::setThreaded(bool threaded)
{
    if (m_threaded == threaded)
        return;
    if (threaded && m_unified) { // threads are built per folder: the unified Inbox stays a flat list
        if (QAction *toggle = action(QStringLiteral("threadedAction")))
            toggle->setChecked(false);
        return;
    }
    m_threaded = threaded;
    // Only the model shown reads the folder: the other one holds nothing.
    m_messageModel->setFolder(threaded ? 0 : m_currentFolder.id);
    m_threadModel->setFolder(threaded ? m_currentFolder.id : 0);
    setListModel(threaded ? static_cast<QAbstractItemModel *>(m_threadProxy) : m_flatProxy);
    m_messages->setRootIsDecorated(threaded);
    m_messages->setSortingEnabled(!threaded); // threads keep their own order
    if (threaded)
        m_messages->expandAll();
    else
        m_messages->sortByColumn(models::MessageListModel::DateColumn, Qt::DescendingOrder);
    if (QAction *toggle = action(QStringLiteral("threadedAction")))
        toggle->setChecked(threaded);
    m_message->showMessage({});
    m_shownMessage = 0;
    updateActions();
}

void MainWindow::refreshList(bool rowsChanged)
{
    if (!rowsChanged) {
        m_messageModel->invalidate();
        m_threadModel->invalidate();
    } else {
        const int row = m_messages->currentIndex().row();
        m_messageModel->reload();
        m_threadModel->reload();
        if (m_threaded)
            m_messages->expandAll();
        QAbstractItemModel *model = m_messages->model();
        if (model->rowCount() > 0) // the next message takes the removed one's place, as in Thunderbird
            m_messages->setCurrentIndex(model->index(std::clamp(row, 0, model->rowCount() - 1),
                                                     models::MessageListModel::SubjectColumn));
        else
            m_message->showMessage({});
    }
    refreshFolders();
    updateActions();
}

void MainWindow::messageActivated(const QModelIndex &current)
{
    const qint64 id = current.data(models::MessageListModel::MessageIdRole).toLongLong();
    if (id == m_shownMessage)
        return;
    m_shownMessage = id;
    const auto raw = id ? m_store.body(id) : std::nullopt;
    if (!raw) {
        m_message->setNotice(id ? requestBody(id) : QString());
        updateActions();
        return;
    }
    m_message->showMessage(*raw);
    // Opening marks it read, in the store at once; the server learns it through MessageOperations'
    // flagsChanged (the sync engine's IMAP STORE).
    if (current.data(models::MessageListModel::UnreadRole).toBool() && m_operations->setRead({id}, true))
        refreshList(false);
    updateActions();
}

QString MainWindow::requestBody(qint64 messageId)
{
    // An IMAP message's body comes on demand, off the GUI thread; the view fills in when it arrives.
    for (const accounts::Account &a : std::as_const(m_accounts)) {
        if (a.name != accountOfMessage(messageId) || a.incomingProtocol != accounts::IncomingProtocol::Imap)
            continue;
        if (accountOperations()->fetchBody(a, messageId))
            return tr("Downloading this message from %1…").arg(a.incoming.host);
    }
    return tr("This message's body has not been downloaded yet.");
}

void MainWindow::bodyFetched(qint64 messageId, bool ok, const QString &message)
{
    if (messageId != m_shownMessage)
        return; // the user has moved on; the body is in the store for next time
    if (!ok) {
        m_message->setNotice(tr("The message could not be downloaded: %1").arg(message));
        return;
    }
    m_shownMessage = 0;
    messageActivated(m_messages->currentIndex());
}

void MainWindow::createMenus()
{
    QMenu *file = m_fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *newMessage = file->addAction(tr("&New Message"), this, [this] {
        newComposer()->show();
    });
    newMessage->setObjectName(QStringLiteral("newMessageAction"));
    newMessage->setShortcut(QKeySequence::New);
    file->addSeparator();
    m_accountMenu = new AccountMenu(file, this);
    connect(m_accountMenu, &AccountMenu::accountsChanged, this, &MainWindow::openProfile);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    menuBar()->addMenu(tr("&Edit"));
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_messageMenu = menuBar()->addMenu(tr("&Message"));
    createMessageActions();

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Tern"), this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Tern"),
                       tr("<b>Tern %1</b><p>A desktop email client: SMTP pushes, IMAP and POP3 pull.</p>")
                           .arg(QStringLiteral(TERN_VERSION_STRING)));
}

} // namespace tern::ui
