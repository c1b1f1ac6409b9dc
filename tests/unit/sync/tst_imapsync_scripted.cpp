// SPDX-License-Identifier: GPL-3.0-or-later
// ImapSync against scripted servers (tests/data/scripts/imap/imapsync-*.script): the RFC 3501-only path of a
// server without CONDSTORE/QRESYNC, the CONDSTORE-only path, and a connection dropped in the middle of a batch, after which the next
// run completes the folder with no message lost and none stored twice.
#include "fakeserver.h"

#include "store/store.h"
#include "sync/imapsync.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tern::sync::ImapSync;
using tern::test::FakeServer;

class TestImapSyncScripted : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

    ImapSync::Error run(const QString &script, int batchSize, QString *errorString = nullptr)
    {
        FakeServer server;
        if (!server.loadScript(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/") + script)
            || !server.start())
            return ImapSync::Error::Connection;
        tern::accounts::Account a;
        a.name = QStringLiteral("fake");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = {QStringLiteral("127.0.0.1"), server.port(), tern::accounts::Security::None, {}, QStringLiteral("u")};
        ImapSync sync(a, "p", m_path);
        sync.setBatchSize(batchSize);
        QSignalSpy finished(&sync, &ImapSync::finished);
        sync.start();
        if (!finished.wait(20000))
            return ImapSync::Error::Timeout;
        if (!server.failure().isEmpty())
            qWarning() << "script" << script << "failed:" << server.failure();
        if (errorString)
            *errorString = sync.errorString();
        return server.failure().isEmpty() ? sync.error() : ImapSync::Error::Protocol;
    }

    QMap<QString, quint32> inbox()
    {
        tern::store::Store store;
        QMap<QString, quint32> out;
        if (!store.open(m_path))
            return out;
        const auto folder = store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"));
        if (!folder)
            return out;
        for (const auto &m : store.summaries(folder->id))
            out.insert(QStringLiteral("%1 %2").arg(m.uid).arg(m.subject), m.flags);
        return out;
    }

private slots:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    void withoutCondstoreOrQresync()
    {
        QCOMPARE(run(QStringLiteral("imapsync-plain-first.script"), 2), ImapSync::Error::None);
        using tern::store::Seen;
        using tern::store::Flagged;
        QCOMPARE(inbox(), (QMap<QString, quint32>{{QStringLiteral("1 one"), Seen}, {QStringLiteral("2 two"), Seen},
                                                  {QStringLiteral("3 three"), 0}}));
        {
            tern::store::Store store;
            QVERIFY(store.open(m_path));
            const auto f = store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"));
            QCOMPARE(f->uidValidity, qint64(100));
            QCOMPARE(f->uidNext, qint64(4));
            QCOMPARE(f->highestModSeq, qint64(0));
            // Without SPECIAL-USE, the well-known name gives the role; unsubscribed, it is listed, not synced.
            const auto sent = store.folder(QStringLiteral("fake"), QStringLiteral("Sent"));
            QVERIFY(sent);
            QCOMPARE(sent->role, QStringLiteral("sent"));
            QVERIFY(!sent->subscribed);
        }
        QCOMPARE(run(QStringLiteral("imapsync-plain-second.script"), 2), ImapSync::Error::None);
        QCOMPARE(inbox(), (QMap<QString, quint32>{{QStringLiteral("1 one"), Seen | Flagged},
                                                  {QStringLiteral("3 three"), 0}, {QStringLiteral("4 four"), 0}}));
    }

    void condstoreWithoutQresync()
    {
        using tern::store::Seen;
        using tern::store::Flagged;
        QCOMPARE(run(QStringLiteral("imapsync-condstore-first.script"), 2), ImapSync::Error::None);
        {
            tern::store::Store store;
            QVERIFY(store.open(m_path));
            QCOMPARE(store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"))->highestModSeq, qint64(50));
        }
        QCOMPARE(run(QStringLiteral("imapsync-condstore-second.script"), 2), ImapSync::Error::None);
        QCOMPARE(inbox(), (QMap<QString, quint32>{{QStringLiteral("1 one"), Seen | Flagged},
                                                  {QStringLiteral("3 three"), 0}, {QStringLiteral("4 four"), 0}}));
        tern::store::Store store;
        QVERIFY(store.open(m_path));
        const auto f = store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"));
        QCOMPARE(f->uidNext, qint64(5));
        QCOMPARE(f->highestModSeq, qint64(60));
    }

    void dropMidBatchThenResume()
    {
        QString why;
        QCOMPARE(run(QStringLiteral("imapsync-drop-mid-batch.script"), 2, &why), ImapSync::Error::Connection);
        QVERIFY2(why.contains(QStringLiteral("127.0.0.1")), qPrintable(why));
        // The completed batch is committed; the cut one is not, and the folder is not marked as synced.
        QCOMPARE(inbox().keys(), (QStringList{QStringLiteral("2 two"), QStringLiteral("3 three")}));
        {
            tern::store::Store store;
            QVERIFY(store.open(m_path));
            QCOMPARE(store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"))->uidNext, qint64(0));
        }
        QCOMPARE(run(QStringLiteral("imapsync-after-drop.script"), 2), ImapSync::Error::None);
        using tern::store::Seen;
        QCOMPARE(inbox(), (QMap<QString, quint32>{{QStringLiteral("1 one"), Seen}, {QStringLiteral("2 two"), Seen},
                                                  {QStringLiteral("3 three"), Seen}}));
        tern::store::Store store;
        QVERIFY(store.open(m_path));
        const auto f = store.folder(QStringLiteral("fake"), QStringLiteral("INBOX"));
        QCOMPARE(store.messageCount(f->id), qint64(3));
        QCOMPARE(f->uidNext, qint64(4));
        QVERIFY(store.integrityCheck());
    }
};

QTEST_GUILESS_MAIN(TestImapSyncScripted)
#include "tst_imapsync_scripted.moc"
