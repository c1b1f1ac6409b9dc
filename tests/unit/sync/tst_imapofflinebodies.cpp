// SPDX-License-Identifier: GPL-3.0-or-later
// ImapOfflineBodies against scripted servers: bodies arrive in batches with BODY.PEEK and are committed one by
// one, so a connection lost mid-batch keeps what came and the next run asks only for the rest; a folder whose
// UIDVALIDITY moved is skipped, not filled with other messages' bodies; folders that are not offline are
// never asked for.
#include "fakeserver.h"

#include "store/store.h"
#include "sync/imapofflinebodies.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tern::sync::ImapOfflineBodies;
using tern::test::FakeServer;

namespace {

const QByteArray kLogin = "S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] fake.test ready\n"
                          "C: A1 AUTHENTICATE PLAIN AHUAcA==\n"
                          "S: A1 OK [CAPABILITY IMAP4rev1 SASL-IR] logged in\n";

// One FETCH response carrying the whole message "Subject: <subject>\r\n" as a literal.
QByteArray fetchLine(int uid, const QByteArray &subject)
{
    const QByteArray body = "Subject: " + subject + "\r\n";
    return "S: * " + QByteArray::number(uid) + " FETCH (UID " + QByteArray::number(uid) + " BODY[] {"
           + QByteArray::number(body.size()) + "}\nS: Subject: " + subject + "\nS: )\n";
}

} // namespace

class TestImapOfflineBodies : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    tern::store::Store m_store;
    QHash<qint64, qint64> m_ids; // uid -> message id

    qint64 addFolder(const QString &path, qint64 uidValidity, const QList<qint64> &uids)
    {
        tern::store::Folder f;
        f.account = QStringLiteral("fake");
        f.path = path;
        const qint64 id = m_store.saveFolder(f);
        m_store.setFolderSyncState(id, uidValidity, uids.last() + 1, 0);
        QList<tern::store::MessageSummary> summaries;
        for (qint64 uid : uids) {
            tern::store::MessageSummary m;
            m.uid = uid;
            m.subject = QStringLiteral("message %1").arg(uid);
            summaries.append(m);
        }
        m_store.insertSummaries(id, summaries);
        for (const auto &m : m_store.summaries(id))
            m_ids.insert(m.uid, m.id);
        return id;
    }

    ImapOfflineBodies::Error run(const QByteArray &script, ImapOfflineBodies **keep = nullptr)
    {
        FakeServer server;
        if (!server.setScript(script) || !server.start())
            return ImapOfflineBodies::Error::Connection;
        tern::accounts::Account a;
        a.name = QStringLiteral("fake");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = {QStringLiteral("127.0.0.1"), server.port(), tern::accounts::Security::None, {}, QStringLiteral("u")};
        a.options.offlineFolders = {QStringLiteral("INBOX"), QStringLiteral("Lists")};
        auto *op = new ImapOfflineBodies(a, "p", &m_store, this);
        op->setBatchSize(2);
        QSignalSpy finished(op, &ImapOfflineBodies::finished);
        op->start();
        if (!finished.wait(20000))
            return ImapOfflineBodies::Error::Timeout;
        if (!server.failure().isEmpty()) {
            qWarning() << "script failed:" << server.failure();
            return ImapOfflineBodies::Error::Protocol;
        }
        if (keep)
            *keep = op;
        return op->error();
    }

    std::optional<QByteArray> body(qint64 uid) { return m_store.body(m_ids.value(uid)); }

