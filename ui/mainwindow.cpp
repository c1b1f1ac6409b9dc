// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "accounts/accountmenu.h"
#include "composer/composerwindow.h"
#include "messagelistproxy.h"
#include "messageview.h"

#include "accounts/accountstore.h"
#include "models/messagelistmodel.h"

#include <tern/version.h>

#include <QApplication>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTreeView>

namespace tern::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Tern"));
    setObjectName(QStringLiteral("MainWindow"));

    m_folderModel = new QStandardItemModel(this);
    m_folderModel->setHorizontalHeaderLabels({tr("Folders")});
    m_folders = new QTreeView;
    m_folders->setObjectName(QStringLiteral("folderView"));
    m_folders->setAccessibleName(tr("Folders"));
    m_folders->setModel(m_folderModel);
    m_folders->setHeaderHidden(true);

    m_messageModel = new models::MessageListModel(&m_store, this);
    m_messages = new QTreeView;
    m_messages->setObjectName(QStringLiteral("messageListView"));
    m_messages->setAccessibleName(tr("Messages"));
    m_messages->setModel(new MessageListProxy(m_messageModel, this));
    m_messages->setRootIsDecorated(false);
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

    m_message = new MessageView;
    connect(m_folders, &QTreeView::clicked, this, &MainWindow::folderActivated);
    connect(m_messages->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::messageActivated);

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

    createMenus();
    statusBar()->showMessage(tr("Ready"));
    resize(1100, 700);
}

void MainWindow::setAccountNames(const QStringList &names)
{
    m_folderModel->removeRows(0, m_folderModel->rowCount());
    for (const QString &name : names) {
        auto *account = new QStandardItem(name);
        account->setEditable(false);
        auto *inbox = new QStandardItem(tr("Inbox"));
        inbox->setEditable(false);
        account->appendRow(inbox);
        m_folderModel->appendRow(account);
    }
    m_folders->expandAll();
}

namespace {
constexpr int FolderIdRole = Qt::UserRole + 1;
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
    setAccountNames(names);
    if (!m_store.open(directory + QStringLiteral("/store.sqlite"))) {
        statusBar()->showMessage(tr("Cannot open the mail store: %1").arg(m_store.error()));
        return false;
    }
    for (int row = 0; row < m_folderModel->rowCount(); ++row) {
        QStandardItem *accountItem = m_folderModel->item(row);
        const QList<store::Folder> folders = m_store.folders(accountItem->text());
        if (folders.isEmpty())
            continue; // not synced yet: keep the placeholder Inbox
        accountItem->removeRows(0, accountItem->rowCount());
        for (const store::Folder &f : folders) {
            const qint64 unread = m_store.unreadCount(f.id);
            const QString name = f.path == QLatin1StringView("INBOX") ? tr("Inbox") : f.path;
            auto *item = new QStandardItem(unread ? QStringLiteral("%1 (%2)").arg(name).arg(unread) : name);
            item->setEditable(false);
            item->setData(f.id, FolderIdRole);
            item->setAccessibleText(tr("%1, %n unread", nullptr, int(unread)).arg(name));
            accountItem->appendRow(item);
        }
    }
    m_folders->expandAll();
    return true;
}

void MainWindow::folderActivated(const QModelIndex &index)
{
    const qint64 folderId = index.data(FolderIdRole).toLongLong();
    if (folderId == 0 || !m_store.database().isOpen())
        return;
    m_message->showMessage({});
    m_messageModel->setFolder(folderId);
    statusBar()->showMessage(tr("%n message(s)", nullptr, m_messageModel->rowCount()));
}

void MainWindow::messageActivated(const QModelIndex &current)
{
    const qint64 id = current.data(models::MessageListModel::MessageIdRole).toLongLong();
    const auto raw = id ? m_store.body(id) : std::nullopt;
    if (!raw) {
        m_message->setPlainText(id ? tr("This message's body has not been downloaded yet.") : QString());
        return;
    }
    m_message->showMessage(*raw);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newMessage = file->addAction(tr("&New Message"), this, [this] {
        (new ComposerWindow(this))->show();
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
    menuBar()->addMenu(tr("&View"));
    menuBar()->addMenu(tr("&Message"));

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
