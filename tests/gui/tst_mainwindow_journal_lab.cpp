// SPDX-License-Identifier: GPL-3.0-or-later
// The main window with an IMAP account on the lab: opening a message marks it read, Flag flags it, Mark as
// Unread while working offline waits until back online, and Delete moves it to Trash — in the store at once,
// and on Dovecot through the offline journal's replay, off the GUI thread. Another session checks the server.
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "labenv.h"
#include "labimap.h"
#include "journalconflicts.h"
#include "mainwindow.h"
#include "statusindicators.h"
#include "store/journal.h"
#include "store/store.h"

#include <QAction>
#include <QDir>
#include <QPushButton>
#include <QToolButton>
#include <QTreeWidget>
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

    // Another client expunges the message with this subject (UID STORE \Deleted + UID EXPUNGE).
    bool expungeOnServer(const QByteArray &mailbox, const QByteArray &subject)
    {
        test::LabImap other(m_lab, m_user.address, m_user.password);
        if (!other.select(mailbox) || !other.run(cmd::uidFetch({{1, imap::SequenceSet::Star}}, {"UID", "ENVELOPE"})))
            return false;
        for (const imap::Response &r : other.untagged()) {
            if (const auto *f = r.get<imap::FetchData>(); f && f->uid && f->envelope && f->envelope->subject == subject) {
                const imap::SequenceSet uid{{*f->uid, *f->uid}};
                return other.run(cmd::uidStore(uid, cmd::StoreMode::Add, {"\\Deleted"})) && other.run(cmd::uidExpunge(uid));
            }
        }
        return false;
    }

    std::optional<store::MessageSummary> localMessage(store::Store &store, const QString &subject)
    {
        const auto inbox = store.folder(QStringLiteral("Lab Journal"), QStringLiteral("INBOX"));
        for (const store::MessageSummary &m : inbox ? store.summaries(inbox->id) : QList<store::MessageSummary>()) {
            if (m.subject == subject)
                return m;
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

    // Changes left in the journal by an earlier session (it quit offline) reach the server when the window
    // opens, without the user doing anything.
    void pendingChangesGoAtStartUp()
    {
        {
            test::LabImap other(m_lab, m_user.address, m_user.password);
            QVERIFY(other.append("INBOX", "From: a@example.com\r\nSubject: Left behind\r\nMessage-ID: <gj2@lab.test>\r\n\r\nx\r\n") != 0);
        }
        {
            ui::MainWindow window;
            QVERIFY(window.openProfile(m_profile.path()));
            QVERIFY(window.getMessages(QStringLiteral("Lab Journal")));
            QTRY_VERIFY_WITH_TIMEOUT(!window.indicators()->isBusy(QStringLiteral("Lab Journal")), 60000);
        }
        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        const auto local = localMessage(store, QStringLiteral("Left behind"));
        QVERIFY(local);
        store::Journal journal(store);
        QVERIFY(journal.setFlags(std::span<const qint64>(&local->id, 1), store::Flagged, 0));
        QCOMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(1));
        QVERIFY(!serverFlags("INBOX", "Left behind")->contains("\\Flagged"));

        // Without push: IDLE's catch-up sync would replay the journal too, and this is about the window's own
        // replay at start-up (for accounts without push, and with the conflicts shown at once).
        {
            accounts::AccountStore accounts(m_profile.path());
            QVERIFY(accounts.load());
            auto a = accounts.find(QStringLiteral("Lab Journal"));
            QVERIFY(a);
            a->options.imapIdle = false;
            QVERIFY(accounts.remove(a->name) && accounts.add(*a) && accounts.save());
        }
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(serverFlags("INBOX", "Left behind").value_or(QList<QByteArray>()).contains("\\Flagged"), 30000);
        QTRY_COMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(0));
    }

    // A change the server cannot take: flagged offline, the message is expunged meanwhile by another client,
    // and the replay on going back online turns the row into a conflict. The window lists it — the change,
    // the message, why — and Dismiss removes it.
    void aConflictIsListedAndDismissed()
    {
        {
            test::LabImap other(m_lab, m_user.address, m_user.password);
            QVERIFY(other.append("INBOX", "From: a@example.com\r\nSubject: Doomed\r\nMessage-ID: <gj3@lab.test>\r\n\r\nx\r\n",
                                 {"\\Seen"}) != 0); // read already: opening it journals nothing
        }
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
        QVERIFY(localMessage(store, QStringLiteral("Doomed")));
        ui::JournalConflicts *conflicts = window.journalConflicts();
        QVERIFY(conflicts);
        QCOMPARE(conflicts->count(), qint64(0));
        QVERIFY(!conflicts->button()->isVisible());

        window.action(QStringLiteral("workOfflineAction"))->setChecked(true);
        window.selectFolder(inbox->id);
        QTreeView *list = window.messageListView();
        QTRY_VERIFY(list->model()->rowCount() > 0);
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            if (list->model()->index(row, 2).data().toString() == QStringLiteral("Doomed"))
                list->setCurrentIndex(list->model()->index(row, 2));
        }
        QCOMPARE(list->currentIndex().data().toString(), QStringLiteral("Doomed"));
        window.action(QStringLiteral("flagAction"))->trigger();
        store::Journal journal(store);
        QCOMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(1));
        QVERIFY(expungeOnServer("INBOX", "Doomed"));

        window.action(QStringLiteral("workOfflineAction"))->setChecked(false);
        QTRY_COMPARE_WITH_TIMEOUT(conflicts->count(), qint64(1), 30000);
        QVERIFY(conflicts->button()->isVisible());
        QCOMPARE(journal.pendingCount(QStringLiteral("Lab Journal")), qint64(0));

        QTest::mouseClick(conflicts->button(), Qt::LeftButton);
        ui::JournalConflictsDialog *dialog = conflicts->dialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QCOMPARE(dialog->list()->topLevelItemCount(), 1);
        const QTreeWidgetItem *row = dialog->list()->topLevelItem(0);
        QCOMPARE(row->text(0), QStringLiteral("Flag"));
        QCOMPARE(row->text(1), QStringLiteral("Doomed"));
        QCOMPARE(row->text(2), QStringLiteral("INBOX"));
        QVERIFY2(row->text(4).contains(QStringLiteral("no longer on the server")), qPrintable(row->text(4)));
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(dialog->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("journal-conflict-lab.png"))));

        QTest::mouseClick(dialog->dismissButton(), Qt::LeftButton);
        QTRY_COMPARE(conflicts->count(), qint64(0));
        QCOMPARE(journal.conflictCount(QStringLiteral("Lab Journal")), qint64(0));
        QVERIFY(!conflicts->button()->isVisible());
        QCOMPARE(dialog->list()->topLevelItemCount(), 0);
    }
};

QTEST_MAIN(TestMainWindowJournalLab)
#include "tst_mainwindow_journal_lab.moc"
