// SPDX-License-Identifier: GPL-3.0-or-later
// The offline journal against the lab's Dovecot: mark read, flag, move, delete to Trash and delete for good
// while the server is out of reach (a wrong port: the rows stay), then a sync replays them first; another,
// independent session finds each change on the server exactly once, and the local copies hold the server's
// UIDs (COPYUID) so the sync does not store them twice.
#include "labenv.h"
#include "labimap.h"

#include "models/messageoperations.h"
#include "store/journal.h"
#include "store/store.h"
#include "sync/imapsync.h"
#include "sync/journalreplay.h"

#include <QLockFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using tern::store::MessageSummary;
using tern::sync::ImapSync;
using tern::sync::JournalReplay;
using tern::test::LabEnv;
using tern::test::LabImap;
namespace cmd = tern::imap::commands;

namespace {

QByteArray message(const QByteArray &subject)
{
    return "From: Sender <sender@example.com>\r\nTo: Fred <fred@lab.test>\r\nSubject: " + subject
        + "\r\nDate: Wed, 17 Jul 2024 02:23:25 +0200\r\nMessage-ID: <" + subject + "@lab.test>\r\n\r\nhello\r\n";
}

struct ServerMessage
{
    quint32 uid = 0;
    QList<QByteArray> flags;
};

// Subject -> every message with it in the mailbox, as another client sees it.
QMultiHash<QByteArray, ServerMessage> serverFolder(LabImap &imap, const QByteArray &mailbox)
{
    QMultiHash<QByteArray, ServerMessage> out;
    if (!imap.select(mailbox))
        return out;
    if (!imap.run(cmd::uidFetch({{1, tern::imap::SequenceSet::Star}}, {"UID", "FLAGS", "ENVELOPE"})))
        return out;
    for (const tern::imap::Response &r : imap.untagged()) {
        if (const auto *f = r.get<tern::imap::FetchData>(); f && f->uid && f->envelope)
            out.insert(f->envelope->subject, {*f->uid, f->flags.value_or(QList<QByteArray>())});
    }
    return out;
}

} // namespace

class TestJournalLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;
    QTemporaryDir m_dir;

    tern::accounts::Account account(const LabEnv::User &user, quint16 port = 0) const
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("lab");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming.host = m_lab.host();
        a.incoming.port = port ? port : m_lab.port(QStringLiteral("IMAPS"));
        a.incoming.security = tern::accounts::Security::Tls;
        a.incoming.user = user.address;
        a.caFile = m_lab.caFile();
        return a;
    }

    bool sync(const LabEnv::User &user, const QString &storePath, ImapSync::Error expected, int *replayed = nullptr,
              int *conflicts = nullptr)
    {
        ImapSync s(account(user), user.password.toUtf8(), storePath);
        QSignalSpy finished(&s, &ImapSync::finished);
        s.start();
        if (!finished.wait(60000))
            return false;
        if (s.error() != expected)
            qWarning() << "sync:" << s.error() << s.errorString();
        if (replayed)
            *replayed = s.journalReplayedCount();
        if (conflicts)
            *conflicts = s.journalConflictCount();
        return s.error() == expected;
    }

    static QHash<QString, MessageSummary> bySubject(tern::store::Store &store, qint64 folderId)
    {
        QHash<QString, MessageSummary> out;
        for (const MessageSummary &m : store.summaries(folderId))
            out.insert(m.subject, m);
        return out;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void offlineChangesReachTheServerExactlyOnce()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("journal"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        // Either may exist already (NO [ALREADYEXISTS]); without CREATE-SPECIAL-USE, "Trash" by name will do.
        other.run(cmd::create("Archive", other.options()));
        if (!other.run(cmd::create("Trash", other.options(), "\\Trash")))
            other.run(cmd::create("Trash", other.options()));
        QVERIFY(other.run(cmd::subscribe("Archive", other.options())));
        QVERIFY(other.run(cmd::subscribe("Trash", other.options())));
        for (const QByteArray subject : {"read-me", "flag-me", "move-me", "trash-me", "destroy-me", "untouched"})
            QVERIFY(other.append("INBOX", message(subject)) != 0);

        const QString path = m_dir.filePath(QStringLiteral("journal.sqlite"));
        QVERIFY(sync(user, path, ImapSync::Error::None));

        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto inbox = store.folder(QStringLiteral("lab"), QStringLiteral("INBOX"));
        const auto archive = store.folder(QStringLiteral("lab"), QStringLiteral("Archive"));
        QVERIFY(inbox && archive);
        auto local = bySubject(store, inbox->id);
        QCOMPARE(local.size(), 6);

        // The user's changes, through the window's own path; the server is not told yet.
        tern::models::MessageOperations ops(&store);
        ops.setServerAccounts({QStringLiteral("lab")});
        QSignalSpy journalChanged(&ops, &tern::models::MessageOperations::journalChanged);
        QVERIFY(ops.setRead({local[QStringLiteral("read-me")].id}, true));
        QVERIFY(ops.setFlagged({local[QStringLiteral("flag-me")].id}, true));
        QVERIFY(ops.move({local[QStringLiteral("move-me")].id}, archive->id));
        QVERIFY(ops.remove({local[QStringLiteral("trash-me")].id}, *inbox)); // to Trash
        const auto trash = ops.trashFolder(QStringLiteral("lab"));
        QVERIFY(trash);
        QVERIFY(ops.remove({local[QStringLiteral("destroy-me")].id}, *inbox));
        QVERIFY(ops.remove({local[QStringLiteral("destroy-me")].id}, *trash)); // from Trash: for good
        QCOMPARE(journalChanged.size(), 6);
        tern::store::Journal journal(store);
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(6));

        // Offline: nothing listens on that port. The rows stay, nothing is marked as a conflict.
        quint16 closed = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closed = probe.serverPort();
        }
        {
            JournalReplay replay(account(user, closed), user.password.toUtf8(), &store);
            QSignalSpy finished(&replay, &JournalReplay::finished);
            replay.start();
            QVERIFY(finished.wait(30000));
            QCOMPARE(replay.error(), JournalReplay::Error::Connection);
        }
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(6));
        QVERIFY(journal.conflicts(QStringLiteral("lab")).isEmpty());
        auto server = serverFolder(other, "INBOX");
        QCOMPARE(server.size(), 6); // untouched so far

        // Back online: the sync replays the journal first, then syncs.
        int replayed = 0, conflicts = -1;
        QVERIFY(sync(user, path, ImapSync::Error::None, &replayed, &conflicts));
        QCOMPARE(replayed, 6);
        QCOMPARE(conflicts, 0);
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(0));

        server = serverFolder(other, "INBOX");
        QCOMPARE(server.size(), 3);
        QVERIFY(server.value("read-me").flags.contains("\\Seen"));
        QVERIFY(!server.value("read-me").flags.contains("\\Flagged"));
        QVERIFY(server.value("flag-me").flags.contains("\\Flagged"));
        QVERIFY(!server.value("flag-me").flags.contains("\\Seen"));
        QVERIFY(server.contains("untouched"));
        const auto archived = serverFolder(other, "Archive");
        QCOMPARE(archived.count("move-me"), 1);
        QCOMPARE(archived.size(), 1);
        const auto trashed = serverFolder(other, trash->path.toUtf8());
        QCOMPARE(trashed.count("trash-me"), 1);
        QCOMPARE(trashed.size(), 1); // destroy-me went through Trash and out of it

        // The local copies: the server's UIDs, nothing stored twice by the sync, the flags as the user set them.
        local = bySubject(store, archive->id);
        QCOMPARE(local.size(), 1);
        QCOMPARE(local[QStringLiteral("move-me")].uid, qint64(archived.value("move-me").uid));
        QCOMPARE(store.messageCount(trash->id), qint64(1));
        local = bySubject(store, inbox->id);
        QCOMPARE(local.size(), 3);
        QVERIFY(local[QStringLiteral("read-me")].flags & tern::store::Seen);
        QVERIFY(local[QStringLiteral("flag-me")].flags & tern::store::Flagged);

        // A second run has nothing to send: no change applied twice.
        QVERIFY(sync(user, path, ImapSync::Error::None, &replayed, &conflicts));
        QCOMPARE(replayed, 0);
        QCOMPARE(serverFolder(other, "Archive").size(), 1);
    }

    void aMessageGoneOnTheServerIsAConflictNotALoss()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("journalgone"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        const quint32 goneUid = other.append("INBOX", message("gone"));
        QVERIFY(goneUid != 0);
        QVERIFY(other.append("INBOX", message("kept")) != 0);
        const QString path = m_dir.filePath(QStringLiteral("gone.sqlite"));
        QVERIFY(sync(user, path, ImapSync::Error::None));

        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto inbox = store.folder(QStringLiteral("lab"), QStringLiteral("INBOX"));
        QVERIFY(inbox);
        const auto local = bySubject(store, inbox->id);
        tern::models::MessageOperations ops(&store);
        ops.setServerAccounts({QStringLiteral("lab")});
        QVERIFY(ops.setFlagged({local[QStringLiteral("gone")].id}, true));
        QVERIFY(ops.setFlagged({local[QStringLiteral("kept")].id}, true));

        // Meanwhile another client expunges "gone".
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidStore({{goneUid, goneUid}}, cmd::StoreMode::Add, {"\\Deleted"})));
        QVERIFY(other.run(cmd::uidExpunge({{goneUid, goneUid}})));

        JournalReplay replay(account(user), user.password.toUtf8(), &store);
        QSignalSpy conflictFound(&replay, &JournalReplay::conflictFound);
        QSignalSpy finished(&replay, &JournalReplay::finished);
        replay.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(replay.error(), JournalReplay::Error::None);
        QCOMPARE(replay.replayedCount(), 1);
        QCOMPARE(conflictFound.size(), 1);
        QVERIFY2(conflictFound.first().at(1).toString().contains(QStringLiteral("no longer on the server")),
                 qPrintable(conflictFound.first().at(1).toString()));
        const auto server = serverFolder(other, "INBOX");
        QCOMPARE(server.size(), 1);
        QVERIFY(server.value("kept").flags.contains("\\Flagged"));
        tern::store::Journal journal(store);
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(0));
        QCOMPARE(journal.conflicts(QStringLiteral("lab")).size(), 1);
    }

    // Another process (tern-cli, or the window) holds the account's replay lock: a replayer waits for it,
    // then sends only what is still pending; one that waits too long leaves the rows alone (isSkipped()).
    void aSecondReplayerWaitsForTheLock()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("journallock"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        const QString path = m_dir.filePath(QStringLiteral("lock.sqlite"));
        QVERIFY(sync(user, path, ImapSync::Error::None));
        tern::store::Store store;
        QVERIFY(store.open(path));
        tern::store::Journal journal(store);
        QVERIFY(journal.append(QStringLiteral("lab"), QStringLiteral("INBOX"), message("locked"), 0) > 0);

        QLockFile held(JournalReplay::lockFilePath(path, QStringLiteral("lab")));
        QVERIFY(held.tryLock(0));
        {
            JournalReplay replay(account(user), user.password.toUtf8(), &store);
            replay.setLockWait(300);
            QSignalSpy finished(&replay, &JournalReplay::finished);
            replay.start();
            QVERIFY(finished.wait(30000));
            QVERIFY(replay.isSkipped());
            QCOMPARE(replay.error(), JournalReplay::Error::None);
            QCOMPARE(replay.replayedCount(), 0);
        }
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(1));
        QVERIFY(serverFolder(other, "INBOX").isEmpty());

        // Released while the replayer waits: it goes on, after the release, and sends the row once.
        bool released = false;
        JournalReplay replay(account(user), user.password.toUtf8(), &store);
        replay.setLockWait(60000);
        QSignalSpy finished(&replay, &JournalReplay::finished);
        bool finishedAfterRelease = false;
        connect(&replay, &JournalReplay::finished, this, [&] { finishedAfterRelease = released; });
        replay.start();
        QTimer::singleShot(300, this, [&] {
            released = true;
            held.unlock();
        });
        QVERIFY(finished.wait(30000));
        QVERIFY(finishedAfterRelease);
        QVERIFY(!replay.isSkipped());
        QCOMPARE(replay.error(), JournalReplay::Error::None);
        QCOMPARE(replay.replayedCount(), 1);
        QCOMPARE(serverFolder(other, "INBOX").count("locked"), 1);
        QCOMPARE(journal.pendingCount(QStringLiteral("lab")), qint64(0));
    }

    // A replayer killed while holding the lock leaves its file behind: the next one takes it over at once
    // (the owner's process id is gone) rather than waiting for the lock wait to run out.
    void aDeadReplayersLockIsTakenOver()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("journalstale"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        const QString path = m_dir.filePath(QStringLiteral("stale.sqlite"));
        QVERIFY(sync(user, path, ImapSync::Error::None));
        tern::store::Store store;
        QVERIFY(store.open(path));
        QVERIFY(tern::store::Journal(store).append(QStringLiteral("lab"), QStringLiteral("INBOX"), message("stale"), 0) > 0);

        const QString lockPath = JournalReplay::lockFilePath(path, QStringLiteral("lab"));
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            QLockFile lock(lockPath);
            if (lock.tryLock(0))
                raise(SIGKILL); // dies holding it: QLockFile's destructor never runs
            _exit(1);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        QVERIFY(QFile::exists(lockPath));

        JournalReplay replay(account(user), user.password.toUtf8(), &store);
        replay.setLockWait(600000); // far beyond the test's wait: only a takeover finishes in time
        QSignalSpy finished(&replay, &JournalReplay::finished);
        replay.start();
        QVERIFY(finished.wait(30000));
        QVERIFY(!replay.isSkipped());
        QCOMPARE(replay.replayedCount(), 1);
        QCOMPARE(serverFolder(other, "INBOX").count("stale"), 1);
    }
};

QTEST_GUILESS_MAIN(TestJournalLab)
#include "tst_journal_lab.moc"