private Q_SLOTS:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("store.sqlite"));
        QVERIFY(m_store.open(m_path));
        addFolder(QStringLiteral("INBOX"), 100, {1, 2, 3});
        addFolder(QStringLiteral("Lists"), 7, {5});
        addFolder(QStringLiteral("Archive"), 9, {9}); // not offline
    }

    void cutMidBatchKeepsWhatCame()
    {
        const QByteArray script = kLogin
                                  + "C: A2 EXAMINE INBOX\nS: * 3 EXISTS\nS: * OK [UIDVALIDITY 100] ok\n"
                                    "S: A2 OK [READ-ONLY] done\n"
                                    "C: A3 UID FETCH 2:3 (UID BODY.PEEK[])\n"
                                  + fetchLine(3, "three") + "!close\n";
        ImapOfflineBodies *op = nullptr;
        QCOMPARE(run(script, &op), ImapOfflineBodies::Error::Connection);
        QCOMPARE(op->downloadedCount(), qint64(1));
        QCOMPARE(body(3), std::optional<QByteArray>("Subject: three\r\n"));
        QVERIFY(!body(2) && !body(1) && !body(5) && !body(9));
    }

    void nextRunAsksOnlyForTheRestAndSkipsARenumberedFolder()
    {
        const QByteArray script = kLogin
                                  + "C: A2 EXAMINE INBOX\nS: * 3 EXISTS\nS: * OK [UIDVALIDITY 100] ok\n"
                                    "S: A2 OK [READ-ONLY] done\n"
                                    "C: A3 UID FETCH 1:2 (UID BODY.PEEK[])\n"
                                  + fetchLine(2, "two") + fetchLine(1, "one")
                                  + "S: A3 OK done\n"
                                    "C: A4 EXAMINE Lists\nS: * 1 EXISTS\nS: * OK [UIDVALIDITY 8] renumbered\n"
                                    "S: A4 OK [READ-ONLY] done\n"
                                    "C: A5 LOGOUT\nS: * BYE bye\nS: A5 OK done\n!close\n";
        ImapOfflineBodies *op = nullptr;
        QCOMPARE(run(script, &op), ImapOfflineBodies::Error::None);
        QCOMPARE(op->downloadedCount(), qint64(2));
        QCOMPARE(op->skippedFolders(), QStringList{QStringLiteral("Lists")});
        QCOMPARE(body(1), std::optional<QByteArray>("Subject: one\r\n"));
        QCOMPARE(body(2), std::optional<QByteArray>("Subject: two\r\n"));
        QCOMPARE(body(3), std::optional<QByteArray>("Subject: three\r\n"));
        QVERIFY(!body(5)); // UID 5 of UIDVALIDITY 7 is not UID 5 of 8
        QVERIFY(!body(9));
    }

    // A server that sends a body for a UID that was not asked for (or one from another folder's numbering)
    // does not get it stored under any message.
    void unaskedBodiesAreIgnored()
    {
        const QByteArray script = kLogin
                                  + "C: A2 EXAMINE Lists\nS: * OK [UIDVALIDITY 7] ok\nS: A2 OK [READ-ONLY] done\n"
                                    "C: A3 UID FETCH 5 (UID BODY.PEEK[])\n"
                                  + fetchLine(9, "not asked") + fetchLine(5, "five")
                                  + "S: A3 OK done\nC: A4 LOGOUT\nS: * BYE bye\nS: A4 OK done\n!close\n";
        ImapOfflineBodies *op = nullptr;
        QCOMPARE(run(script, &op), ImapOfflineBodies::Error::None);
        QCOMPARE(op->downloadedCount(), qint64(1));
        QCOMPARE(body(5), std::optional<QByteArray>("Subject: five\r\n"));
        QVERIFY(!body(9));
    }

    // Nothing missing: no connection at all.
    void nothingToDoConnectsNowhere()
    {
        FakeServer server;
        QVERIFY(server.setScript(kLogin) && server.start());
        tern::accounts::Account a;
        a.name = QStringLiteral("fake");
        a.incoming = {QStringLiteral("127.0.0.1"), server.port(), tern::accounts::Security::None, {}, QStringLiteral("u")};
        a.options.offlineFolders = {QStringLiteral("INBOX")};
        ImapOfflineBodies op(a, "p", &m_store);
        QSignalSpy finished(&op, &ImapOfflineBodies::finished);
        op.start();
        QVERIFY(finished.wait(5000));
        QCOMPARE(op.error(), ImapOfflineBodies::Error::None);
        QCOMPARE(op.downloadedCount(), qint64(0));
        QVERIFY(server.clientLines().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestImapOfflineBodies)
#include "tst_imapofflinebodies.moc"
