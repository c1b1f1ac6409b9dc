// SPDX-License-Identifier: GPL-3.0-or-later
// IMAP push in the main window against the lab: once the window is open the account's INBOX is IDLEd on
// (off the GUI thread, its session in the inspector); mail delivered through Postfix appears in the list
// without any click, opens, and raises exactly one desktop notification (a stub notifier here). The unified
// Inbox shows it next to another account's mail. Work Offline ends the push; closing the window while IDLE
// runs ends it cleanly.
#include "windowtesting.h"
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "diagnostics/tracelog.h"
#include "foldermodel.h"
#include "labenv.h"
#include "labmail.h"
#include "mailpush.h"
#include "mainwindow.h"
#include "messageview.h"
#include "newmailnotifier.h"
#include "statusindicators.h"
#include "store/store.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QtCrypto>

using namespace tern;
using test::Note;
using test::rowWithSubject;
using test::StubNotifier;

namespace {

const QString kImap = QStringLiteral("Lab IMAP");

} // namespace

class TestMainWindowPushLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;
    QTemporaryDir m_profile;
    test::LabEnv::User m_user;
    test::LabEnv::User m_sender;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_user = m_lab.createUser(QStringLiteral("guipush"));
        m_sender = m_lab.createUser(QStringLiteral("guipushsender"));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "gui-push-primary");
        accounts::Account a;
        a.name = kImap;
        a.identities = {{QStringLiteral("Gui"), m_user.address, QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Imap;
        a.incoming = {m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), accounts::Security::Tls, QString(), m_user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), m_user.address};
        a.caFile = m_lab.caFile();
        QVERIFY(a.options.imapIdle); // push is the default
        // A second account whose inbox is already in the store, for the unified Inbox (POP3: never pushed).
        accounts::Account pop = a;
        pop.name = QStringLiteral("Lab POP");
        pop.incomingProtocol = accounts::IncomingProtocol::Pop3;
        pop.incoming.port = m_lab.port(QStringLiteral("POP3S"));
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.add(pop));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(m_profile.path(), "gui-push-primary");
        for (const accounts::Account &account : {a, pop}) {
            QVERIFY(secrets.store(account.incomingSecretKey(), m_user.password.toUtf8()));
            QVERIFY(secrets.store(account.smtpSecretKey(), m_user.password.toUtf8()));
        }
        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        store::Folder inbox;
        inbox.account = pop.name;
        inbox.path = QStringLiteral("INBOX");
        inbox.role = QStringLiteral("inbox");
        store::MessageSummary m;
        m.uidl = QStringLiteral("pop-1");
        m.subject = QStringLiteral("Downloaded earlier by POP3");
        m.fromAddress = QStringLiteral("carol@lab.test");
        m.date = 1700000000;
        m.size = 2048;
        m.flags = store::Seen;
        QVERIFY(store.insertDownloaded(store.saveFolder(inbox), m, "Subject: Downloaded earlier by POP3\r\n\r\nx\r\n") > 0);

        test::LabMail mail(m_lab);
        QVERIFY(mail.submit(m_sender, m_user.address,
                            {test::LabMail::message(m_sender, m_user, "Before the window opened",
                                                    "Content-Type: text/plain\r\n\r\nAlready there.\r\n")}));
        QTRY_COMPARE_WITH_TIMEOUT(mail.pop3Count(m_user), qint64(1), 30000);
    }

    void newMailArrivesByIdleWithoutAClick()
    {
        QList<Note> notes;
        auto window = std::make_unique<ui::MainWindow>();
        QVERIFY(window->openProfile(m_profile.path()));
        window->newMailNotifications()->setNotifier(std::make_unique<StubNotifier>(&notes));
        window->resize(1200, 760);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        ui::MailPush *push = window->mailPush();
        QVERIFY(push->isWatching(kImap));
        QVERIFY(!push->isWatching(QStringLiteral("Lab POP"))); // POP3 has no push
        QSignalSpy pushed(push, &ui::MailPush::changed);
        QSignalSpy synced(push, &ui::MailPush::synced);

        // The account synced by Get Messages, while IDLE starts on its own connection.
        QVERIFY(window->getMessages(kImap));
        QTRY_VERIFY_WITH_TIMEOUT(!window->indicators()->isBusy(kImap), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(push->isIdling(kImap), 30000);
        // The catch-up sync after IDLE began is over too (it races Get Messages for what the server held).
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 30000);
        QCOMPARE(window->pushIndicator()->text(), QStringLiteral("Lab IMAP: waiting for new mail (IDLE)"));
        QVERIFY(window->pushIndicator()->isVisible());
        QVERIFY(notes.isEmpty()); // the first sync of an inbox is not "new mail"

        // The unified Inbox: both accounts' inboxes in one list.
        QTRY_VERIFY(static_cast<ui::FolderModel *>(window->folderView()->model())->unifiedInboxIndex().isValid());
        window->showUnifiedInbox();
        QTreeView *list = window->messageListView();
        QTRY_COMPARE(list->model()->rowCount(), 2);
        QVERIFY(rowWithSubject(list->model(), QStringLiteral("Downloaded earlier by POP3")) >= 0);
        QVERIFY(rowWithSubject(list->model(), QStringLiteral("Before the window opened")) >= 0);

        // Delivered through Postfix: the server pushes EXISTS on the IDLE connection.
        test::LabMail mail(m_lab);
        QVERIFY(mail.submit(m_sender, m_user.address,
                            {test::LabMail::message(m_sender, m_user, "Pushed by IDLE",
                                                    "Content-Type: text/plain\r\n\r\nNo click needed.\r\n")}));
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 3, 60000);
        QVERIFY(!pushed.isEmpty()); // the push's sync stored the message and said so
        QCOMPARE(window->statusBar()->currentMessage(), QStringLiteral("3 message(s)"));
        const int row = rowWithSubject(list->model(), QStringLiteral("Pushed by IDLE"));
        QVERIFY(row >= 0);
        QVERIFY(list->model()->index(row, 2).data(Qt::FontRole).value<QFont>().bold()); // unread
        QTRY_COMPARE(notes.size(), 1);
        QCOMPARE(notes[0].summary, QStringLiteral("New mail from %1").arg(m_sender.address));
        QCOMPARE(notes[0].body, QStringLiteral("Pushed by IDLE"));
        QCOMPARE(window->folderView()->currentIndex(),
                 static_cast<ui::FolderModel *>(window->folderView()->model())->unifiedInboxIndex());

        // The inspector shows the IDLE session being pushed to.
        bool idleSeen = false;
        for (const diagnostics::TraceSession &header : window->traceLog()->sessions()) {
            const diagnostics::TraceSession s = *window->traceLog()->session(header.id); // with its records
            bool idle = false, exists = false;
            for (const diagnostics::TraceRecord &r : s.records) {
                idle = idle || (r.kind == diagnostics::TraceRecord::Kind::Sent && r.text.contains(QStringLiteral(" IDLE")));
                exists = exists || (idle && r.kind == diagnostics::TraceRecord::Kind::Received
                                    && r.text.contains(QStringLiteral("EXISTS")));
            }
            idleSeen = idleSeen || (s.isLive() && s.account == kImap && idle && exists);
        }
        QVERIFY2(idleSeen, qPrintable(window->traceLog()->exportText()));

        window->setThreaded(true); // threads are per folder: the unified Inbox stays flat
        QVERIFY(!window->isThreaded());
        QCOMPARE(list->model()->rowCount(), 3);

        // Opening it (from the unified Inbox) downloads the body from the right account.
        list->setCurrentIndex(list->model()->index(row, 2));
        QTRY_VERIFY_WITH_TIMEOUT(window->messageView()->toPlainText().contains(QStringLiteral("No click needed.")), 60000);
        QVERIFY(window->messageView()->toPlainText().contains(QStringLiteral("Pushed by IDLE")));

        // The headers replace the one-line "Downloading…" notice: let the layout catch up before the shot.
        auto *headers = window->messageView()->findChild<QLabel *>(QStringLiteral("messageHeaders"));
        QVERIFY(headers);
        QTRY_VERIFY(headers->height() >= headers->heightForWidth(headers->width()));
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(window->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("main-window-idle.png"))));
        QCOMPARE(notes.size(), 1);

        // Work Offline ends the push; back online starts it again.
        QAction *offline = window->action(QStringLiteral("workOfflineAction"));
        QVERIFY(offline);
        offline->setChecked(true);
        QVERIFY(!push->isWatching(kImap));
        QTRY_VERIFY(!window->pushIndicator()->isVisible());
        offline->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(push->isIdling(kImap), 30000);

        // Closing the window while IDLE runs: DONE and LOGOUT, threads joined, nothing left behind.
        QSignalSpy ended(window->traceLog(), &diagnostics::TraceLog::sessionEnded);
        window.reset();
    }
};

QTEST_MAIN(TestMainWindowPushLab)
#include "tst_mainwindow_push_lab.moc"
