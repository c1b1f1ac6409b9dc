// SPDX-License-Identifier: GPL-3.0-or-later
// Push that survives the network, in the main window against the lab: the IDLE connection runs through a
// relay that cuts it (CutProxy). The status bar says the account is offline and when it retries, the window's
// online indicator turns to offline; when the relay works again the watch reconnects by itself, the mail that
// arrived meanwhile appears without a click (the catch-up sync), and mail delivered afterwards is pushed.
// The unified Inbox names each row's account and sorts by it. Turning IDLE off in the account's settings ends
// the push and says why.
#include "windowtesting.h"
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "cutproxy.h"
#include "foldermodel.h"
#include "labenv.h"
#include "labmail.h"
#include "mailpush.h"
#include "mainwindow.h"
#include "messageview.h"
#include "models/messagelistmodel.h"
#include "statusindicators.h"
#include "store/store.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QtCrypto>

using namespace tern;
using test::Note;
using test::rowWithSubject;
using test::StubNotifier;
using models::MessageListModel;

namespace {

const QString kImap = QStringLiteral("Lab IMAP");
const QString kPop = QStringLiteral("Lab POP");

} // namespace

class TestMainWindowPushReconnectLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;
    QTemporaryDir m_profile;
    test::LabEnv::User m_user;
    test::LabEnv::User m_sender;
    std::unique_ptr<test::CutProxy> m_proxy;
    accounts::Account m_account;

    void deliver(const char *subject)
    {
        test::LabMail mail(m_lab);
        QVERIFY(mail.submit(m_sender, m_user.address,
                            {test::LabMail::message(m_sender, m_user, subject, "Content-Type: text/plain\r\n\r\nx\r\n")}));
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_user = m_lab.createUser(QStringLiteral("guireconnect"));
        m_sender = m_lab.createUser(QStringLiteral("guireconnectsender"));
        m_proxy = std::make_unique<test::CutProxy>(m_lab.host(), m_lab.port(QStringLiteral("IMAPS")));
        QVERIFY(m_proxy->start());
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "gui-reconnect-primary");
        accounts::Account &a = m_account;
        a.name = kImap;
        a.identities = {{QStringLiteral("Gui"), m_user.address, QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Imap;
        a.incoming = {m_lab.host(), m_proxy->port(), accounts::Security::Tls, QString(), m_user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), m_user.address};
        a.caFile = m_lab.caFile();
        accounts::Account pop = a; // its inbox already in the store, for the unified Inbox; never pushed
        pop.name = kPop;
        pop.incomingProtocol = accounts::IncomingProtocol::Pop3;
        pop.incoming.port = m_lab.port(QStringLiteral("POP3S"));
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.add(pop));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(m_profile.path(), "gui-reconnect-primary");
        for (const accounts::Account &account : {a, pop})
            QVERIFY(secrets.store(account.incomingSecretKey(), m_user.password.toUtf8()));
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
    }

    void pushComesBackAfterTheConnectionIsCut()
    {
        auto window = std::make_unique<ui::MainWindow>();
        QVERIFY(window->openProfile(m_profile.path()));
        ui::MailPush *push = window->mailPush();
        // Attempts through the cut relay hang (it swallows the greeting): give up on them after 3 s, not 30.
        sync::ImapIdleWatch::Timings timings;
        timings.idle.answerMs = 3000;
        timings.firstRetryMs = 1000;
        timings.maxRetryMs = 4000;
        push->setTimings(timings);
        window->resize(1200, 760);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy synced(push, &ui::MailPush::synced);
        QVERIFY(window->getMessages(kImap));
        QTRY_VERIFY_WITH_TIMEOUT(!window->indicators()->isBusy(kImap), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(push->isIdling(kImap), 30000);
        // The catch-up sync after IDLE began is over (it finds nothing new: Get Messages stored it all), so the
        // next bytes through the relay are the IDLE connection's.
        QTRY_VERIFY_WITH_TIMEOUT(!synced.isEmpty(), 30000);
        QCOMPARE(window->indicators()->onlineLabel()->text(), QStringLiteral("● Online"));

        QTRY_VERIFY(static_cast<ui::FolderModel *>(window->folderView()->model())->unifiedInboxIndex().isValid());
        window->showUnifiedInbox();
        QTreeView *list = window->messageListView();
        QTRY_COMPARE(list->model()->rowCount(), 1);

        // The server's EXISTS for this message is the first byte through the relay: the link is cut there.
        QSignalSpy cut(m_proxy.get(), &test::CutProxy::cutReached);
        m_proxy->setMode(test::CutProxy::Mode::Cut, 0);
        deliver("Arrived while offline");
        QVERIFY(cut.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(window->pushIndicator()->text().startsWith(QStringLiteral("Lab IMAP: offline, retrying in ")), 20000);
        QVERIFY(window->pushIndicator()->text().endsWith(QStringLiteral(" s")));
        QVERIFY(push->isWatching(kImap)); // still: it comes back by itself
        QTRY_COMPARE_WITH_TIMEOUT(window->indicators()->onlineLabel()->text(), QStringLiteral("○ Offline"), 20000);
        QCOMPARE(rowWithSubject(list->model(), QStringLiteral("Arrived while offline")), -1);
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(window->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("push-offline-retrying.png"))));

        // The network is back: a new connection, IDLE again, and the catch-up sync brings what was missed.
        m_proxy->setMode(test::CutProxy::Mode::PassThrough);
        QTRY_VERIFY_WITH_TIMEOUT(rowWithSubject(list->model(), QStringLiteral("Arrived while offline")) >= 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(push->isIdling(kImap), 30000);
        QTRY_COMPARE(window->pushIndicator()->text(), QStringLiteral("Lab IMAP: waiting for new mail (IDLE)"));
        QTRY_COMPARE(window->indicators()->onlineLabel()->text(), QStringLiteral("● Online"));

        // And pushes flow again on the new connection, without a click.
        deliver("Pushed after the reconnection");
        QTRY_VERIFY_WITH_TIMEOUT(rowWithSubject(list->model(), QStringLiteral("Pushed after the reconnection")) >= 0, 60000);
        QCOMPARE(list->model()->rowCount(), 3);

        // The unified Inbox says whose each message is, and sorts by it.
        QVERIFY(!list->isColumnHidden(MessageListModel::AccountColumn));
        QCOMPARE(list->model()->headerData(MessageListModel::AccountColumn, Qt::Horizontal).toString(), QStringLiteral("Account"));
        const auto accountAt = [list](int row) {
            return list->model()->index(row, MessageListModel::AccountColumn).data().toString();
        };
        QCOMPARE(accountAt(rowWithSubject(list->model(), QStringLiteral("Downloaded earlier by POP3"))), kPop);
        QCOMPARE(accountAt(rowWithSubject(list->model(), QStringLiteral("Pushed after the reconnection"))), kImap);
        list->sortByColumn(MessageListModel::AccountColumn, Qt::AscendingOrder);
        QCOMPARE(QStringList({accountAt(0), accountAt(1), accountAt(2)}), QStringList({kImap, kImap, kPop}));
        list->sortByColumn(MessageListModel::AccountColumn, Qt::DescendingOrder);
        QCOMPARE(QStringList({accountAt(0), accountAt(1), accountAt(2)}), QStringList({kPop, kImap, kImap}));
        QCOMPARE(list->model()->index(1, MessageListModel::SubjectColumn).data().toString(),
                 QStringLiteral("Pushed after the reconnection")); // newest first within an account
        list->setCurrentIndex(list->model()->index(1, MessageListModel::SubjectColumn));
        QTRY_VERIFY_WITH_TIMEOUT(window->messageView()->toPlainText().contains(QStringLiteral("Pushed after the reconnection")), 60000);
        QTRY_VERIFY(!window->messageView()->toPlainText().contains(QStringLiteral("Downloading")));
        QVERIFY(window->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("unified-inbox-accounts.png"))));

        // One account's folder: no account column.
        list->sortByColumn(MessageListModel::DateColumn, Qt::DescendingOrder);
        {
            store::Store store;
            QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
            window->selectFolder(store.folder(kImap, QStringLiteral("INBOX"))->id);
        }
        QTRY_COMPARE(list->model()->rowCount(), 2);
        QVERIFY(list->isColumnHidden(MessageListModel::AccountColumn));
        window->setThreaded(true); // another model in the view: still no account column, still after From
        QTRY_VERIFY(list->isColumnHidden(MessageListModel::AccountColumn));
        window->setThreaded(false);
        window->showUnifiedInbox();
        QTRY_VERIFY(!list->isColumnHidden(MessageListModel::AccountColumn));
        QCOMPARE(list->header()->visualIndex(MessageListModel::AccountColumn),
                 list->header()->visualIndex(MessageListModel::CorrespondentColumn) + 1);

        // IDLE turned off in the account's settings: the watch ends, and the status bar says why.
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.load());
        accounts::Account off = *accounts.find(kImap);
        off.options.imapIdle = false;
        QVERIFY(accounts.remove(kImap));
        QVERIFY(accounts.add(off));
        QVERIFY(accounts.save());
        QVERIFY(window->openProfile(m_profile.path())); // what the account menu does after an edit
        QVERIFY(!push->isWatching(kImap));
        QCOMPARE(window->pushIndicator()->text(),
                 QStringLiteral("Lab IMAP: new mail is not pushed (IDLE is turned off in the account's settings)"));
        window.reset();
    }

    // A refused password is not tried again and again (the server could lock the account): the push ends and
    // the status bar says why, and the window does not claim to be offline.
    void refusedPasswordEndsThePushAndSaysWhy()
    {
        QTemporaryDir profile;
        accounts::Account wrong = m_account;
        wrong.name = QStringLiteral("Wrong password");
        wrong.incoming.port = m_lab.port(QStringLiteral("IMAPS"));
        accounts::AccountStore accounts(profile.path());
        QVERIFY(accounts.add(wrong));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(profile.path(), "gui-reconnect-primary");
        QVERIFY(secrets.store(wrong.incomingSecretKey(), "not-the-password"));

        auto window = std::make_unique<ui::MainWindow>();
        QVERIFY(window->openProfile(profile.path()));
        ui::MailPush *push = window->mailPush();
        QSignalSpy failed(push, &ui::MailPush::failed);
        QVERIFY(failed.wait(60000));
        QCOMPARE(failed.first().at(0).toString(), wrong.name);
        QVERIFY(!push->isWatching(wrong.name));
        const QString line = window->pushIndicator()->text();
        QVERIFY2(line.startsWith(QStringLiteral("Wrong password: new mail is not pushed (authentication failed")), qPrintable(line));
        QCOMPARE(window->indicators()->onlineLabel()->text(), QStringLiteral("● Online"));
        QVERIFY(!push->isRetrying(wrong.name)); // no second attempt
        QCOMPARE(failed.size(), 1);
    }
};

QTEST_MAIN(TestMainWindowPushReconnectLab)
#include "tst_mainwindow_push_reconnect_lab.moc"
