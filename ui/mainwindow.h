// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QSplitter;
class QStandardItemModel;
class QTextBrowser;
class QTreeView;

namespace tern::ui {

// The three-pane window: folders | message list | message.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    QTreeView *folderView() const { return m_folders; }
    QTreeView *messageListView() const { return m_messages; }
    QTextBrowser *messageView() const { return m_message; }

    // Shows one account per entry in the folder tree until core's folder model replaces this.
    void setAccountNames(const QStringList &names);

private:
    void createMenus();
    void showAbout();

    QSplitter *m_splitter = nullptr;
    QTreeView *m_folders = nullptr;
    QTreeView *m_messages = nullptr;
    QTextBrowser *m_message = nullptr;
    QStandardItemModel *m_folderModel = nullptr;
    QStandardItemModel *m_messageModel = nullptr;
};

} // namespace tern::ui
