// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's message actions: the Message and View menus, the list's context menu and Thunderbird's
// keyboard shortcuts, and what each action does to the store (through models::MessageOperations).
#include "mainwindow.h"

#include "composer/composerwindow.h"
#include "foldermodel.h"
#include "message/deliverypathview.h"
#include "message/sourcedialog.h"
#include "messageview.h"

#include "compose/mailto.h"
#include "mime/message.h"
#include "mime/reply.h"
#include "compose/draftstore.h"
#include "models/messagelistmodel.h"
#include "models/messageoperations.h"

#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTreeView>

#include <functional>

namespace tern::ui {

namespace {

using models::MessageListModel;

QAction *makeAction(QWidget *owner, const QString &name, const QString &text, QList<QKeySequence> keys = {})
{
    auto *a = new QAction(text, owner);
    a->setObjectName(name);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WindowShortcut);
    owner->addAction(a); // shortcuts work with the menu closed and in the context menu's absence
    return a;
}

} // namespace

QAction *MainWindow::action(const QString &objectName) const
{
    return findChild<QAction *>(objectName);
}

void MainWindow::createMessageActions()
{
    // Thunderbird's keys: Ctrl+R reply, Ctrl+Shift+R reply all, Ctrl+L forward, N next unread, M toggle read,
    // S flag, Del delete, Ctrl+U source. R and Shift+R as single keys too.
    QAction *reply = makeAction(this, QStringLiteral("replyAction"), tr("&Reply"),
                                {QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_R)});
    QAction *replyAll = makeAction(this, QStringLiteral("replyAllAction"), tr("Reply to &All"),
                                   {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), QKeySequence(Qt::SHIFT | Qt::Key_R)});
    QAction *forward = makeAction(this, QStringLiteral("forwardAction"), tr("&Forward"), {QKeySequence(Qt::CTRL | Qt::Key_L)});
    QAction *markRead = makeAction(this, QStringLiteral("markReadAction"), tr("Mark as R&ead"));
    QAction *markUnread = makeAction(this, QStringLiteral("markUnreadAction"), tr("Mark as &Unread"));
    QAction *toggleRead = makeAction(this, QStringLiteral("toggleReadAction"), tr("&Toggle Read"), {QKeySequence(Qt::Key_M)});
    QAction *flag = makeAction(this, QStringLiteral("flagAction"), tr("Fl&ag"), {QKeySequence(Qt::Key_S)});
    QAction *del = makeAction(this, QStringLiteral("deleteAction"), tr("&Delete"), {QKeySequence::Delete});
    QAction *next = makeAction(this, QStringLiteral("nextUnreadAction"), tr("&Next Unread"), {QKeySequence(Qt::Key_N)});
    QAction *source = makeAction(this, QStringLiteral("viewSourceAction"), tr("View &Source"),
                                 {QKeySequence(Qt::CTRL | Qt::Key_U)});
    QAction *path = makeAction(this, QStringLiteral("deliveryPathAction"), tr("Deli&very Path"),
                               {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D)});
    QAction *threaded = makeAction(this, QStringLiteral("threadedAction"), tr("&Threaded"),
                                   {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)});
    threaded->setCheckable(true);
    reply->setIcon(QIcon::fromTheme(QStringLiteral("mail-reply-sender")));
    replyAll->setIcon(QIcon::fromTheme(QStringLiteral("mail-reply-all")));
    forward->setIcon(QIcon::fromTheme(QStringLiteral("mail-forward")));
    del->setIcon(QIcon::fromTheme(QStringLiteral("edit-delete")));
    flag->setIcon(QIcon::fromTheme(QStringLiteral("mail-mark-important")));

    connect(reply, &QAction::triggered, this, [this] { this->reply(int(mime::ReplyMode::Sender)); });
    connect(replyAll, &QAction::triggered, this, [this] { this->reply(int(mime::ReplyMode::All)); });
    connect(forward, &QAction::triggered, this, &MainWindow::forward);
    connect(markRead, &QAction::triggered, this, [this] { setRead(true); });
    connect(markUnread, &QAction::triggered, this, [this] { setRead(false); });
    connect(toggleRead, &QAction::triggered, this, &MainWindow::toggleRead);
    connect(flag, &QAction::triggered, this, &MainWindow::toggleFlag);
    connect(del, &QAction::triggered, this, &MainWindow::deleteSelection);
    connect(next, &QAction::triggered, this, &MainWindow::nextUnread);
    connect(source, &QAction::triggered, this, &MainWindow::viewSource);
    connect(path, &QAction::triggered, this, &MainWindow::showDeliveryPath);
    connect(threaded, &QAction::toggled, this, &MainWindow::setThreaded);

    m_messageMenu->addActions({reply, replyAll, forward});
    m_messageMenu->addSeparator();
    m_messageMenu->addActions({markRead, markUnread, toggleRead, flag});
    QMenu *move = m_messageMenu->addMenu(tr("&Move To"));
    move->setObjectName(QStringLiteral("moveMenu"));
    connect(move, &QMenu::aboutToShow, this, [this, move] { populateMoveMenu(move); });
    m_messageMenu->addAction(del);
    m_messageMenu->addSeparator();
    m_messageMenu->addActions({source, path});
    m_viewMenu->addAction(threaded);
    m_viewMenu->addSeparator();
    QMenu *go = m_viewMenu->addMenu(tr("&Go"));
    go->addAction(next);

    connect(m_messages, &QAbstractItemView::activated, this, &MainWindow::openDraft);
    connect(m_messages, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (!m_messages->indexAt(pos).isValid())
            return;
        QMenu *menu = createMessageContextMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->popup(m_messages->viewport()->mapToGlobal(pos));
    });
    updateActions();
}

