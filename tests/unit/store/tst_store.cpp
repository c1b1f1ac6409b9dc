// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/schema.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern::store;

namespace {

MessageSummary message(qint64 uid, const QString &subject, qint64 date, quint32 flags = 0)
{
    MessageSummary m;
    m.uid = uid;
    m.subject = subject;
    m.fromName = QStringLiteral("Ada Lovelace");
    m.fromAddress = QStringLiteral("ada@example.org");
    m.to = QStringLiteral("charles@example.org");
    m.date = date;
    m.size = 1000 + uid;
    m.flags = flags;
    m.messageId = QStringLiteral("<%1@example.org>").arg(uid);
    return m;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    QString freshPath() { return m_dir.filePath(QStringLiteral("store-%1.sqlite").arg(++m_n)); }

    qint64 inbox(Store &store, const QString &account = QStringLiteral("Work"))
    {
        Folder f;
        f.account = account;
        f.path = QStringLiteral("INBOX");
        f.role = QStringLiteral("inbox");
        return store.saveFolder(f);
    }

private slots:
    void opensInWalModeAtTheCurrentSchema()
    {
        Store store;
        QVERIFY2(store.open(freshPath()), qPrintable(store.error()));
        Statement mode = store.database().prepare("PRAGMA journal_mode");
        QVERIFY(mode.next());
        QCOMPARE(mode.text(0), QStringLiteral("wal"));
        Statement version = store.database().prepare("PRAGMA user_version");
        QVERIFY(version.next());
        QCOMPARE(version.int64(0), qint64(currentSchemaVersion()));
        QVERIFY(store.integrityCheck());
    }

    void refusesAStoreFromANewerTern()
    {
        const QString path = freshPath();
        {
            Store store;
            QVERIFY(store.open(path));
            QVERIFY(store.database().exec("PRAGMA user_version = 999"));
        }
        Store store;
        QVERIFY(!store.open(path));
        QVERIFY(store.error().contains(QStringLiteral("newer")));
    }

    void summariesRoundTripNewestFirst()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        QVERIFY(folder > 0);
        MessageSummary a = message(1, QStringLiteral("Oldest"), 1000, Seen);
        a.keywords = {QStringLiteral("$Label1"), QStringLiteral("work")};
        a.hasAttachments = true;
        const QList<MessageSummary> batch{a, message(2, QStringLiteral("Newest"), 3000),
                                          message(3, QStringLiteral("Middle"), 2000, Seen | Flagged)};
        QCOMPARE(store.insertSummaries(folder, batch), qint64(3));

        const QList<MessageSummary> got = store.summaries(folder);
        QCOMPARE(got.size(), 3);
        QCOMPARE(got[0].subject, QStringLiteral("Newest"));
        QCOMPARE(got[1].subject, QStringLiteral("Middle"));
        QCOMPARE(got[2].subject, QStringLiteral("Oldest"));
        QCOMPARE(got[2].keywords, a.keywords);
        QVERIFY(got[2].hasAttachments);
        QCOMPARE(got[1].flags, quint32(Seen | Flagged));
        QCOMPARE(store.unreadCount(folder), qint64(1));
        QCOMPARE(store.summaries(folder, 1, 1).first().subject, QStringLiteral("Middle"));
    }

