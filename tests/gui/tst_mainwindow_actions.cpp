// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's message actions over a real store: the context menu, marking and flagging, moving by
// menu and by drag onto a folder, delete to Trash, the threaded view, reply, view source and the delivery
// path; screenshots of the window and the delivery path for the README.
#include "accounts/accountstore.h"
#include "composer/composerwindow.h"
#include "foldermodel.h"
#include "mainwindow.h"
#include "message/deliverypathview.h"
#include "message/safebrowser.h"
#include "message/sourcedialog.h"
#include "messageview.h"
#include "models/messagelistmodel.h"
#include "models/messageoperations.h"
#include "store/store.h"

#include <QAction>
#include <QDir>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace tern;
using models::MessageListModel;

namespace {

QByteArray crlf(QByteArray b)
{
    return b.replace("\n", "\r\n");
}

const char kParent[] = "From: Alice <alice@example.org>\nTo: me@lab.test\nSubject: Lunch on Friday\n"
                       "Date: Mon, 04 Mar 2024 10:00:00 +0000\nMessage-ID: <lunch@example.org>\n\nNoon?\n";
const char kReply[] = "From: Bob <bob@example.org>\nTo: me@lab.test, alice@example.org\nSubject: Re: Lunch on Friday\n"
                      "Date: Mon, 04 Mar 2024 11:00:00 +0000\nMessage-ID: <re-lunch@example.org>\n"
                      "In-Reply-To: <lunch@example.org>\nReferences: <lunch@example.org>\n\nYes.\n";
// Three hops (submission, MX, local delivery) and an HTML body with a tracking pixel.
const char kNewsletter[] =
    "Received: from mx.lab.test\n\tby mx.lab.test with LMTP id 8Kx0Ag; Mon, 04 Mar 2024 12:15:09 +0000\n"
    "Received: from mail.shop.example (mail.shop.example [192.0.2.10])\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
    "\tby mx.lab.test (Postfix) with ESMTPS id 4TqR1x for <me@lab.test>; Mon, 04 Mar 2024 12:15:07 +0000\n"
    "Received: from [10.0.0.5] (office.shop.example [198.51.100.7])\n"
    "\tby mail.shop.example (Postfix) with ESMTPSA id 9Zx2b; Mon, 04 Mar 2024 12:15:01 +0000\n"
    "Authentication-Results: mx.lab.test; spf=pass smtp.mailfrom=shop.example;\n"
    "\tdkim=pass header.d=shop.example; dmarc=pass header.from=shop.example\n"
    "From: Shop <news@shop.example>\nTo: me@lab.test\nSubject: Spring offers\n"
    "Date: Mon, 04 Mar 2024 12:14:58 +0000\nMessage-ID: <offers@shop.example>\nMIME-Version: 1.0\n"
    "Content-Type: text/html; charset=utf-8\n\n"
    "<h2>Spring offers</h2><p>Everything <b>20% off</b> this week. "
    "<a href='https://track.shop.example/c?id=42'>See the offers</a></p>"
    "<img src='http://127.0.0.1:9/pixel.gif' width='1' height='1'>\n";

QString screenshotDir()
{
    const QString dir = QStringLiteral(TERN_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestMainWindowActions : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;
    qint64 m_inbox = 0, m_archive = 0, m_trash = 0;
    qint64 m_parentId = 0, m_replyId = 0, m_newsId = 0;

    qint64 add(store::Store &store, const char *uidl, const char *raw, const QString &subject, const QString &fromName,
               const QString &from, qint64 date, const QString &messageId, const QString &inReplyTo = {})
    {
        store::MessageSummary m;
        m.uidl = QString::fromLatin1(uidl);
        m.subject = subject;
        m.fromName = fromName;
        m.fromAddress = from;
        m.date = date;
        m.messageId = messageId;
        m.inReplyTo = inReplyTo;
        m.size = qint64(qstrlen(raw));
        return store.insertDownloaded(m_inbox, m, crlf(raw));
    }

    // The window over a fresh copy of the profile's store state, with the Inbox open.
    std::unique_ptr<ui::MainWindow> openWindow()
    {
        auto window = std::make_unique<ui::MainWindow>();
        if (!window->openProfile(m_profile.path()))
            return nullptr;
        window->show();
        window->activateWindow(); // window shortcuts need the active window
        if (!QTest::qWaitForWindowExposed(window.get()) || !QTest::qWaitForWindowActive(window.get()))
            return nullptr;
        window->selectFolder(m_inbox);
        return window;
    }

    // Selects the row whose message id is `id` in the flat list.
    static bool select(ui::MainWindow &w, qint64 id)
    {
        QAbstractItemModel *model = w.messageListView()->model();
        for (int r = 0; r < model->rowCount(); ++r) {
            const QModelIndex i = model->index(r, MessageListModel::SubjectColumn);
            if (i.data(MessageListModel::MessageIdRole).toLongLong() == id) {
                w.messageListView()->setCurrentIndex(i);
                return true;
            }
        }
        return false;
    }

    quint32 flagsOf(qint64 id)
    {
        store::Store store;
        store.open(m_profile.filePath(QStringLiteral("store.sqlite")));
        const auto s = store.summary(id);
        return s ? s->flags : 0xffffffffu;
    }

    qint64 countIn(qint64 folder)
    {
        store::Store store;
        store.open(m_profile.filePath(QStringLiteral("store.sqlite")));
        return store.messageCount(folder);
    }

private slots:
    void init()
    {
        // A fresh profile for every test: actions move and delete.
        QVERIFY(QDir(m_profile.path()).removeRecursively());
        QVERIFY(QDir().mkpath(m_profile.path()));
        accounts::Account a;
        a.name = QStringLiteral("Lab");
        a.identities = {{QStringLiteral("Me"), QStringLiteral("me@lab.test"), QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Pop3;
        a.incoming = {QStringLiteral("127.0.0.1"), 995, accounts::Security::Tls, QString(), QStringLiteral("me")};
        a.smtp = {QStringLiteral("127.0.0.1"), 465, accounts::Security::Tls, QString(), QStringLiteral("me")};
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        store::Folder f;
        f.account = QStringLiteral("Lab");
        f.path = QStringLiteral("INBOX");
        f.role = QStringLiteral("inbox");
        m_inbox = store.saveFolder(f);
        f.path = QStringLiteral("Archive");
        f.role = QStringLiteral("archive");
        m_archive = store.saveFolder(f);
        f.path = QStringLiteral("Trash");
        f.role = QStringLiteral("trash");
        m_trash = store.saveFolder(f);
        QVERIFY(m_inbox > 0 && m_archive > 0 && m_trash > 0);
        m_parentId = add(store, "u1", kParent, QStringLiteral("Lunch on Friday"), QStringLiteral("Alice"),
                         QStringLiteral("alice@example.org"), 1709546400, QStringLiteral("<lunch@example.org>"));
        m_replyId = add(store, "u2", kReply, QStringLiteral("Re: Lunch on Friday"), QStringLiteral("Bob"),
                        QStringLiteral("bob@example.org"), 1709550000, QStringLiteral("<re-lunch@example.org>"),
                        QStringLiteral("<lunch@example.org>"));
        m_newsId = add(store, "u3", kNewsletter, QStringLiteral("Spring offers"), QStringLiteral("Shop"),
                       QStringLiteral("news@shop.example"), 1709554498, QStringLiteral("<offers@shop.example>"));
        QVERIFY(m_parentId > 0 && m_replyId > 0 && m_newsId > 0);
    }

    void contextMenuHasTheMessageActions()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(select(*w, m_parentId));
        std::unique_ptr<QMenu> menu(w->createMessageContextMenu(w.get()));
        QStringList names;
        for (QAction *a : menu->actions()) {
            if (!a->isSeparator())
                names << (a->menu() ? a->menu()->objectName() : a->objectName());
        }
        QCOMPARE(names, (QStringList{QStringLiteral("replyAction"), QStringLiteral("replyAllAction"),
                                     QStringLiteral("forwardAction"), QStringLiteral("markReadAction"),
                                     QStringLiteral("markUnreadAction"), QStringLiteral("flagAction"),
                                     QStringLiteral("contextMoveMenu"), QStringLiteral("deleteAction"),
                                     QStringLiteral("viewSourceAction"), QStringLiteral("deliveryPathAction")}));
        for (QAction *a : menu->actions())
            QVERIFY2(a->isSeparator() || a->isEnabled(), qPrintable(a->text()));
        // Move To lists the account's other folders.
        QMenu *move = menu->findChild<QMenu *>(QStringLiteral("contextMoveMenu"));
        QStringList targets;
        for (QAction *a : move->actions())
            targets << a->objectName();
        QCOMPARE(targets, (QStringList{QStringLiteral("moveTo:Archive"), QStringLiteral("moveTo:Trash")}));
        // Thunderbird's keys.
        QCOMPARE(w->action(QStringLiteral("replyAllAction"))->shortcuts().first(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
        QCOMPARE(w->action(QStringLiteral("forwardAction"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));
        QCOMPARE(w->action(QStringLiteral("viewSourceAction"))->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_U));
    }

    void openingMarksReadAndActionsChangeFlags()
    {
        auto w = openWindow();
        QVERIFY(w);
        QSignalSpy changed(w->messageOperations(), &models::MessageOperations::flagsChanged);
        QVERIFY(!(flagsOf(m_parentId) & store::Seen));
        QVERIFY(select(*w, m_parentId));
        QVERIFY(flagsOf(m_parentId) & store::Seen); // opened: read, in the store
        QCOMPARE(changed.size(), 1);                // and announced for the sync engine
        QCOMPARE(changed.first().at(0).value<QList<qint64>>(), QList<qint64>{m_parentId});

        w->action(QStringLiteral("markUnreadAction"))->trigger();
        QVERIFY(!(flagsOf(m_parentId) & store::Seen));
        QVERIFY(w->messageListView()->currentIndex().data(MessageListModel::UnreadRole).toBool());
        QTest::keyClick(w->messageListView(), Qt::Key_M); // M toggles read
        QVERIFY(flagsOf(m_parentId) & store::Seen);
        QTest::keyClick(w->messageListView(), Qt::Key_S); // S flags
        QVERIFY(flagsOf(m_parentId) & store::Flagged);
        QCOMPARE(w->messageListView()->currentIndex().siblingAtColumn(MessageListModel::FlagColumn).data().toString(),
                 QStringLiteral("★"));
        w->action(QStringLiteral("flagAction"))->trigger();
        QVERIFY(!(flagsOf(m_parentId) & store::Flagged));
    }

    void multiSelectMovesByMenuAndDeleteGoesToTrash()
    {
        auto w = openWindow();
        QVERIFY(w);
        QTreeView *list = w->messageListView();
        QCOMPARE(list->model()->rowCount(), 3);
        // Newest first: the newsletter and the reply.
        list->selectionModel()->select(QItemSelection(list->model()->index(0, 0), list->model()->index(1, 0)),
                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(w->selectedMessageIds().size(), 2);
        std::unique_ptr<QMenu> menu(w->createMessageContextMenu(w.get()));
        QAction *toArchive = menu->findChild<QAction *>(QStringLiteral("moveTo:Archive"));
        QVERIFY(toArchive);
        toArchive->trigger();
        QCOMPARE(countIn(m_archive), 2);
        QCOMPARE(countIn(m_inbox), 1);
        QCOMPARE(list->model()->rowCount(), 1);
        auto *folders = qobject_cast<ui::FolderModel *>(w->folderView()->model());
        QCOMPARE(folders->indexOfFolder(m_archive).data().toString(), QStringLiteral("Archive (2)"));

        QVERIFY(list->model()->index(0, 0).isValid());
        list->setCurrentIndex(list->model()->index(0, MessageListModel::SubjectColumn));
        QTest::keyClick(list, Qt::Key_Delete);
        QCOMPARE(countIn(m_trash), 1);
        QCOMPARE(countIn(m_inbox), 0);
    }

    void dragOntoAFolderMoves()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(select(*w, m_replyId));
        QAbstractItemModel *list = w->messageListView()->model();
        std::unique_ptr<QMimeData> data(list->mimeData(w->messageListView()->selectionModel()->selectedIndexes()));
        QVERIFY(data);
        auto *folders = qobject_cast<ui::FolderModel *>(w->folderView()->model());
        QVERIFY(folders);
        const QModelIndex archive = folders->indexOfFolder(m_archive);
        const QModelIndex account = folders->index(0, 0);
        QVERIFY(!folders->canDropMimeData(data.get(), Qt::MoveAction, -1, -1, account)); // not onto an account
        QVERIFY(folders->canDropMimeData(data.get(), Qt::MoveAction, -1, -1, archive));
        QVERIFY(folders->dropMimeData(data.get(), Qt::MoveAction, -1, -1, archive));
        QCOMPARE(countIn(m_archive), 1);
        QCOMPARE(countIn(m_inbox), 2);
        w->selectFolder(m_archive);
        QCOMPARE(w->messageListView()->model()->rowCount(), 1);
        QCOMPARE(w->messageListView()->model()->index(0, MessageListModel::SubjectColumn).data().toString(),
                 QStringLiteral("Re: Lunch on Friday"));
    }

    void threadedViewGroupsAReplyUnderItsParent()
    {
        auto w = openWindow();
        QVERIFY(w);
        QAbstractItemModel *flat = w->messageListView()->model();
        QCOMPARE(flat->rowCount(), 3);
        w->action(QStringLiteral("threadedAction"))->trigger();
        QVERIFY(w->isThreaded());
        QAbstractItemModel *threads = w->messageListView()->model();
        QCOMPARE(threads->rowCount(), 2); // the newsletter, and the lunch thread
        QModelIndex lunch;
        for (int r = 0; r < threads->rowCount(); ++r) {
            const QModelIndex i = threads->index(r, 0);
            if (i.data(MessageListModel::MessageIdRole).toLongLong() == m_parentId)
                lunch = i;
        }
        QVERIFY(lunch.isValid());
        QCOMPARE(threads->rowCount(lunch), 1);
        QCOMPARE(threads->index(0, 0, lunch).data(MessageListModel::MessageIdRole).toLongLong(), m_replyId);
        QVERIFY(w->messageListView()->isExpanded(lunch));
        w->action(QStringLiteral("threadedAction"))->trigger();
        QCOMPARE(w->messageListView()->model()->rowCount(), 3);
    }

    void replyAndViewSourceAndNextUnread()
    {
        auto w = openWindow();
        QVERIFY(w);
        QVERIFY(select(*w, m_replyId));
        QTest::keyClick(w->messageListView(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier); // reply all
        auto *composer = w->findChild<ui::ComposerWindow *>(QStringLiteral("replyComposer"));
        QVERIFY(composer);
        QVERIFY2(composer->toField()->text().contains(QStringLiteral("bob@example.org")), qPrintable(composer->toField()->text()));
        QVERIFY(!composer->toField()->text().contains(QStringLiteral("me@lab.test")));
        const QString everyone = composer->toField()->text() + composer->ccField()->text();
        QVERIFY(everyone.contains(QStringLiteral("alice@example.org")));
        QCOMPARE(composer->subjectField()->text(), QStringLiteral("Re: Lunch on Friday"));
        QVERIFY(composer->bodyEdit()->toPlainText().contains(QStringLiteral("> Yes.")));
        composer->close();

        QTest::keyClick(w->messageListView(), Qt::Key_U, Qt::ControlModifier);
        auto *source = w->findChild<ui::SourceDialog *>();
        QVERIFY(source);
        QVERIFY(source->textEdit()->toPlainText().contains(QStringLiteral("In-Reply-To: <lunch@example.org>")));
        source->close();

        // N: the next unread message, whichever row it is in.
        QTest::keyClick(w->messageListView(), Qt::Key_N);
        const qint64 next = w->messageListView()->currentIndex().data(MessageListModel::MessageIdRole).toLongLong();
        QVERIFY(next == m_parentId || next == m_newsId);
        QVERIFY(next != m_replyId);
    }

    void htmlMessageDeliveryPathAndScreenshots()
    {
        auto w = openWindow();
        QVERIFY(w);
        w->resize(1200, 760);
        QVERIFY(select(*w, m_newsId));
        ui::MessageView *view = w->messageView();
        QTRY_VERIFY(view->remoteBar()->isVisible());
        QVERIFY(view->browser()->toPlainText().contains(QStringLiteral("20% off")));
        // Hovering the link puts its real target in the status bar.
        QTextCursor link = view->browser()->document()->find(QStringLiteral("See the offers"));
        QVERIFY(!link.isNull());
        link.setPosition(link.selectionStart() + 3);
        const QPoint at = view->browser()->cursorRect(link).center();
        QMouseEvent move(QEvent::MouseMove, at, view->browser()->viewport()->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view->browser()->viewport(), &move);
        QTRY_VERIFY(w->statusBar()->currentMessage().contains(QStringLiteral("https://track.shop.example/c?id=42")));
        QVERIFY(w->grab().save(screenshotDir() + QStringLiteral("/main-window-html.png")));

        w->action(QStringLiteral("deliveryPathAction"))->trigger();
        auto *dialog = w->findChild<ui::DeliveryPathDialog *>();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTreeWidget *hops = dialog->view()->hopList();
        QCOMPARE(hops->topLevelItemCount(), 3);
        QCOMPARE(hops->topLevelItem(0)->text(2), QStringLiteral("mail.shop.example"));
        QCOMPARE(hops->topLevelItem(1)->text(2), QStringLiteral("mx.lab.test"));
        QVERIFY(hops->topLevelItem(1)->text(1).contains(QStringLiteral("192.0.2.10")));
        QVERIFY(hops->topLevelItem(1)->text(4).startsWith(QStringLiteral("yes")));
        QVERIFY(hops->topLevelItem(2)->text(4).startsWith(QStringLiteral("no")));
        QCOMPARE(hops->topLevelItem(1)->text(5), QStringLiteral("6 s"));
        QCOMPARE(hops->topLevelItem(2)->text(5), QStringLiteral("2 s"));
        QVERIFY2(dialog->view()->summaryLabel()->text().startsWith(QStringLiteral("3 hops in 8 s")),
                 qPrintable(dialog->view()->summaryLabel()->text()));
        QVERIFY(dialog->view()->summaryLabel()->text().contains(QStringLiteral("TLS on 2 of 3")));
        QVERIFY(dialog->view()->authLabel()->text().contains(QStringLiteral("DMARC")));
        QVERIFY(dialog->view()->authLabel()->text().contains(QStringLiteral("mx.lab.test")));
        QVERIFY(dialog->grab().save(screenshotDir() + QStringLiteral("/delivery-path.png")));
    }
};

QTEST_MAIN(TestMainWindowActions)
#include "tst_mainwindow_actions.moc"
