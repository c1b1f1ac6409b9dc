// SPDX-License-Identifier: GPL-3.0-or-later
// The main window with an IMAP account on the lab: "Get Messages" runs the IMAP sync off the GUI thread (its
// session in the inspector), the new message's summary appears in the list, and opening it downloads the
// body on demand (BODY.PEEK[], also off the GUI thread), shows it and marks it read.
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "diagnostics/tracelog.h"
#include "labenv.h"
#include "labimap.h"
#include "labmail.h"
#include "mainwindow.h"
#include "messageview.h"
#include "statusindicators.h"
#include "store/store.h"

#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QtCrypto>

using namespace tern;

class TestMainWindowImapLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;
    QTemporaryDir m_profile;
    test::LabEnv::User m_user;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_user = m_lab.createUser(QStringLiteral("guiimap"));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "gui-imap-primary");
        accounts::Account a;
        a.name = QStringLiteral("Lab IMAP");
        a.identities = {{QStringLiteral("Gui"), m_user.address, QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Imap;
        a.incoming = {m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), accounts::Security::Tls, QString(), m_user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), m_user.address};
        a.caFile = m_lab.caFile();
        a.options.imapIdle = false; // this test counts the sessions of Get Messages and of the body; push has its own
        a.options.offlineFolders = {}; // bodies on demand only, until offlineFoldersKeepBodiesAfterASync()
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(m_profile.path(), "gui-imap-primary");
        QVERIFY(secrets.store(a.incomingSecretKey(), m_user.password.toUtf8()));
        QVERIFY(secrets.store(a.smtpSecretKey(), m_user.password.toUtf8()));

        const test::LabEnv::User sender = m_lab.createUser(QStringLiteral("guisender"));
        test::LabMail mail(m_lab);
        QVERIFY(mail.submit(sender, m_user.address,
                            {test::LabMail::message(sender, m_user, "Body on demand",
                                                    "Content-Type: text/plain\r\n\r\nFetched when opened.\r\n")}));
        QTRY_COMPARE_WITH_TIMEOUT(mail.pop3Count(m_user), qint64(1), 30000);
    }

    void syncThenOpenDownloadsTheBody()
    {
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ended(window.traceLog(), &diagnostics::TraceLog::sessionEnded);

        QVERIFY(window.getMessages(QStringLiteral("Lab IMAP")));
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 60000); // the sync's IMAP session, in the inspector
        QTRY_VERIFY(!window.indicators()->isBusy(QStringLiteral("Lab IMAP")));

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        const auto inbox = store.folder(QStringLiteral("Lab IMAP"), QStringLiteral("INBOX"));
        QVERIFY(inbox);
        const QList<store::MessageSummary> summaries = store.summaries(inbox->id);
        QCOMPARE(summaries.size(), 1);
        QVERIFY(!store.body(summaries.first().id)); // a sync fetches summaries only

        window.selectFolder(inbox->id);
        QTreeView *list = window.messageListView();
        QTRY_COMPARE(list->model()->rowCount(), 1);
        QCOMPARE(list->model()->index(0, 0).siblingAtColumn(2).data().toString(), QStringLiteral("Body on demand"));
        list->setCurrentIndex(list->model()->index(0, 2));

        QTRY_VERIFY_WITH_TIMEOUT(window.messageView()->toPlainText().contains(QStringLiteral("Fetched when opened.")), 60000);
        // The body's own IMAP session, and the journal replay that tells the server it was read.
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 3, 30000);
        QVERIFY(store.body(summaries.first().id));
        QTRY_VERIFY(store.summary(summaries.first().id)->flags & store::Seen);
    }

    // INBOX marked for offline use: after Get Messages the window downloads its missing bodies in the
    // background (its own session, BODY.PEEK[]: still unread), with the account's progress in the status bar.
    void offlineFoldersKeepBodiesAfterASync()
    {
        {
            accounts::AccountStore accounts(m_profile.path());
            QVERIFY(accounts.load());
            auto a = accounts.find(QStringLiteral("Lab IMAP"));
            QVERIFY(a);
            a->options.offlineFolders = {QStringLiteral("INBOX")};
            QVERIFY(accounts.remove(a->name) && accounts.add(*a) && accounts.save());
            test::LabImap other(m_lab, m_user.address, m_user.password);
            QVERIFY(other.append("INBOX", "From: a@example.com\r\nSubject: Kept offline\r\n\r\nRead on the train.\r\n") != 0);
        }
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy ended(window.traceLog(), &diagnostics::TraceLog::sessionEnded);
        QSignalSpy shown(window.statusBar(), &QStatusBar::messageChanged);
        QVERIFY(window.getMessages(QStringLiteral("Lab IMAP")));
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 60000); // the sync's session, then the bodies'
        QTRY_VERIFY(!window.indicators()->isBusy(QStringLiteral("Lab IMAP")));

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        const auto inbox = store.folder(QStringLiteral("Lab IMAP"), QStringLiteral("INBOX"));
        QVERIFY(inbox);
        QCOMPARE(store.messageCount(inbox->id), qint64(2));
        QVERIFY(store.messagesWithoutBody(inbox->id).isEmpty());
        for (const store::MessageSummary &m : store.summaries(inbox->id)) {
            if (m.subject == QStringLiteral("Kept offline")) {
                QVERIFY(store.body(m.id)->contains("Read on the train."));
                QVERIFY(!(m.flags & store::Seen));
            }
        }
        bool said = false;
        for (const QList<QVariant> &args : std::as_const(shown))
            said = said || args.first().toString().contains(QStringLiteral("kept for offline reading"));
        QVERIFY(said);
    }
};

QTEST_MAIN(TestMainWindowImapLab)
#include "tst_mainwindow_imap_lab.moc"
