// SPDX-License-Identifier: GPL-3.0-or-later
// The offline changes the server could not take, as the window shows them: a status bar button with their
// number (hidden at none), a View menu action, and a dialog listing what each change was, on which message
// and folder, and why it failed. Dismiss removes a change, Retry makes it pending again; both write from
// AccountOperations' thread, and the window re-reads the store when they are done.
#include "accounts/accountstore.h"
#include "journalconflicts.h"
#include "mainwindow.h"
#include "store/journal.h"
#include "store/store.h"

#include <QAction>
#include <QDir>
#include <QPushButton>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace tern;

class TestJournalConflicts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;
    qint64 m_flagRow = 0, m_moveRow = 0;

    QString storePath() const { return m_profile.filePath(QStringLiteral("store.sqlite")); }

    static qint64 conflictCount(const QString &path)
    {
        store::Store store;
        return store.open(path) ? store::Journal(store).conflictCount(QStringLiteral("Work")) : -1;
    }
    static qint64 pendingCount(const QString &path)
    {
        store::Store store;
        return store.open(path) ? store::Journal(store).pendingCount(QStringLiteral("Work")) : -1;
    }

private slots:
    void initTestCase()
    {
        // The server is never reached here: the window works offline before anything is retried.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        accounts::Account a;
        a.name = QStringLiteral("Work");
        a.identities = {{QStringLiteral("Me"), QStringLiteral("me@lab.test"), QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Imap;
        a.incoming = {QStringLiteral("127.0.0.1"), closed.serverPort(), accounts::Security::Tls, QString(), QStringLiteral("me")};
        a.smtp = {QStringLiteral("127.0.0.1"), closed.serverPort(), accounts::Security::Tls, QString(), QStringLiteral("me")};
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());

        store::Store store;
        QVERIFY(store.open(storePath()));
        store::Folder inbox;
        inbox.account = QStringLiteral("Work");
        inbox.path = QStringLiteral("INBOX");
        const qint64 folder = store.saveFolder(inbox);
        QVERIFY(store.setFolderSyncState(folder, 7, 10, 0));
        store::MessageSummary m;
        m.uid = 4;
        m.subject = QStringLiteral("Quarterly report");
        m.date = 1700000000;
        QCOMPARE(store.insertSummaries(folder, std::span<const store::MessageSummary>(&m, 1)), qint64(1));
        const qint64 id = store.summaries(folder).first().id;

        store::Journal journal(store);
        QVERIFY(journal.setFlags(std::span<const qint64>(&id, 1), store::Flagged, 0));
        store::Folder archive;
        archive.account = QStringLiteral("Work");
        archive.path = QStringLiteral("Archive");
        const qint64 archiveId = store.saveFolder(archive);
        QVERIFY(journal.move(std::span<const qint64>(&id, 1), archiveId));
        const QList<store::JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 2);
        m_flagRow = rows[0].id;
        m_moveRow = rows[1].id;
        QVERIFY(journal.finish(rows[0], {}, QStringLiteral("1 message(s) no longer on the server in \"INBOX\" (UID 4)")));
        QVERIFY(journal.finish(rows[1], {}, QStringLiteral("the folder \"Archive\" does not exist on the server")));
    }

    void listedDismissedAndRetried()
    {
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.action(QStringLiteral("workOfflineAction"))->setChecked(true);
        window.resize(1000, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        ui::JournalConflicts *conflicts = window.journalConflicts();
        QVERIFY(conflicts);
        QToolButton *button = conflicts->button();
        QCOMPARE(conflicts->count(), qint64(2));
        QVERIFY(button->isVisible());
        QCOMPARE(button->text(), QStringLiteral("2 offline change(s) could not be applied"));
        QVERIFY(!button->accessibleName().isEmpty());
        QVERIFY(button->focusPolicy() & Qt::TabFocus);
        QAction *action = window.action(QStringLiteral("journalConflictsAction"));
        QVERIFY(action && action->isEnabled());

        QTest::mouseClick(button, Qt::LeftButton);
        ui::JournalConflictsDialog *dialog = conflicts->dialog();
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QTreeWidget *list = dialog->list();
        QCOMPARE(list->topLevelItemCount(), 2);
        const QTreeWidgetItem *flag = list->topLevelItem(0);
        QCOMPARE(flag->text(0), QStringLiteral("Flag"));
        QCOMPARE(flag->text(1), QStringLiteral("Quarterly report"));
        QCOMPARE(flag->text(2), QStringLiteral("INBOX"));
        QCOMPARE(flag->text(3), QStringLiteral("Work"));
        QVERIFY(flag->text(4).contains(QStringLiteral("no longer on the server")));
        const QTreeWidgetItem *move = list->topLevelItem(1);
        QCOMPARE(move->text(0), QStringLiteral("Move to Archive"));
        QCOMPARE(move->text(1), QStringLiteral("Quarterly report")); // the local copy is in Archive now
        QVERIFY(move->text(4).contains(QStringLiteral("does not exist on the server")));

        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(dialog->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("journal-conflicts.png"))));
        QVERIFY(window.grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("main-window-conflicts.png"))));

        // Dismiss the first (selected at opening), by keyboard: Alt+D.
        QVERIFY(list->topLevelItem(0)->isSelected());
        dialog->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(dialog));
        QTest::keyClick(dialog, Qt::Key_D, Qt::AltModifier);
        QTRY_COMPARE(conflictCount(storePath()), qint64(1));
        QTRY_COMPARE(conflicts->count(), qint64(1));
        QCOMPARE(button->text(), QStringLiteral("1 offline change(s) could not be applied"));
        QTRY_COMPARE(list->topLevelItemCount(), 1);
        QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("Move to Archive"));

        // Retry the other: pending again, and (offline) waiting for the next replay.
        list->setCurrentItem(list->topLevelItem(0));
        QVERIFY(dialog->retryButton()->isEnabled());
        QTest::mouseClick(dialog->retryButton(), Qt::LeftButton);
        QTRY_COMPARE(conflicts->count(), qint64(0));
        QCOMPARE(conflictCount(storePath()), qint64(0));
        QCOMPARE(pendingCount(storePath()), qint64(1));
        store::Store store;
        QVERIFY(store.open(storePath()));
        QCOMPARE(store::Journal(store).pending(QStringLiteral("Work")).first().id, m_moveRow);
        QVERIFY(!button->isVisible());
        QVERIFY(!action->isEnabled());
        QCOMPARE(list->topLevelItemCount(), 0);
        QVERIFY(!dialog->dismissButton()->isEnabled());
    }
};

QTEST_MAIN(TestJournalConflicts)
#include "tst_journalconflicts.moc"
