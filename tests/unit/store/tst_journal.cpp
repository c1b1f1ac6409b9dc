// SPDX-License-Identifier: GPL-3.0-or-later
// The offline journal (store/journal.h): each change and its row in one transaction, rows in the order the
// user made them, a placeholder UID replaced by COPYUID in the rows that follow, and rows that survive a
// crash (SIGKILL in a child process) with the local change they belong to.
#include "store/journal.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace tern::store;

namespace {

MessageSummary message(qint64 uid, const QString &subject)
{
    MessageSummary m;
    m.uid = uid;
    m.subject = subject;
    m.date = 1700000000 + uid;
    m.messageId = QStringLiteral("<%1@example.org>").arg(uid);
    return m;
}

std::span<const qint64> span(const QList<qint64> &ids)
{
    return {ids.constData(), size_t(ids.size())};
}

} // namespace

class TestJournal : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;
    QString m_path;
    qint64 m_inbox = 0, m_archive = 0, m_trash = 0;
    QList<qint64> m_ids; // UIDs 1..3 in INBOX

    qint64 folder(Store &store, const QString &path, qint64 uidValidity)
    {
        Folder f;
        f.account = QStringLiteral("Work");
        f.path = path;
        const qint64 id = store.saveFolder(f);
        store.setFolderSyncState(id, uidValidity, 10, 0);
        return id;
    }

    QList<qint64> ids(Store &store, qint64 folderId)
    {
        QList<qint64> out;
        for (const MessageSummary &m : store.summaries(folderId))
            out.append(m.id);
        std::sort(out.begin(), out.end());
        return out;
    }

