// SPDX-License-Identifier: GPL-3.0-or-later
// The main window with an IMAP account on the lab: opening a message marks it read, Flag flags it, Mark as
// Unread while working offline waits until back online, and Delete moves it to Trash — in the store at once,
// and on Dovecot through the offline journal's replay, off the GUI thread. Another session checks the server.
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "labenv.h"
#include "labimap.h"
#include "mainwindow.h"
#include "statusindicators.h"
#include "store/journal.h"
#include "store/store.h"

#include <QAction>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QtCrypto>

using namespace tern;
namespace cmd = imap::commands;

class TestMainWindowJournalLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;
    QTemporaryDir m_profile;
    test::LabEnv::User m_user;

    // The flags of the message with this subject in mailbox, as another client sees them; empty if absent.
    std::optional<QList<QByteArray>> serverFlags(const QByteArray &mailbox, const QByteArray &subject)
    {
        test::LabImap other(m_lab, m_user.address, m_user.password);
        if (!other.select(mailbox) || !other.run(cmd::uidFetch({{1, imap::SequenceSet::Star}}, {"FLAGS", "ENVELOPE"})))
            return std::nullopt;
        for (const imap::Response &r : other.untagged()) {
            if (const auto *f = r.get<imap::FetchData>(); f && f->envelope && f->envelope->subject == subject)
                return f->flags.value_or(QList<QByteArray>());
        }
        return std::nullopt;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_user = m_lab.createUser(QStringLiteral("guijournal"));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "gui-journal-primary");
        accounts::Account a;
        a.name = QStringLiteral("Lab Journal");
        a.identities = {{QStringLiteral("Gui"), m_user.address, QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Imap;
        a.incoming = {m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), accounts::Security::Tls, QString(), m_user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), m_user.address};
        a.caFile = m_lab.caFile();
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(m_profile.path(), "gui-journal-primary");
        QVERIFY(secrets.store(a.incomingSecretKey(), m_user.password.toUtf8()));
        QVERIFY(secrets.store(a.smtpSecretKey(), m_user.password.toUtf8()));

        test::LabImap other(m_lab, m_user.address, m_user.password);
        QVERIFY(other.isLoggedIn());
        if (!other.run(cmd::create("Trash", other.options(), "\\Trash")))
            other.run(cmd::create("Trash", other.options())); // it may exist already
        QVERIFY(other.run(cmd::subscribe("Trash", other.options())));
        QVERIFY(other.append("INBOX", "From: a@example.com\r\nSubject: Read me\r\nMessage-ID: <gj1@lab.test>\r\n\r\nx\r\n") != 0);
    }

    void markReadFlagAndDeleteReachTheServer()
    {
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.resize(1000, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.getMessages(QStringLiteral("Lab Journal")));
        QTRY_VERIFY_WITH_TIMEOUT(!window.indicators()->isBusy(QStringLiteral("Lab Journal")), 60000);

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        const auto inbox = store.folder(QStringLiteral("Lab Journal"), QStringLiteral("INBOX"));
        QVERIFY(inbox);
        QCOMPARE(store.messageCount(inbox->id), qint64(1));
        QVERIFY(!serverFlags("INBOX", "Read me")->contains("\\Seen"));

        window.selectFolder(inbox->id);
        QTreeView *list = window.messageListView();
        QTRY_COMPARE(list->model()->rowCount(), 1);
        list->setCurrentIndex(list->model()->index(0, 2)); // opening marks it read
        QTRY_VERIFY_WITH_TIMEOUT(serverFlags("INBOX", "Read me").value_or(QList<QByteArray>()).contains("\\Seen"), 30000);

        window.action(QStringLiteral("flagAction"))->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(serverFlags("INBOX", "Read me").value_or(QList<QByteArray>()).contains("\\Flagged"), 30000);

        // Working offline, a change waits in the journal; back online, it goes.
        store::Journal journal(store);
        QTRY_COMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(0));
        QAction *offline = window.action(QStringLiteral("workOfflineAction"));
        QVERIFY(offline);
        offline->setChecked(true);
        window.action(QStringLiteral("markUnreadAction"))->trigger();
        QVERIFY(!(store.summary(store.summaries(inbox->id).first().id)->flags & store::Seen));
        QCOMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(1));
        QVERIFY(serverFlags("INBOX", "Read me")->contains("\\Seen"));
        offline->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!serverFlags("INBOX", "Read me").value_or(QList<QByteArray>{"\\Seen"}).contains("\\Seen"),
                                 30000);

        window.action(QStringLiteral("deleteAction"))->trigger(); // to Trash: no question asked
        QCOMPARE(store.messageCount(inbox->id), qint64(0)); // in the store at once
        QTRY_VERIFY_WITH_TIMEOUT(!serverFlags("INBOX", "Read me"), 30000);
        const auto inTrash = serverFlags("Trash", "Read me");
        QVERIFY(inTrash);
        QVERIFY(!inTrash->contains("\\Seen") && inTrash->contains("\\Flagged"));
        QTRY_COMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(0));
        QVERIFY(journal.conflicts(QStringLiteral("Lab Journal")).isEmpty());
    }
};

QTEST_MAIN(TestMainWindowJournalLab)
#include "tst_mainwindow_journal_lab.moc"