QMenu *MainWindow::createMessageContextMenu(QWidget *parent)
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(QStringLiteral("messageContextMenu"));
    const auto add = [this, menu](const char *name) { menu->addAction(action(QString::fromLatin1(name))); };
    add("replyAction");
    add("replyAllAction");
    add("forwardAction");
    menu->addSeparator();
    add("markReadAction");
    add("markUnreadAction");
    add("flagAction");
    QMenu *move = menu->addMenu(tr("&Move To"));
    move->setObjectName(QStringLiteral("contextMoveMenu"));
    populateMoveMenu(move);
    add("deleteAction");
    menu->addSeparator();
    add("viewSourceAction");
    add("deliveryPathAction");
    return menu;
}

void MainWindow::populateMoveMenu(QMenu *menu)
{
    menu->clear();
    for (int a = 0; a < m_folderModel->rowCount(); ++a) {
        const QModelIndex account = m_folderModel->index(a, 0);
        if (account.data().toString() != m_currentFolder.account)
            continue; // a move stays within the account; across accounts is a copy and a delete
        for (int f = 0; f < m_folderModel->rowCount(account); ++f) {
            const QModelIndex folder = m_folderModel->index(f, 0, account);
            const qint64 id = folder.data(FolderModel::FolderIdRole).toLongLong();
            if (id <= 0 || id == m_currentFolder.id)
                continue;
            QAction *target = menu->addAction(folder.data(FolderModel::FolderNameRole).toString());
            target->setObjectName(QStringLiteral("moveTo:%1").arg(folder.data(FolderModel::FolderPathRole).toString()));
            connect(target, &QAction::triggered, this, [this, id] { moveSelection(id); });
        }
    }
    menu->setEnabled(!menu->isEmpty() && !selectedMessageIds().isEmpty());
}

QList<qint64> MainWindow::selectedMessageIds() const
{
    QList<qint64> ids;
    const QItemSelectionModel *selection = m_messages->selectionModel();
    if (!selection)
        return ids;
    for (const QModelIndex &row : selection->selectedRows(MessageListModel::SubjectColumn)) {
        const qint64 id = row.data(MessageListModel::MessageIdRole).toLongLong();
        if (id > 0 && !ids.contains(id))
            ids.append(id);
    }
    if (ids.isEmpty() && m_messages->currentIndex().isValid()) {
        const qint64 id = m_messages->currentIndex().data(MessageListModel::MessageIdRole).toLongLong();
        if (id > 0)
            ids.append(id);
    }
    return ids;
}

void MainWindow::updateActions()
{
    const bool any = !selectedMessageIds().isEmpty();
    const bool one = any && m_message && !m_message->raw().isEmpty();
    for (const char *name : {"markReadAction", "markUnreadAction", "toggleReadAction", "flagAction", "deleteAction"}) {
        if (QAction *a = action(QString::fromLatin1(name)))
            a->setEnabled(any);
    }
    for (const char *name : {"replyAction", "replyAllAction", "forwardAction", "viewSourceAction", "deliveryPathAction"}) {
        if (QAction *a = action(QString::fromLatin1(name)))
            a->setEnabled(one);
    }
    if (QAction *a = action(QStringLiteral("nextUnreadAction")))
        a->setEnabled(m_currentFolder.id > 0);
}

std::optional<accounts::Account> MainWindow::accountOfCurrentFolder() const
{
    for (const accounts::Account &a : m_accounts) {
        if (a.name == m_currentFolder.account)
            return a;
    }
    return std::nullopt;
}

void MainWindow::reply(int mode)
{
    const QByteArray raw = m_message->raw();
    if (raw.isEmpty())
        return;
    const auto account = accountOfCurrentFolder();
    mime::Mailbox me;
    std::vector<mime::Mailbox> mine;
    if (account) {
        for (const accounts::Identity &i : account->identities)
            mine.push_back({i.name, i.address, {}, false});
        if (!mine.empty())
            me = mine.front();
    }
    const mime::Draft draft = mime::makeReply(mime::Message(raw), me, mine, mime::ReplyMode(mode));
    ComposerWindow *composer = newComposer();
    composer->setObjectName(QStringLiteral("replyComposer"));
    composer->setReply(draft);
    composer->show();
}

