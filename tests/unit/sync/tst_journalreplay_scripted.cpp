// SPDX-License-Identifier: GPL-3.0-or-later
// JournalReplay against scripted servers (tests/data/scripts/imap/journal-*.script): a move without MOVE
// (COPY + \Deleted + UID EXPUNGE), a message gone from the server, a target folder that does not exist
// (TRYCREATE), a recreated folder (UIDVALIDITY), and a server out of reach — each conflict recorded on its
// row while the other rows replay, and nothing lost when the server cannot be reached.
#include "fakeserver.h"

#include "store/journal.h"
#include "store/store.h"
#include "sync/journalreplay.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using tern::store::Journal;
using tern::store::JournalEntry;
using tern::store::Store;
using tern::sync::JournalReplay;
using tern::test::FakeServer;

namespace {
std::span<const qint64> span(const QList<qint64> &ids)
{
    return {ids.constData(), size_t(ids.size())};
}
} // namespace

class TestJournalReplayScripted : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
    qint64 m_inbox = 0, m_archive = 0, m_projects = 0;
    QList<qint64> m_ids; // UIDs 1, 2, 3 in INBOX

    tern::accounts::Account account(quint16 port)
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("fake");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = {QStringLiteral("127.0.0.1"), port, tern::accounts::Security::None, {}, QStringLiteral("u")};
        return a;
    }

    qint64 folder(const QString &path, qint64 uidValidity)
    {
        tern::store::Folder f;
        f.account = QStringLiteral("fake");
        f.path = path;
        const qint64 id = m_store->saveFolder(f);
        m_store->setFolderSyncState(id, uidValidity, 10, 0);
        return id;
    }

    // Runs a replay against the script; false when the script was not followed to its end.
    bool replay(const QString &script, JournalReplay::Error expected)
    {
        FakeServer server;
        if (!server.loadScript(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/") + script)
            || !server.start())
            return false;
        JournalReplay replay(account(server.port()), "p", m_store.get());
        QSignalSpy finished(&replay, &JournalReplay::finished);
        replay.start();
        if (!finished.wait(20000))
            return false;
        if (!server.failure().isEmpty()) {
            qWarning() << "script" << script << "failed:" << server.failure();
            return false;
        }
        m_lastConflicts = replay.conflicts();
        m_lastReplayed = replay.replayedCount();
        if (replay.error() != expected)
            qWarning() << "replay ended with" << replay.error() << replay.errorString();
        return replay.error() == expected && server.isScriptDone();
    }

    QList<JournalReplay::Conflict> m_lastConflicts;
    int m_lastReplayed = 0;

private slots:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(m_path));
        m_inbox = folder(QStringLiteral("INBOX"), 100);
        m_archive = folder(QStringLiteral("Archive"), 200);
        m_projects = folder(QStringLiteral("Projects"), 300);
        QList<tern::store::MessageSummary> inbox;
        for (qint64 uid : {1, 2, 3}) {
            tern::store::MessageSummary m;
            m.uid = uid;
            m.subject = QStringLiteral("message %1").arg(uid);
            inbox.append(m);
        }
        QCOMPARE(m_store->insertSummaries(m_inbox, inbox), qint64(3));
        m_ids.clear();
        for (const auto &m : m_store->summaries(m_inbox))
            m_ids.append(m.id);
        std::sort(m_ids.begin(), m_ids.end());
    }

    void cleanup() { m_store.reset(); }

    void moveWithoutMoveFallsBackToCopyAndExpunge()
    {
        Journal journal(*m_store);
        QVERIFY(journal.move(span({m_ids[1]}), m_archive));
        QVERIFY(replay(QStringLiteral("journal-move-fallback.script"), JournalReplay::Error::None));
        QCOMPARE(m_lastReplayed, 1);
        QVERIFY(m_lastConflicts.isEmpty());
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(0));
        QCOMPARE(m_store->folderOf(m_ids[1]), m_archive);
        QCOMPARE(m_store->summary(m_ids[1])->uid, qint64(17)); // COPYUID, no placeholder left
    }

    void aVanishedMessageIsAConflictAndTheRestReplays()
    {
        Journal journal(*m_store);
        QVERIFY(journal.setFlags(span({m_ids[0], m_ids[1]}), tern::store::Seen, 0));
        QVERIFY(journal.move(span({m_ids[2]}), m_archive));
        QVERIFY(replay(QStringLiteral("journal-vanished.script"), JournalReplay::Error::None));
        QCOMPARE(m_lastReplayed, 1);
        QCOMPARE(m_lastConflicts.size(), 1);
        QVERIFY2(m_lastConflicts[0].reason.contains(QStringLiteral("no longer on the server"))
                     && m_lastConflicts[0].reason.contains(QStringLiteral("UID 2")),
                 qPrintable(m_lastConflicts[0].reason));
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(0));
        const QList<JournalEntry> conflicts = journal.conflicts(QStringLiteral("fake"));
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts[0].op, JournalEntry::Op::Flags);
        QCOMPARE(conflicts[0].error, m_lastConflicts[0].reason);
        QCOMPARE(m_store->summary(m_ids[2])->uid, qint64(31)); // from the untagged COPYUID of MOVE
    }

    void aMissingTargetFolderIsAConflictAndTheRestReplays()
    {
        Journal journal(*m_store);
        QVERIFY(journal.move(span({m_ids[0]}), m_projects));
        QVERIFY(journal.setFlags(span({m_ids[1]}), tern::store::Flagged, 0));
        QVERIFY(journal.append(QStringLiteral("fake"), QStringLiteral("Drafts"), "Subject: d\r\n\r\nx\r\n",
                               tern::store::Draft | tern::store::Seen) > 0);
        QVERIFY(replay(QStringLiteral("journal-trycreate.script"), JournalReplay::Error::None));
        QCOMPARE(m_lastReplayed, 2);
        QCOMPARE(m_lastConflicts.size(), 1);
        QVERIFY2(m_lastConflicts[0].reason.contains(QStringLiteral("\"Projects\" does not exist")),
                 qPrintable(m_lastConflicts[0].reason));
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(0));
        QCOMPARE(journal.conflicts(QStringLiteral("fake")).first().op, JournalEntry::Op::Move);
    }

    void aRecreatedFolderIsAConflict()
    {
        Journal journal(*m_store);
        QVERIFY(journal.setFlags(span({m_ids[0]}), tern::store::Seen, 0));
        QVERIFY(replay(QStringLiteral("journal-uidvalidity.script"), JournalReplay::Error::None));
        QCOMPARE(m_lastReplayed, 0);
        QCOMPARE(m_lastConflicts.size(), 1);
        QVERIFY2(m_lastConflicts[0].reason.contains(QStringLiteral("UIDVALIDITY 999, was 100")),
                 qPrintable(m_lastConflicts[0].reason));
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(0));
    }

    void aRefusedChangeIsAConflictWithTheServersReason()
    {
        Journal journal(*m_store);
        QVERIFY(journal.setFlags(span({m_ids[0]}), 0, 0, {QStringLiteral("$Important")}));
        QVERIFY(journal.setFlags(span({m_ids[1]}), 0, tern::store::Seen));
        QVERIFY(replay(QStringLiteral("journal-store-refused.script"), JournalReplay::Error::None));
        QCOMPARE(m_lastReplayed, 1);
        QCOMPARE(m_lastConflicts.size(), 1);
        QVERIFY2(m_lastConflicts[0].reason.contains(QStringLiteral("Keywords not permitted")),
                 qPrintable(m_lastConflicts[0].reason));
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(0));
        // The local change stays as the user made it; the next sync brings the server's state.
        QCOMPARE(m_store->summary(m_ids[0])->keywords, QStringList{QStringLiteral("$Important")});
    }

    void aDropMidRowKeepsThatRowAndTheRest()
    {
        Journal journal(*m_store);
        QVERIFY(journal.setFlags(span({m_ids[0]}), tern::store::Seen, 0));
        QVERIFY(journal.move(span({m_ids[1]}), m_archive));
        QVERIFY(replay(QStringLiteral("journal-drop.script"), JournalReplay::Error::Connection));
        QCOMPARE(m_lastReplayed, 0);
        QVERIFY(m_lastConflicts.isEmpty());
        const QList<JournalEntry> rows = journal.pending(QStringLiteral("fake"));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].op, JournalEntry::Op::Flags);
        QCOMPARE(rows[1].op, JournalEntry::Op::Move);
    }

    void anUnreachableServerKeepsEveryRow()
    {
        Journal journal(*m_store);
        QVERIFY(journal.setFlags(span({m_ids[0]}), tern::store::Seen, 0));
        QVERIFY(journal.move(span({m_ids[1]}), m_archive));
        quint16 port = 0;
        {
            QTcpServer probe; // a port nothing listens on any more
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        JournalReplay replay(account(port), "p", m_store.get());
        QSignalSpy finished(&replay, &JournalReplay::finished);
        replay.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(replay.error(), JournalReplay::Error::Connection);
        QCOMPARE(replay.remainingCount(), 2);
        QCOMPARE(journal.pendingCount(QStringLiteral("fake")), qint64(2));
        QVERIFY(journal.conflicts(QStringLiteral("fake")).isEmpty());
    }

    void nothingPendingMeansNoConnection()
    {
        // Port 1 on loopback: a connection attempt would fail; the replay must not make one.
        JournalReplay replay(account(1), "p", m_store.get());
        QSignalSpy finished(&replay, &JournalReplay::finished);
        replay.start();
        QVERIFY(finished.wait(5000));
        QCOMPARE(replay.error(), JournalReplay::Error::None);
        QCOMPARE(replay.replayedCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJournalReplayScripted)
#include "tst_journalreplay_scripted.moc"
