// SPDX-License-Identifier: GPL-3.0-or-later
// ImapSync against the lab's Dovecot (QRESYNC, CONDSTORE, LIST-EXTENDED, SPECIAL-USE, ESEARCH): a first sync
// matches what was appended, a second one applies another client's new mail, flag changes and expunges, a
// recreated folder (new UIDVALIDITY) is dropped and synced again, and folders carry their special-use roles.
#include "labenv.h"
#include "labimap.h"

#include "store/store.h"
#include "sync/imapidle.h"
#include "sync/imapsync.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QtCrypto>

using tern::store::MessageSummary;
using tern::sync::ImapSync;
using tern::test::LabEnv;
using tern::test::LabImap;
namespace cmd = tern::imap::commands;

namespace {

QByteArray message(const QByteArray &from, const QByteArray &subject, const QByteArray &body = "hello\r\n")
{
    return "From: " + from + "\r\nTo: Fred <fred@lab.test>\r\nSubject: " + subject
        + "\r\nDate: Wed, 17 Jul 2024 02:23:25 +0200\r\nMessage-ID: <" + QByteArray::number(qHash(subject))
        + "@lab.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body;
}

} // namespace

class TestImapSyncLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    tern::accounts::Account account(const LabEnv::User &user) const
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("lab");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming.host = m_lab.host();
        a.incoming.port = m_lab.port(QStringLiteral("IMAPS"));
        a.incoming.security = tern::accounts::Security::Tls;
        a.incoming.user = user.address;
        a.caFile = m_lab.caFile();
        return a;
    }

    struct Run
    {
        ImapSync::Error error = ImapSync::Error::None;
        QString errorString;
        qint64 added = 0, updated = 0, removed = 0;
        int folders = 0;
        QList<std::pair<qint64, qint64>> progress;
    };

    Run sync(const LabEnv::User &user, const QString &storePath, const QString &folder = {}, int batch = 2000)
    {
        ImapSync s(account(user), user.password.toUtf8(), storePath);
        if (!folder.isEmpty())
            s.setFolder(folder);
        s.setBatchSize(batch);
        Run r;
        connect(&s, &ImapSync::progress, this, [&r](qint64 done, qint64 total) { r.progress.append({done, total}); });
        QSignalSpy finished(&s, &ImapSync::finished);
        s.start();
        if (!finished.wait(60000)) {
            r.error = ImapSync::Error::Timeout;
            return r;
        }
        r.error = s.error();
        r.errorString = s.errorString();
        r.added = s.addedCount();
        r.updated = s.updatedCount();
        r.removed = s.removedCount();
        r.folders = s.folderCount();
        return r;
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

    void coldSyncMatchesWhatWasAppended()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("isynccold"));
        QList<QByteArray> sent;
        {
            LabImap other(m_lab, user.address, user.password);
            QVERIFY(other.isLoggedIn());
            for (int i = 1; i <= 7; ++i) {
                const QByteArray from = "Sender " + QByteArray::number(i) + " <s" + QByteArray::number(i) + "@example.com>";
                sent.append(message(from, "Subject " + QByteArray::number(i), QByteArray(i * 100, 'x') + "\r\n"));
                const QList<QByteArray> flags = i % 2 ? QList<QByteArray>{"\\Seen"} : QList<QByteArray>{"\\Flagged", "$Work"};
                QVERIFY(other.append("INBOX", sent.last(), flags) != 0);
            }
        }
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        const Run r = sync(user, path, QStringLiteral("INBOX"), 3); // batches of 3: 7 messages in three commits
        QCOMPARE(r.error, ImapSync::Error::None);
        QCOMPARE(r.added, qint64(7));
        QCOMPARE(r.folders, 1);
        QVERIFY(!r.progress.isEmpty());
        QCOMPARE(r.progress.last(), (std::pair<qint64, qint64>(7, 7)));

        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto inbox = store.folder(QStringLiteral("lab"), QStringLiteral("INBOX"));
        QVERIFY(inbox);
        QVERIFY(inbox->uidValidity != 0);
        QVERIFY(inbox->uidNext > 7);
        QVERIFY(inbox->highestModSeq != 0);
        const auto got = bySubject(store, inbox->id);
        QCOMPARE(got.size(), 7);
        for (int i = 1; i <= 7; ++i) {
            const MessageSummary m = got.value(QStringLiteral("Subject %1").arg(i));
            QCOMPARE(m.fromName, QStringLiteral("Sender %1").arg(i));
            QCOMPARE(m.fromAddress, QStringLiteral("s%1@example.com").arg(i));
            QCOMPARE(m.to, QStringLiteral("Fred <fred@lab.test>"));
            QCOMPARE(m.size, qint64(sent[i - 1].size()));
            QCOMPARE(m.flags, quint32(i % 2 ? tern::store::Seen : tern::store::Flagged));
            QCOMPARE(m.keywords, i % 2 ? QStringList() : QStringList{QStringLiteral("$Work")});
            QCOMPARE(m.date, QDateTime(QDate(2024, 7, 17), QTime(0, 23, 25), QTimeZone::UTC).toSecsSinceEpoch());
            QVERIFY(!m.hasAttachments);
        }
        // Batches commit one after another (Dovecot may answer two pipelined FETCHes together, so a commit can
        // hold more than one), newest first: the newest message went into the store before the oldest.
        QVERIFY(r.progress.size() >= 3);
        for (qsizetype i = 1; i < r.progress.size(); ++i)
            QVERIFY(r.progress[i].first >= r.progress[i - 1].first);
        qint64 newestId = 0, oldestId = 0;
        for (const MessageSummary &m : got) {
            if (m.subject == QLatin1StringView("Subject 7"))
                newestId = m.id;
            if (m.subject == QLatin1StringView("Subject 1"))
                oldestId = m.id;
        }
        QVERIFY(newestId != 0 && oldestId != 0);
        QVERIFY(newestId < oldestId);
    }

    void secondSyncAppliesAnotherClientsChanges()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("isyncincr"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        QList<quint32> uids;
        for (int i = 1; i <= 5; ++i)
            uids.append(other.append("INBOX", message("a@example.com", "Old " + QByteArray::number(i))));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        QCOMPARE(sync(user, path).error, ImapSync::Error::None);

        // Elsewhere: two new messages, a flag set, a flag cleared, one expunged.
        QVERIFY(other.append("INBOX", message("b@example.com", "New 1")));
        QVERIFY(other.append("INBOX", message("b@example.com", "New 2")));
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidStore({{uids[0], uids[0]}}, cmd::StoreMode::Add, {"\\Flagged", "$Todo"})));
        QVERIFY(other.run(cmd::uidStore({{uids[1], uids[1]}}, cmd::StoreMode::Add, {"\\Deleted"})));
        QVERIFY(other.run(cmd::uidExpunge({{uids[1], uids[1]}})));

        const Run r = sync(user, path);
        QCOMPARE(r.error, ImapSync::Error::None);
        QCOMPARE(r.added, qint64(2));
        QCOMPARE(r.removed, qint64(1));
        QVERIFY(r.updated >= 1);

        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto inbox = store.folder(QStringLiteral("lab"), QStringLiteral("INBOX"));
        const auto got = bySubject(store, inbox->id);
        QCOMPARE(got.size(), 6);
        QVERIFY(!got.contains(QStringLiteral("Old 2")));
        QVERIFY(got.contains(QStringLiteral("New 1")) && got.contains(QStringLiteral("New 2")));
        QCOMPARE(got.value(QStringLiteral("Old 1")).flags, quint32(tern::store::Flagged));
        QCOMPARE(got.value(QStringLiteral("Old 1")).keywords, QStringList{QStringLiteral("$Todo")});
        QCOMPARE(store.messageCount(inbox->id), qint64(6));

        // Clearing a flag, then a third sync with nothing else changed.
        QVERIFY(other.run(cmd::uidStore({{uids[0], uids[0]}}, cmd::StoreMode::Remove, {"\\Flagged"})));
        const Run third = sync(user, path);
        QCOMPARE(third.error, ImapSync::Error::None);
        QCOMPARE(third.added, qint64(0));
        QCOMPARE(third.removed, qint64(0));
        QCOMPARE(bySubject(store, inbox->id).value(QStringLiteral("Old 1")).flags, quint32(0));
        const Run fourth = sync(user, path);
        QCOMPARE(fourth.added + fourth.removed + fourth.updated, qint64(0));
    }

    void newUidValidityDropsAndResyncs()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("isyncuidv"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        QVERIFY(other.run(cmd::create("Work", other.options())));
        QVERIFY(other.append("Work", message("a@example.com", "Before 1")));
        QVERIFY(other.append("Work", message("a@example.com", "Before 2")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        QCOMPARE(sync(user, path, QStringLiteral("Work")).error, ImapSync::Error::None);
        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto before = store.folder(QStringLiteral("lab"), QStringLiteral("Work"));
        QVERIFY(before);
        QCOMPARE(store.messageCount(before->id), qint64(2));

        QVERIFY(other.run(cmd::deleteMailbox("Work", other.options())));
        QVERIFY(other.run(cmd::create("Work", other.options())));
        QVERIFY(other.append("Work", message("a@example.com", "After 1")));
        QVERIFY(other.select("Work"));
        QVERIFY(quint32(before->uidValidity) != other.client().session().mailbox().uidValidity);

        const Run r = sync(user, path, QStringLiteral("Work"));
        QCOMPARE(r.error, ImapSync::Error::None);
        const auto after = store.folder(QStringLiteral("lab"), QStringLiteral("Work"));
        QCOMPARE(after->uidValidity, qint64(other.client().session().mailbox().uidValidity));
        const auto got = bySubject(store, after->id);
        QCOMPARE(got.keys(), QList<QString>{QStringLiteral("After 1")});
    }

    void foldersCarryRolesAndGoneOnesAreRemoved()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("isyncroles"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        QVERIFY(other.run(cmd::create("Projects", other.options())));
        QVERIFY(other.run(cmd::create("Projects/Old", other.options())));
        QVERIFY(other.append("Projects/Old", message("a@example.com", "unsubscribed folder")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        const Run r = sync(user, path);
        QCOMPARE(r.error, ImapSync::Error::None);
        tern::store::Store store;
        QVERIFY(store.open(path));
        QHash<QString, tern::store::Folder> folders;
        for (const tern::store::Folder &f : store.folders(QStringLiteral("lab")))
            folders.insert(f.path, f);
        QCOMPARE(folders.value(QStringLiteral("INBOX")).role, QStringLiteral("inbox"));
        QCOMPARE(folders.value(QStringLiteral("Sent")).role, QStringLiteral("sent"));
        QCOMPARE(folders.value(QStringLiteral("Drafts")).role, QStringLiteral("drafts"));
        QCOMPARE(folders.value(QStringLiteral("Trash")).role, QStringLiteral("trash"));
        QCOMPARE(folders.value(QStringLiteral("Junk")).role, QStringLiteral("junk"));
        QVERIFY(folders.contains(QStringLiteral("Projects/Old")));
        QCOMPARE(folders.value(QStringLiteral("Projects/Old")).role, QString());
        QCOMPARE(folders.value(QStringLiteral("Projects/Old")).delimiter, QStringLiteral("/"));
        // Listed but not subscribed: known as a folder, its messages not synced.
        QVERIFY(!folders.value(QStringLiteral("Projects/Old")).subscribed);
        QCOMPARE(store.messageCount(folders.value(QStringLiteral("Projects/Old")).id), qint64(0));

        // --folder syncs one folder whether subscribed or not.
        QCOMPARE(sync(user, path, QStringLiteral("Projects/Old")).added, qint64(1));
        QCOMPARE(sync(user, path, QStringLiteral("Nope")).error, ImapSync::Error::NoSuchFolder);

        QVERIFY(other.run(cmd::deleteMailbox("Projects/Old", other.options())));
        QCOMPARE(sync(user, path).error, ImapSync::Error::None);
        QVERIFY(!store.folder(QStringLiteral("lab"), QStringLiteral("Projects/Old")));
        QVERIFY(store.folder(QStringLiteral("lab"), QStringLiteral("Projects")));
    }

    void idleAppliesPushesToTheStore()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("isyncidle"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        const quint32 first = other.append("INBOX", message("a@example.com", "Before idle"));
        QVERIFY(first);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("store.sqlite"));
        QCOMPARE(sync(user, path, QStringLiteral("INBOX")).error, ImapSync::Error::None);

        tern::sync::ImapIdle idle(account(user), user.password.toUtf8(), path);
        QSignalSpy idling(&idle, &tern::sync::ImapIdle::idling);
        QSignalSpy newMail(&idle, &tern::sync::ImapIdle::newMail);
        QSignalSpy finished(&idle, &tern::sync::ImapIdle::finished);
        idle.start();
        QVERIFY(idling.wait(20000));

        QVERIFY(other.append("INBOX", message("b@example.com", "Pushed")));
        QVERIFY(newMail.wait(20000));
        QCOMPARE(newMail.first().first().toLongLong(), qint64(1));
        tern::store::Store store;
        QVERIFY(store.open(path));
        const auto inbox = store.folder(QStringLiteral("lab"), QStringLiteral("INBOX"));
        QVERIFY(bySubject(store, inbox->id).contains(QStringLiteral("Pushed")));

        // A flag set elsewhere arrives as a FETCH push and lands in the store; so does an expunge.
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidStore({{first, first}}, cmd::StoreMode::Add, {"\\Flagged"})));
        QTRY_COMPARE_WITH_TIMEOUT(bySubject(store, inbox->id).value(QStringLiteral("Before idle")).flags,
                                  quint32(tern::store::Flagged), 20000);
        QVERIFY(other.run(cmd::uidStore({{first, first}}, cmd::StoreMode::Add, {"\\Deleted"})));
        QVERIFY(other.run(cmd::uidExpunge({{first, first}})));
        QTRY_VERIFY_WITH_TIMEOUT(!bySubject(store, inbox->id).contains(QStringLiteral("Before idle")), 20000);

        idle.stop();
        QVERIFY(finished.wait(20000));
        QCOMPARE(idle.error(), tern::sync::ImapIdle::Error::None);
    }

    void wrongPasswordIsTheContractsLine()
    {
        LabEnv::User user = m_lab.createUser(QStringLiteral("isyncauth"));
        user.password += QStringLiteral("-wrong");
        QTemporaryDir dir;
        const Run r = sync(user, dir.filePath(QStringLiteral("store.sqlite")));
        QCOMPARE(r.error, ImapSync::Error::Authentication);
        QVERIFY2(r.errorString.startsWith(QStringLiteral("authentication failed: server said ")), qPrintable(r.errorString));
    }
};

QTEST_GUILESS_MAIN(TestImapSyncLab)
#include "tst_imapsync_lab.moc"