void MainWindow::forward()
{
    const QByteArray raw = m_message->raw();
    if (raw.isEmpty())
        return;
    const auto account = accountOfCurrentFolder();
    mime::Mailbox me;
    if (account && !account->identities.isEmpty())
        me = {account->identities.first().name, account->identities.first().address, {}, false};
    const mime::Draft draft = mime::makeForwardInline(mime::Message(raw), me);
    ComposerWindow *composer = newComposer();
    composer->setObjectName(QStringLiteral("forwardComposer"));
    composer->setReply(draft);
    composer->show();
}

void MainWindow::setRead(bool read)
{
    if (!m_operations->setRead(selectedMessageIds(), read)) {
        statusBar()->showMessage(tr("Could not change the messages: %1").arg(m_operations->error()));
        return;
    }
    refreshList(false);
}

void MainWindow::toggleRead()
{
    // Thunderbird's M: the current message decides for the whole selection.
    const bool unread = m_messages->currentIndex().data(MessageListModel::UnreadRole).toBool();
    setRead(unread);
}

void MainWindow::toggleFlag()
{
    const quint32 flags = m_messages->currentIndex().data(MessageListModel::FlagsRole).toUInt();
    if (!m_operations->setFlagged(selectedMessageIds(), !(flags & store::Flagged))) {
        statusBar()->showMessage(tr("Could not change the messages: %1").arg(m_operations->error()));
        return;
    }
    refreshList(false);
}

void MainWindow::moveSelection(qint64 folderId)
{
    const QList<qint64> ids = selectedMessageIds();
    if (ids.isEmpty())
        return;
    if (!m_operations->move(ids, folderId)) {
        statusBar()->showMessage(tr("Could not move the messages: %1").arg(m_operations->error()));
        return;
    }
    refreshList(true);
}

void MainWindow::deleteSelection()
{
    const QList<qint64> ids = selectedMessageIds();
    if (ids.isEmpty())
        return;
    const auto trash = m_operations->trashFolder(m_currentFolder.account);
    if (!trash || trash->id == m_currentFolder.id) {
        // No Trash to recover from: this is for good, so ask (default No).
        const auto answer = QMessageBox::question(
            this, tr("Delete Messages"), tr("Delete %n message(s) for good? This cannot be undone.", nullptr, int(ids.size())),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
    }
    if (!m_operations->remove(ids, m_currentFolder)) {
        statusBar()->showMessage(tr("Could not delete the messages: %1").arg(m_operations->error()));
        return;
    }
    refreshList(true);
}

void MainWindow::nextUnread()
{
    QAbstractItemModel *model = m_messages->model();
    // Walk the rows in display order (threads depth first) after the current one, wrapping once.
    QList<QModelIndex> order;
    std::function<void(const QModelIndex &)> walk = [&](const QModelIndex &parent) {
        for (int r = 0; r < model->rowCount(parent); ++r) {
            const QModelIndex i = model->index(r, MessageListModel::SubjectColumn, parent);
            order.append(i);
            walk(model->index(r, 0, parent));
        }
    };
    walk({});
    if (order.isEmpty())
        return;
    const QModelIndex current = m_messages->currentIndex();
    qsizetype start = 0;
    for (qsizetype i = 0; i < order.size(); ++i) {
        if (current.isValid() && order[i].row() == current.row() && order[i].parent() == current.parent()) {
            start = i + 1;
            break;
        }
    }
    for (qsizetype n = 0; n < order.size(); ++n) {
        const QModelIndex candidate = order[(start + n) % order.size()];
        if (candidate.data(MessageListModel::UnreadRole).toBool()) {
            m_messages->setCurrentIndex(candidate);
            m_messages->scrollTo(candidate);
            return;
        }
    }
    statusBar()->showMessage(tr("No unread messages in this folder."));
}

void MainWindow::viewSource()
{
    const QByteArray raw = m_message->raw();
    if (raw.isEmpty())
        return;
    auto *dialog = new SourceDialog(raw, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showDeliveryPath()
{
    const QByteArray raw = m_message->raw();
    if (raw.isEmpty())
        return;
    auto *dialog = new DeliveryPathDialog(raw, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::openMailto(const QUrl &url)
{
    openMailtoLink(url.toString());
}

void MainWindow::openMailtoLink(const QString &link)
{
    if (const auto draft = compose::parseMailto(link)) {
        ComposerWindow *composer = newComposer();
        composer->setDraft(*draft);
        composer->show();
    }
}

ComposerWindow *MainWindow::newComposer()
{
    auto *composer = new ComposerWindow(this);
    composer->setContext({m_profileDirectory, m_accounts, m_profileDirectory.isEmpty() ? nullptr : accountOperations()});
    connect(composer, &ComposerWindow::draftSaved, this, [this] { refreshFolders(); });
    return composer;
}

// A message of the local Drafts folder opens in the composer (Enter or a double click).
void MainWindow::openDraft(const QModelIndex &index)
{
    if (!index.isValid() || m_currentFolder.account != compose::DraftStore::kLocalAccount
        || m_currentFolder.path != compose::DraftStore::kFolderPath)
        return;
    const QList<qint64> ids = selectedMessageIds();
    if (ids.size() != 1)
        return;
    ComposerWindow *composer = newComposer();
    if (composer->openDraft(ids.first()))
        composer->show();
    else
        delete composer;
}

} // namespace tern::ui
