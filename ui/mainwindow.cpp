// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "composer/composerwindow.h"

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

    m_messageModel = new QStandardItemModel(0, 5, this);
    m_messageModel->setHorizontalHeaderLabels({tr("Subject"), tr("From"), tr("Date"), tr("Size"), QString()});
    m_messages = new QTreeView;
    m_messages->setObjectName(QStringLiteral("messageListView"));
    m_messages->setAccessibleName(tr("Messages"));
    m_messages->setModel(m_messageModel);
    m_messages->setRootIsDecorated(false);
    m_messages->setUniformRowHeights(true);
    m_messages->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_messages->header()->setStretchLastSection(false);
    m_messages->header()->setSectionResizeMode(0, QHeaderView::Stretch);

    m_message = new QTextBrowser;
    m_message->setObjectName(QStringLiteral("messageView"));
    m_message->setAccessibleName(tr("Message"));
    // No remote content, ever, from this widget: QTextBrowser only loads what loadResource() hands it.
    m_message->setOpenLinks(false);
    m_message->setPlaceholderText(tr("No message selected"));

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

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newMessage = file->addAction(tr("&New Message"), this, [this] {
        (new ComposerWindow(this))->show();
    });
    newMessage->setObjectName(QStringLiteral("newMessageAction"));
    newMessage->setShortcut(QKeySequence::New);
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