    // Each text parameter's buffer is reused from row to row: a long value, then a shorter, an empty and a
    // non-ASCII one must each come back exactly, with nothing left over from the row before.
    void textsRoundTripWhateverTheRowBeforeHeld()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        const QStringList subjects{QString(300, QLatin1Char('x')) + QStringLiteral(" long"), QStringLiteral("short"),
                                   QString(), QStringLiteral("Gr\u00fc\u00dfe \u65e5\u672c \U0001F600"),
                                   QStringLiteral("ascii again")};
        QList<MessageSummary> batch;
        for (qsizetype i = 0; i < subjects.size(); ++i) {
            MessageSummary m = message(i + 1, subjects[i], 1000 - i);
            m.to = subjects[subjects.size() - 1 - i]; // a second parameter, in the other order
            batch.append(m);
        }
        QCOMPARE(store.insertSummaries(folder, batch), qint64(subjects.size()));
        const QList<MessageSummary> got = store.summaries(folder); // newest first: the order inserted
        QCOMPARE(got.size(), subjects.size());
        for (qsizetype i = 0; i < subjects.size(); ++i) {
            QCOMPARE(got[i].subject, subjects[i]);
            QCOMPARE(got[i].to, subjects[subjects.size() - 1 - i]);
        }
    }

    void insertingTheSameUidTwiceStoresItOnce()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        const QList<MessageSummary> batch{message(7, QStringLiteral("Once"), 1)};
        QCOMPARE(store.insertSummaries(folder, batch), qint64(1));
        QCOMPARE(store.insertSummaries(folder, batch), qint64(0)); // a resumed sync re-sends what it had
        QCOMPARE(store.messageCount(folder), qint64(1));
    }

    void flagsAndExpungesApplyByUid()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        QList<MessageSummary> batch;
        for (int uid = 1; uid <= 5; ++uid)
            batch << message(uid, QStringLiteral("m%1").arg(uid), uid);
        QCOMPARE(store.insertSummaries(folder, batch), qint64(5));
        const QList<FlagUpdate> updates{{2, Seen | Answered, {}, 10}, {4, Flagged, {QStringLiteral("x")}, 11}};
        QVERIFY(store.updateFlags(folder, updates));
        const QList<qint64> gone{1, 5};
        QVERIFY(store.removeUids(folder, gone));
        QCOMPARE(store.uids(folder), (QList<qint64>{2, 3, 4}));
        const auto all = store.summaries(folder);
        QCOMPARE(all[2].flags, quint32(Seen | Answered)); // uid 2, oldest of those left
        QCOMPARE(all[2].modseq, qint64(10));
        QCOMPARE(all[0].keywords, QStringList{QStringLiteral("x")});
    }

    void uidValidityChangeDropsTheFolderCache()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        QVERIFY(store.setFolderSyncState(folder, 42, 10, 500));
        const QList<MessageSummary> batch{message(1, QStringLiteral("a"), 1), message(2, QStringLiteral("b"), 2)};
        QCOMPARE(store.insertSummaries(folder, batch), qint64(2));
        QVERIFY(store.dropFolderMessages(folder));
        QCOMPARE(store.messageCount(folder), qint64(0));
        const auto f = store.folder(QStringLiteral("Work"), QStringLiteral("INBOX"));
        QVERIFY(f);
        QCOMPARE(f->uidValidity, qint64(0));
        QCOMPARE(f->highestModSeq, qint64(0));
        QVERIFY(store.search(QStringLiteral("Work"), QStringLiteral("a")).isEmpty());
        QVERIFY(store.integrityCheck());
    }

    void pop3DownloadIsStoredOnceWithItsBody()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store, QStringLiteral("Pop"));
        MessageSummary m = message(0, QStringLiteral("via POP3"), 5);
        m.uidl = QStringLiteral("UID-0001");
        const QByteArray raw("Subject: via POP3\r\n\r\nbody\r\n");
        const qint64 id = store.insertDownloaded(folder, m, raw);
        QVERIFY(id > 0);
        QVERIFY(store.hasUidl(folder, QStringLiteral("UID-0001")));
        // A retry after a fault before DELE: the same UIDL gives back the same message, no duplicate.
        QCOMPARE(store.insertDownloaded(folder, m, raw), id);
        QCOMPARE(store.messageCount(folder), qint64(1));
        QCOMPARE(store.body(id), raw);
        QCOMPARE(store.uidls(folder), QStringList{QStringLiteral("UID-0001")});
    }

    void upgradeFromSchema1KeepsDownloadedUidlsSeen()
    {
        const QString path = freshPath();
        qint64 folder = 0;
        {
            Store store;
            QVERIFY(store.open(path));
            folder = inbox(store, QStringLiteral("Pop"));
            MessageSummary m = message(0, QStringLiteral("old"), 5);
            m.uidl = QStringLiteral("UID-OLD");
            m.internalDate = 1'700'000'000;
            QVERIFY(store.insertDownloaded(folder, m, "Subject: old\r\n\r\nx\r\n") > 0);
            // Make it the store a schema-1 Tern left behind: no seen table yet.
            QVERIFY(store.database().exec("DROP TABLE pop3_seen"));
            // ... nor the outbox columns of schema 3.
            QVERIFY(store.database().exec("DROP INDEX outbox_account_state"));
            QVERIFY(store.database().exec("ALTER TABLE outbox DROP COLUMN message_id"));
            QVERIFY(store.database().exec("ALTER TABLE outbox DROP COLUMN sent_copy_error"));
            QVERIFY(store.database().exec("PRAGMA user_version = 1"));
        }
        Store upgraded;
        QVERIFY2(upgraded.open(path), qPrintable(upgraded.error()));
        const QHash<QString, qint64> seen = upgraded.seenUidls(folder);
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.value(QStringLiteral("UID-OLD")), qint64(1'700'000'000));
    }

    void searchFindsWordsAndTreatsSyntaxAsText()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 work = inbox(store, QStringLiteral("Work"));
        const qint64 home = inbox(store, QStringLiteral("Home"));
        const QList<MessageSummary> w{message(1, QStringLiteral("Quarterly report draft"), 10),
                                      message(2, QStringLiteral("Lunch plans"), 20)};
        QCOMPARE(store.insertSummaries(work, w), qint64(2));
        // Lunch plans' body arrives before the indexer runs: it is indexed whole, once.
        QVERIFY(store.saveBody(store.summaries(work).first().id, "...",
                               QStringLiteral("the quarterly numbers are attached")));
        const QList<MessageSummary> h{message(1, QStringLiteral("Quarterly garden"), 30)};
        QCOMPARE(store.insertSummaries(home, h), qint64(1));
        QCOMPARE(store.indexPending(), qint64(2)); // Lunch plans was indexed whole with its body

        const auto hits = store.search(QStringLiteral("Work"), QStringLiteral("quarter"));
        QCOMPARE(hits.size(), 2); // prefix match on subject and on body text, only this account
        QCOMPARE(hits[0].subject, QStringLiteral("Lunch plans"));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("lunch plans")).size(), 1);
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("ada@example.org")).size(), 2);
        // FTS5 syntax in a search box is just text: no error, no column filter, no crash.
        for (const char *hostile : {"\"unbalanced", "subject:lunch", "NEAR(a b)", "a OR", "*", "\"\"\""})
            store.search(QStringLiteral("Work"), QString::fromLatin1(hostile));
        QVERIFY(store.search(QStringLiteral("Work"), QStringLiteral("subject:lunch")).isEmpty());
    }

    void bodiesAddTheirTextToTheIndex()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        const QList<MessageSummary> batch{message(1, QStringLiteral("Hello"), 1)};
        QCOMPARE(store.insertSummaries(folder, batch), qint64(1));
        const qint64 id = store.summaries(folder).first().id;
        QCOMPARE(store.indexPending(), qint64(1));
        QVERIFY(store.search(QStringLiteral("Work"), QStringLiteral("zeppelin")).isEmpty());
        QVERIFY(store.saveBody(id, "Subject: Hello\r\n\r\nzeppelin\r\n", QStringLiteral("zeppelin")));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("zeppelin")).size(), 1);
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("hello")).size(), 1);
    }

    void indexingIsIncrementalAndSeparateFromInsertion()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        QList<MessageSummary> first;
        for (int uid = 1; uid <= 5; ++uid)
            first << message(uid, QStringLiteral("alpha %1").arg(uid), uid);
        QCOMPARE(store.insertSummaries(folder, first), qint64(5));
        QVERIFY(store.search(QStringLiteral("Work"), QStringLiteral("alpha")).isEmpty()); // not indexed yet
        QCOMPARE(store.indexPending(2), qint64(2));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("alpha")).size(), 2);
        QCOMPARE(store.indexPending(), qint64(3));
        QCOMPARE(store.indexPending(), qint64(0)); // nothing new: nothing indexed twice
        const QList<MessageSummary> more{message(6, QStringLiteral("alpha six"), 6)};
        QCOMPARE(store.insertSummaries(folder, more), qint64(1));
        QCOMPARE(store.indexPending(), qint64(1));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("alpha")).size(), 6);
        const QList<qint64> gone{3};
        QVERIFY(store.removeUids(folder, gone));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("alpha")).size(), 5);
        QVERIFY(store.integrityCheck());
    }

    void summariesCanEnterTheIndexAsTheyAreStored()
    {
        Store store;
        QVERIFY(store.open(freshPath()));
        const qint64 folder = inbox(store);
        const QList<MessageSummary> first{message(1, QStringLiteral("beta one"), 1), message(2, QStringLiteral("beta two"), 2)};
        QCOMPARE(store.insertSummaries(folder, first, true), qint64(2));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("beta")).size(), 2); // searchable at once
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("lovelace")).size(), 2); // the sender too
        QCOMPARE(store.indexPending(), qint64(0)); // and never indexed twice
        QCOMPARE(store.insertSummaries(folder, first, true), qint64(0)); // a resumed sync re-sends what it had
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("beta")).size(), 2);
        // A backlog left unindexed stays indexPending()'s work; the rows indexed on insertion are skipped.
        const QList<MessageSummary> plain{message(3, QStringLiteral("beta three"), 3)};
        QCOMPARE(store.insertSummaries(folder, plain), qint64(1));
        const QList<MessageSummary> indexed{message(4, QStringLiteral("beta four"), 4)};
        QCOMPARE(store.insertSummaries(folder, indexed, true), qint64(1));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("beta")).size(), 3);
        QCOMPARE(store.indexPending(), qint64(1));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("beta")).size(), 4);
        QCOMPARE(store.indexPending(), qint64(0));
        const QList<qint64> gone{4};
        QVERIFY(store.removeUids(folder, gone));
        QCOMPARE(store.search(QStringLiteral("Work"), QStringLiteral("beta")).size(), 3);
        QVERIFY(store.integrityCheck());
    }

    void dataSurvivesReopening()
    {
        const QString path = freshPath();
        {
            Store store;
            QVERIFY(store.open(path));
            const QList<MessageSummary> batch{message(1, QStringLiteral("kept"), 1)};
            QCOMPARE(store.insertSummaries(inbox(store), batch), qint64(1));
        }
        Store store;
        QVERIFY(store.open(path));
        const auto f = store.folder(QStringLiteral("Work"), QStringLiteral("INBOX"));
        QVERIFY(f);
        QCOMPARE(f->role, QStringLiteral("inbox"));
        QCOMPARE(store.summaries(f->id).first().subject, QStringLiteral("kept"));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