private slots:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("journal-%1.sqlite").arg(++m_n));
        Store store;
        QVERIFY(store.open(m_path));
        m_inbox = folder(store, QStringLiteral("INBOX"), 100);
        m_archive = folder(store, QStringLiteral("Archive"), 200);
        m_trash = folder(store, QStringLiteral("Trash"), 300);
        const QList<MessageSummary> inbox{message(1, QStringLiteral("one")), message(2, QStringLiteral("two")),
                                          message(3, QStringLiteral("three"))};
        QCOMPARE(store.insertSummaries(m_inbox, inbox), qint64(3));
        m_ids = ids(store, m_inbox);
        QCOMPARE(m_ids.size(), 3);
    }

    void rowsKeepTheUsersOrderAndTheStoreShowsTheChangeAtOnce()
    {
        Store store;
        QVERIFY(store.open(m_path));
        Journal journal(store);
        QVERIFY(journal.setFlags(span({m_ids[0], m_ids[1]}), Seen | Flagged, 0));
        QVERIFY(journal.move(span({m_ids[1]}), m_archive));
        QVERIFY(journal.setFlags(span({m_ids[0]}), 0, Flagged, {QStringLiteral("$Label1")}));
        QVERIFY(journal.expunge(span({m_ids[2]})));

        // The local store, at once.
        QCOMPARE(store.summary(m_ids[0])->flags, quint32(Seen));
        QCOMPARE(store.summary(m_ids[0])->keywords, QStringList{QStringLiteral("$Label1")});
        QCOMPARE(store.folderOf(m_ids[1]), m_archive);
        QCOMPARE(store.summary(m_ids[1])->uid, -m_ids[1]); // placeholder until COPYUID
        QVERIFY(!store.summary(m_ids[2]));

        const QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows[0].op, JournalEntry::Op::Flags);
        QCOMPARE(rows[0].folder, QStringLiteral("INBOX"));
        QCOMPARE(rows[0].uidValidity, qint64(100));
        QCOMPARE(rows[0].items, (QList<JournalItem>{{m_ids[0], 1}, {m_ids[1], 2}}));
        QCOMPARE(rows[0].set, quint32(Seen | Flagged));
        QCOMPARE(rows[1].op, JournalEntry::Op::Move);
        QCOMPARE(rows[1].target, QStringLiteral("Archive"));
        QCOMPARE(rows[1].items, (QList<JournalItem>{{m_ids[1], 2}}));
        QCOMPARE(rows[2].op, JournalEntry::Op::Flags);
        QCOMPARE(rows[2].clear, quint32(Flagged));
        QCOMPARE(rows[2].addKeywords, QStringList{QStringLiteral("$Label1")});
        QCOMPARE(rows[3].op, JournalEntry::Op::Expunge);
        QCOMPARE(rows[3].items, (QList<JournalItem>{{m_ids[2], 3}}));
        QVERIFY(rows[0].id < rows[1].id && rows[1].id < rows[2].id && rows[2].id < rows[3].id);
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(4));
        QCOMPARE(journal.pendingCount(QStringLiteral("Other")), qint64(0));
    }

    void aRefusedRowLeavesTheStoreUnchanged()
    {
        Store store;
        QVERIFY(store.open(m_path));
        // The journal write fails after the local change was made: both go, neither stays.
        QVERIFY(store.database().exec(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON journal BEGIN SELECT RAISE(ABORT, 'disk full'); END"));
        Journal journal(store);
        QVERIFY(!journal.setFlags(span({m_ids[0]}), Seen, 0));
        QCOMPARE(store.summary(m_ids[0])->flags, quint32(0));
        QVERIFY(!journal.move(span({m_ids[0]}), m_archive));
        QCOMPARE(store.folderOf(m_ids[0]), m_inbox);
        QCOMPARE(store.summary(m_ids[0])->uid, qint64(1));
        QVERIFY(!journal.expunge(span({m_ids[0]})));
        QVERIFY(store.summary(m_ids[0]));
        QVERIFY(store.database().exec("DROP TRIGGER refuse"));
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(0));
    }

    void aCrashKeepsTheRowsAndTheirChanges()
    {
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            Store store;
            Journal journal(store);
            const bool ok = store.open(m_path) && journal.setFlags(span({m_ids[0]}), Seen, 0)
                && journal.move(span({m_ids[1]}), m_trash);
            // No close, no destructor: the process dies as a crash would.
            if (ok)
                ::kill(::getpid(), SIGKILL);
            ::_exit(1);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the child failed before its crash");
        Store store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.integrityCheck());
        Journal journal(store);
        const QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].op, JournalEntry::Op::Flags);
        QCOMPARE(rows[1].op, JournalEntry::Op::Move);
        QCOMPARE(store.summary(m_ids[0])->flags, quint32(Seen));
        QCOMPARE(store.folderOf(m_ids[1]), m_trash);
    }

    void copyUidReplacesThePlaceholderInTheStoreAndInLaterRows()
    {
        Store store;
        QVERIFY(store.open(m_path));
        Journal journal(store);
        QVERIFY(journal.move(span({m_ids[0]}), m_archive));
        QVERIFY(journal.setFlags(span({m_ids[0]}), Flagged, 0)); // on the copy in Archive: UID unknown yet
        QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows[1].items, (QList<JournalItem>{{m_ids[0], -m_ids[0]}}));

        QVERIFY(journal.finish(rows[0], {{m_ids[0], 42}}));
        QCOMPARE(store.summary(m_ids[0])->uid, qint64(42));
        rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].items, (QList<JournalItem>{{m_ids[0], 42}}));
        QCOMPARE(rows[0].set, quint32(Flagged)); // the rest of the row as it was
    }

    void aMessageMovedOnKeepsItsPlaceholderUntilItsOwnMove()
    {
        Store store;
        QVERIFY(store.open(m_path));
        Journal journal(store);
        QVERIFY(journal.move(span({m_ids[0]}), m_archive));
        QVERIFY(journal.move(span({m_ids[0]}), m_trash));
        QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QVERIFY(journal.finish(rows[0], {{m_ids[0], 7}}));
        // UID 7 is Archive's; the message is in Trash now, so only the next move learns it.
        QCOMPARE(store.summary(m_ids[0])->uid, -m_ids[0]);
        rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].folder, QStringLiteral("Archive"));
        QCOMPARE(rows[0].items, (QList<JournalItem>{{m_ids[0], 7}}));
        QVERIFY(journal.finish(rows[0], {{m_ids[0], 9}}));
        QCOMPARE(store.summary(m_ids[0])->uid, qint64(9));
    }

    void conflictsStayVisibleAndOutOfTheWay()
    {
        Store store;
        QVERIFY(store.open(m_path));
        Journal journal(store);
        QVERIFY(journal.setFlags(span({m_ids[0]}), Seen, 0));
        QVERIFY(journal.setFlags(span({m_ids[1]}), Seen, 0));
        QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QVERIFY(journal.finish(rows[0], {}, QStringLiteral("1 message(s) no longer on the server")));
        rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].items.first().messageId, m_ids[1]);
        const QList<JournalEntry> conflicts = journal.conflicts(QStringLiteral("Work"));
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts[0].error, QStringLiteral("1 message(s) no longer on the server"));
        QVERIFY(journal.dismissConflicts(QStringLiteral("Work")));
        QVERIFY(journal.conflicts(QStringLiteral("Work")).isEmpty());
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(1));
    }

    // The window's conflict list: one row dismissed, another retried (pending again, in its original place
    // before rows recorded later), a pending row and another account's conflict untouched by either.
    void conflictsDismissedOrRetriedOneByOne()
    {
        Store store;
        QVERIFY(store.open(m_path));
        Journal journal(store);
        for (qint64 id : m_ids)
            QVERIFY(journal.setFlags(span({id}), Flagged, 0));
        QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 3);
        QVERIFY(journal.finish(rows[0], {}, QStringLiteral("gone")));
        QVERIFY(journal.finish(rows[1], {}, QStringLiteral("refused")));
        QVERIFY(journal.append(QStringLiteral("Other"), QStringLiteral("Drafts"), "x", 0) > 0);
        const qint64 otherRow = journal.pending(QStringLiteral("Other")).first().id;
        QVERIFY(journal.markConflict(otherRow, QStringLiteral("no Drafts")));
        QCOMPARE(journal.conflictCount(QStringLiteral("Work")), qint64(2));
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(1));

        // Ids of a pending row and of another account's conflict are ignored, not dismissed.
        QVERIFY(journal.dismissConflicts(QStringLiteral("Work"), span({rows[0].id, rows[2].id, otherRow})));
        QCOMPARE(journal.conflictCount(QStringLiteral("Work")), qint64(1));
        QCOMPARE(journal.conflicts(QStringLiteral("Work")).first().id, rows[1].id);
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(1));
        QCOMPARE(journal.conflictCount(QStringLiteral("Other")), qint64(1));

        QVERIFY(journal.retryConflicts(QStringLiteral("Work"), span({rows[1].id, otherRow})));
        QCOMPARE(journal.conflictCount(QStringLiteral("Work")), qint64(0));
        const QList<JournalEntry> pending = journal.pending(QStringLiteral("Work"));
        QCOMPARE(pending.size(), 2);
        QCOMPARE(pending[0].id, rows[1].id);
        QCOMPARE(pending[0].state, JournalEntry::State::Pending);
        QVERIFY(pending[0].error.isEmpty());
        QCOMPARE(pending[0].items, rows[1].items);
        QCOMPARE(pending[1].id, rows[2].id);
        QCOMPARE(journal.conflictCount(QStringLiteral("Other")), qint64(1));
    }

    void pop3AndAppendRows()
    {
        Store store;
        QVERIFY(store.open(m_path));
        MessageSummary pop = message(0, QStringLiteral("pop"));
        pop.uidl = QStringLiteral("uidl-1");
        const qint64 popId = store.insertDownloaded(m_inbox, pop, "Subject: pop\r\n\r\nx\r\n");
        QVERIFY(popId > 0);
        Journal journal(store);
        // A message without a server copy changes locally only.
        QVERIFY(journal.setFlags(span({popId}), Seen, 0));
        QCOMPARE(store.summary(popId)->flags, quint32(Seen));
        QCOMPARE(journal.pendingCount(QStringLiteral("Work")), qint64(0));

        const QByteArray raw = "Subject: draft\r\n\r\nbody\r\n";
        QVERIFY(journal.append(QStringLiteral("Work"), QStringLiteral("Drafts"), raw, Draft | Seen) > 0);
        const QList<JournalEntry> rows = journal.pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].op, JournalEntry::Op::Append);
        QCOMPARE(rows[0].folder, QStringLiteral("Drafts"));
        QCOMPARE(rows[0].raw, raw);
        QCOMPARE(rows[0].set, quint32(Draft | Seen));
    }

    void aSchema3StoreGetsTheJournal()
    {
        {
            Store store;
            QVERIFY(store.open(m_path));
            // The version-1 journal table as schema 3 left it (never written).
            QVERIFY(store.database().exec("DROP TABLE journal"));
            QVERIFY(store.database().exec("CREATE TABLE journal (id INTEGER PRIMARY KEY, account TEXT NOT NULL, "
                                          "op TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT "
                                          "'pending', error TEXT NOT NULL DEFAULT '', created INTEGER NOT NULL)"));
            QVERIFY(store.database().exec("PRAGMA user_version = 3"));
        }
        Store store;
        QVERIFY2(store.open(m_path), qPrintable(store.error()));
        Journal journal(store);
        QVERIFY(journal.append(QStringLiteral("Work"), QStringLiteral("Drafts"), "Subject: d\r\n\r\n", Draft) > 0);
        QCOMPARE(journal.pending(QStringLiteral("Work")).first().raw, QByteArray("Subject: d\r\n\r\n"));
        QCOMPARE(store.summary(m_ids[0])->subject, QStringLiteral("one")); // the messages untouched
    }

    void anUnreadableRowIsAConflictNotACrash()
    {
        Store store;
        QVERIFY(store.open(m_path));
        QVERIFY(store.database().exec("INSERT INTO journal (account, op, payload, created) VALUES "
                                      "('Work', 'flags', '{not json', 0), ('Work', 'teleport', '{}', 0)"));
        const QList<JournalEntry> rows = Journal(store).pending(QStringLiteral("Work"));
        QCOMPARE(rows.size(), 2);
        for (const JournalEntry &e : rows) {
            QCOMPARE(e.state, JournalEntry::State::Conflict);
            QVERIFY(!e.error.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
