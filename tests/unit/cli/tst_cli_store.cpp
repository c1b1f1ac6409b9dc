// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli folders | list | search | show --raw over a store filled the way sync fills it.
#include "clirunner.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCliStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;
    qint64 m_firstId = 0;
    const QByteArray m_raw = "From: Ada <ada@lab.test>\r\nSubject: Engines\r\n\r\nThe analytical engine.\r\n";

    using Result = tern::test::CliRunner::Result;

    Result run(const QStringList &args, const QByteArray &input = {})
    {
        return tern::test::CliRunner(QStringLiteral(TERN_CLI), m_profile.path()).run(args, input);
    }

private slots:
    void initTestCase()
    {
        const Result added = run({QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("Lab"),
                                  QStringLiteral("--email"), QStringLiteral("me@lab.test"),
                                  QStringLiteral("--incoming"), QStringLiteral("imap"),
                                  QStringLiteral("--incoming-host"), QStringLiteral("127.0.0.1"),
                                  QStringLiteral("--incoming-port"), QStringLiteral("993"),
                                  QStringLiteral("--incoming-security"), QStringLiteral("tls"),
                                  QStringLiteral("--smtp-host"), QStringLiteral("127.0.0.1"),
                                  QStringLiteral("--smtp-port"), QStringLiteral("465"),
                                  QStringLiteral("--smtp-security"), QStringLiteral("tls"),
                                  QStringLiteral("--user"), QStringLiteral("me@lab.test"),
                                  QStringLiteral("--password-stdin")},
                                 "pw\n");
        QVERIFY2(added.code == 0, added.err.constData());

        tern::store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        tern::store::Folder inbox;
        inbox.account = QStringLiteral("Lab");
        inbox.path = QStringLiteral("INBOX");
        inbox.role = QStringLiteral("inbox");
        const qint64 folder = store.saveFolder(inbox);
        tern::store::MessageSummary a;
        a.uid = 11;
        a.subject = QStringLiteral("Engines");
        a.fromName = QStringLiteral("Ada");
        a.fromAddress = QStringLiteral("ada@lab.test");
        a.to = QStringLiteral("me@lab.test");
        a.date = 1700000000; // 2023-11-14T22:13:20Z
        a.size = 71;
        a.flags = tern::store::Seen | tern::store::Flagged;
        a.keywords = {QStringLiteral("work")};
        a.hasAttachments = true;
        tern::store::MessageSummary b = a;
        b.uid = 12;
        b.subject = QStringLiteral("Looms");
        b.flags = 0;
        b.keywords.clear();
        b.hasAttachments = false;
        b.date = 1700000600;
        const QList<tern::store::MessageSummary> batch{a, b};
        QCOMPARE(store.insertSummaries(folder, batch), qint64(2));
        m_firstId = store.summaries(folder).last().id;
        QVERIFY(store.saveBody(m_firstId, m_raw, QStringLiteral("The analytical engine.")));
    }

    void listJsonHasTheContractFields()
    {
        const Result r = run({QStringLiteral("list"), QStringLiteral("Lab"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 2);
        const QJsonObject m = list.at(1).toObject(); // newest first: Engines is the older one
        QCOMPARE(m.value(QStringLiteral("id")).toInteger(), m_firstId);
        QCOMPARE(m.value(QStringLiteral("uid")).toInteger(), 11);
        QCOMPARE(m.value(QStringLiteral("from")).toString(), QStringLiteral("Ada <ada@lab.test>"));
        QCOMPARE(m.value(QStringLiteral("to")).toString(), QStringLiteral("me@lab.test"));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(), QStringLiteral("Engines"));
        QCOMPARE(m.value(QStringLiteral("date")).toString(), QStringLiteral("2023-11-14T22:13:20Z"));
        QCOMPARE(m.value(QStringLiteral("flags")).toArray(),
                 (QJsonArray{QStringLiteral("\\Seen"), QStringLiteral("\\Flagged"), QStringLiteral("work")}));
        QCOMPARE(m.value(QStringLiteral("size")).toInteger(), 71);
        QCOMPARE(m.value(QStringLiteral("has_attachments")).toBool(), true);
    }

    void foldersAndSearch()
    {
        Result r = run({QStringLiteral("folders"), QStringLiteral("Lab"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject inbox = QJsonDocument::fromJson(r.out).array().at(0).toObject();
        QCOMPARE(inbox.value(QStringLiteral("path")).toString(), QStringLiteral("INBOX"));
        QCOMPARE(inbox.value(QStringLiteral("total")).toInt(), 2);
        QCOMPARE(inbox.value(QStringLiteral("unread")).toInt(), 1);

        r = run({QStringLiteral("search"), QStringLiteral("Lab"), QStringLiteral("analytical"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray hits = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.at(0).toObject().value(QStringLiteral("subject")).toString(), QStringLiteral("Engines"));
        QCOMPARE(hits.at(0).toObject().value(QStringLiteral("folder")).toString(), QStringLiteral("INBOX"));
    }

    void showRawGivesTheExactBytes()
    {
        const Result r = run({QStringLiteral("show"), QStringLiteral("Lab"), QStringLiteral("--folder"),
                              QStringLiteral("INBOX"), QStringLiteral("--id"), QString::number(m_firstId),
                              QStringLiteral("--raw")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out, m_raw);
    }

    void unknownAccountOrFolderIsOneClearLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("mentions");
        QTest::newRow("account") << QStringList{QStringLiteral("list"), QStringLiteral("Nope")}
                                 << QByteArray("no account named \"Nope\"");
        QTest::newRow("folder") << QStringList{QStringLiteral("list"), QStringLiteral("Lab"), QStringLiteral("--folder"),
                                               QStringLiteral("Archive")}
                                << QByteArray("no folder \"Archive\"");
        QTest::newRow("message") << QStringList{QStringLiteral("show"), QStringLiteral("Lab"), QStringLiteral("--folder"),
                                                QStringLiteral("INBOX"), QStringLiteral("--id"), QStringLiteral("999"),
                                                QStringLiteral("--raw")}
                                 << QByteArray("message 999");
    }

    void unknownAccountOrFolderIsOneClearLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, mentions);
        const Result r = run(args);
        QVERIFY(r.code != 0);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(mentions), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "tst_cli_store.moc"
