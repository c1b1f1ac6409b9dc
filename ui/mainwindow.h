// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QMainWindow>

#include <memory>

class QSplitter;
class QStandardItemModel;
class QTextBrowser;
class QTreeView;

namespace tern::models {
class MessageListModel;
}

namespace tern::ui {

class AccountMenu;
class MessageView;

// The three-pane window: folders | message list | message.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    QTreeView *folderView() const { return m_folders; }
    QTreeView *messageListView() const { return m_messages; }
    MessageView *messageView() const { return m_message; }

    // Shows one account per entry in the folder tree (before anything is synced).
    void setAccountNames(const QStringList &names);
    // Reads the profile: accounts and their folders from the store, newest messages first. Reading only:
    // syncs write from their own threads (WAL lets this connection read meanwhile).
    bool openProfile(const QString &directory);

private:
    void createMenus();
    void showAbout();
    void folderActivated(const QModelIndex &index);
    void messageActivated(const QModelIndex &current);

    QSplitter *m_splitter = nullptr;
    QTreeView *m_folders = nullptr;
    QTreeView *m_messages = nullptr;
    MessageView *m_message = nullptr;
    QStandardItemModel *m_folderModel = nullptr;
    store::Store m_store;
    models::MessageListModel *m_messageModel = nullptr;
    AccountMenu *m_accountMenu = nullptr;
};

} // namespace tern::ui
