// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "store/store.h"

#include <QMainWindow>

#include <memory>

class QAbstractItemModel;
class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QStandardItemModel;
class QTextBrowser;
class QTreeView;

namespace tern::diagnostics {
class TraceLog;
}
namespace tern::models {
class MessageListModel;
class MessageOperations;
class ThreadListModel;
}

namespace tern::ui {

class AccountMenu;
class AccountOperations;
class ComposerWindow;
class FolderModel;
class MailPush;
class NewMailNotifications;
class InspectorWidget;
class JournalConflicts;
class MessageListProxy;
class MessageView;
class RemoteContentPolicy;
class StatusIndicators;

// The three-pane window: folders | message list | message. The message actions (menus, context menu,
// shortcuts like Thunderbird's) live in mainwindow_actions.cpp; account operations and the inspector in
// mainwindow_activity.cpp.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QTreeView *folderView() const { return m_folders; }
    QTreeView *messageListView() const { return m_messages; }
    MessageView *messageView() const { return m_message; }
    InspectorWidget *inspector() const { return m_inspector; }
    QDockWidget *inspectorDock() const { return m_inspectorDock; }
    diagnostics::TraceLog *traceLog() const { return m_traceLog; }
    StatusIndicators *indicators() const { return m_indicators; }
    models::MessageOperations *messageOperations() const { return m_operations; }
    // Actions by object name ("replyAction", "deleteAction" ...), for menus, tests and the accessibility tree.
    QAction *action(const QString &objectName) const;
    // The message list's context menu for the current selection (not shown).
    QMenu *createMessageContextMenu(QWidget *parent);

    // Shows one account per entry in the folder tree (before anything is synced).
    void setAccountNames(const QStringList &names);
    // Reads the profile: accounts and their folders from the store, newest messages first. Reading only:
    // syncs write from their own threads (WAL lets this connection read meanwhile).
    bool openProfile(const QString &directory);
    void selectFolder(qint64 folderId);
    void setThreaded(bool threaded);
    bool isThreaded() const { return m_threaded; }
    QList<qint64> selectedMessageIds() const;

    // Runs "Get Messages" / "Test Account" for one account; the trace goes to the inspector.
    bool getMessages(const QString &account);
    bool testAccount(const QString &account);
    // Opens a mailto: link (RFC 6068) in a composer that sends and saves through this window's profile.
    void openMailtoLink(const QString &link);

    // Push and new mail (mainwindow_push.cpp): IDLE on each IMAP account's INBOX while the window is open
    // and online; desktop notifications for new unread mail; the unified Inbox.
    MailPush *mailPush() const { return m_push; }
    NewMailNotifications *newMailNotifications() const { return m_newMail; }
    QLabel *pushIndicator() const { return m_pushLabel; }
    void showUnifiedInbox();
    bool isUnifiedInboxShown() const { return m_unified; }

    // The offline changes the server could not take: status bar button, View menu action, dialog.
    JournalConflicts *journalConflicts() const { return m_journalConflicts; }

private:
    void createMenus();
    void createMessageActions();
    void createActivity();
    AccountOperations *accountOperations();
    void showAbout();
    void folderActivated(const QModelIndex &index);
    void messageActivated(const QModelIndex &current);
    QString requestBody(qint64 messageId);
    void bodyFetched(qint64 messageId, bool ok, const QString &message);
    void setListModel(QAbstractItemModel *model);
    void refreshFolders();
    void refreshList(bool rowsChanged);
    void updateActions();
    void startPush();
    void pushChanged(const QString &account, const QString &folder);
    void afterAccountOperation(const QString &account, bool ok);
    void refreshUnifiedInbox(const QList<store::Folder> &inboxes);
    void updatePushStatus();
    void setUpAccountColumn();
    void watchOpenFolder();
    QString accountOfMessage(qint64 messageId);
    QList<qint64> inboxIds();

    // Message actions (mainwindow_actions.cpp)
    void reply(int mode);
    void forward();
    void toggleRead();
    void setRead(bool read);
    void toggleFlag();
    void moveSelection(qint64 folderId);
    void deleteSelection();
    void nextUnread();
    void viewSource();
    void showDeliveryPath();
    void populateMoveMenu(QMenu *menu);
    void openMailto(const QUrl &url);
    // A composer that sends and saves drafts through this window's profile and accounts.
    ComposerWindow *newComposer();
    void openDraft(const QModelIndex &index);
    std::optional<accounts::Account> accountOfCurrentFolder() const;

    // The offline journal (mainwindow_journal.cpp): IMAP changes reach the server off the GUI thread.
    void useJournal();
    void replayJournal(const QString &account);
    void journalReplayed(const QString &account, bool ok, const QString &message, const QStringList &conflicts);
    void watchJournalConflicts();
    void replayPendingJournals();
    bool m_journalWatchesOffline = false;
    JournalConflicts *m_journalConflicts = nullptr;

    QSplitter *m_splitter = nullptr;
    QTreeView *m_folders = nullptr;
    QTreeView *m_messages = nullptr;
    MessageView *m_message = nullptr;
    FolderModel *m_folderModel = nullptr;
    store::Store m_store;
    models::MessageListModel *m_messageModel = nullptr;
    models::ThreadListModel *m_threadModel = nullptr;
    MessageListProxy *m_flatProxy = nullptr;
    MessageListProxy *m_threadProxy = nullptr;
    models::MessageOperations *m_operations = nullptr;
    std::unique_ptr<RemoteContentPolicy> m_remotePolicy;
    QList<accounts::Account> m_accounts;
    QString m_profileDirectory;
    store::Folder m_currentFolder;
    qint64 m_shownMessage = 0;
    bool m_threaded = false;

    diagnostics::TraceLog *m_traceLog = nullptr;
    InspectorWidget *m_inspector = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    StatusIndicators *m_indicators = nullptr;
    AccountOperations *m_accountOperations = nullptr;
    QMenu *m_messageMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_fileMenu = nullptr;
    AccountMenu *m_accountMenu = nullptr;
    MailPush *m_push = nullptr;
    NewMailNotifications *m_newMail = nullptr;
    QLabel *m_pushLabel = nullptr;
    bool m_unified = false;
};

} // namespace tern::ui
