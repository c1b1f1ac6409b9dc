// SPDX-License-Identifier: GPL-3.0-or-later
// The protocol inspector's log: sessions and records kept within bounds, safe to write from several
// threads, and exported as text a terminal cannot be driven by. Pop3Fetch feeds it without the password.
#include "fakeserver.h"

#include "diagnostics/tracelog.h"
#include "store/store.h"
#include "sync/pop3fetch.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using tern::diagnostics::TraceLog;
using tern::diagnostics::TraceRecord;
using Kind = tern::diagnostics::TraceRecord::Kind;

class TestTraceLog : public QObject
{
    Q_OBJECT

private slots:
    void recordsASession()
    {
        TraceLog log;
        QSignalSpy started(&log, &TraceLog::sessionStarted);
        QSignalSpy ended(&log, &TraceLog::sessionEnded);
        const quint64 id = log.beginSession(QStringLiteral("Work"), QStringLiteral("SMTP"), QStringLiteral("mx:465"));
        log.append(id, Kind::Received, 1000, "220 mx ESMTP\r\n");
        log.append(id, Kind::Sent, 1010, "EHLO me");
        log.append(id, Kind::Received, 1030, "250-mx\n250 AUTH PLAIN");
        log.append(id, Kind::Sent, 1040, "AUTH PLAIN ***");
        log.setTls(id, QStringLiteral("TLSv1.3 TLS_AES_256_GCM_SHA384"));
        log.setCapabilities(id, {QStringLiteral("AUTH PLAIN")});
        log.endSession(id, QString());
        QCOMPARE(started.size(), 1);
        QCOMPARE(ended.size(), 1);
        const auto s = log.session(id);
        QVERIFY(s);
        QVERIFY(!s->isLive());
        QCOMPARE(s->records.size(), 4);
        QCOMPARE(s->records[0].text, QStringLiteral("220 mx ESMTP")); // line end dropped
        QCOMPARE(s->records[2].text, QStringLiteral("250-mx\n250 AUTH PLAIN"));
        QCOMPARE(log.sessions().first().records.size(), 0); // the list is headers only
        const QString text = log.exportText();
        QVERIFY(text.contains(QStringLiteral("== Work SMTP mx:465")));
        QVERIFY(text.contains(QStringLiteral("C: AUTH PLAIN ***")));
        QVERIFY(text.contains(QStringLiteral("S: 220 mx ESMTP")));
        QVERIFY(text.contains(QStringLiteral("TLS: TLSv1.3")));
        QVERIFY(text.contains(QStringLiteral("Result: ok")));
    }

    void boundedInEveryDirection()
    {
        TraceLog::Limits limits;
        limits.maxSessions = 3;
        limits.maxRecordsPerSession = 10;
        limits.maxTextChars = 50;
        TraceLog log(limits);
        const quint64 live = log.beginSession(QStringLiteral("a"), QStringLiteral("IMAP"), QStringLiteral("h:993"));
        for (int i = 0; i < 5; ++i)
            log.endSession(log.beginSession(QStringLiteral("a"), QStringLiteral("POP3"), QString::number(i)));
        const auto sessions = log.sessions();
        QCOMPARE(sessions.size(), 3);
        QCOMPARE(sessions.first().id, live); // ended sessions go first, the live one stays
        QCOMPARE(sessions.last().server, QStringLiteral("4"));

        for (int i = 0; i < 25; ++i)
            log.append(live, Kind::Received, 0, "* " + QByteArray::number(i) + " EXISTS");
        log.append(live, Kind::Received, 0, QByteArray(10'000'000, 'x'));
        const auto s = log.session(live);
        QCOMPARE(s->records.size(), 10);
        QCOMPARE(s->droppedRecords, 16);
        QVERIFY(s->records.last().text.size() < 100);
        QVERIFY(s->records.last().text.contains(QStringLiteral("10000000 bytes")));
    }

    void controlCharactersAreNeutralised()
    {
        TraceLog log;
        const quint64 id = log.beginSession(QStringLiteral("a"), QStringLiteral("IMAP"), QStringLiteral("h"));
        log.append(id, Kind::Received, 0, "* OK \x1b[2Jcleared\x07\0end");
        const QString text = log.session(id)->records.first().text;
        QVERIFY(!text.contains(QChar(0x1b)));
        QVERIFY(!text.contains(QChar(0x07)));
        QVERIFY(text.contains(QStringLiteral("cleared")));
    }

    void manyThreadsWriteAtOnce()
    {
        TraceLog log;
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads << QThread::create([&log, t] {
                const quint64 id = log.beginSession(QStringLiteral("acct%1").arg(t), QStringLiteral("IMAP"), QString());
                for (int i = 0; i < 500; ++i)
                    log.append(id, i % 2 ? Kind::Sent : Kind::Received, 0, "line " + QByteArray::number(i));
                log.endSession(id);
            });
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(30000));
            delete t;
        }
        const auto sessions = log.sessions();
        QCOMPARE(sessions.size(), 4);
        for (const auto &header : sessions) {
            QCOMPARE(log.session(header.id)->records.size(), 500);
            QVERIFY(!header.isLive());
        }
    }

    void pop3FetchFeedsTheLogWithoutThePassword()
    {
        QTemporaryDir dir;
        tern::store::Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("store.sqlite"))));
        tern::test::FakeServer server;
        QVERIFY(server.setScript("S: +OK fake POP3 ready\nC: CAPA\nS: +OK\nS: USER\nS: UIDL\nS: .\n"
                                 "C: USER u\nS: +OK\nC: PASS hunter2-secret\nS: +OK Logged in.\n"
                                 "C: LIST\nS: +OK\nS: .\nC: UIDL\nS: +OK\nS: .\nC: QUIT\nS: +OK bye\n!close\n"));
        QVERIFY(server.start());
        tern::accounts::Account a;
        a.name = QStringLiteral("pop");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Pop3;
        a.incoming = {QStringLiteral("127.0.0.1"), server.port(), tern::accounts::Security::None, {}, QStringLiteral("u")};
        TraceLog log;
        tern::sync::Pop3Fetch fetch(a, "hunter2-secret", &store);
        fetch.setTraceLog(&log);
        QSignalSpy finished(&fetch, &tern::sync::Pop3Fetch::finished);
        fetch.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(fetch.error(), tern::sync::Pop3Fetch::Error::None);
        const auto sessions = log.sessions();
        QCOMPARE(sessions.size(), 1);
        const auto s = log.session(sessions.first().id);
        QCOMPARE(s->protocol, QStringLiteral("POP3"));
        QCOMPARE(s->account, QStringLiteral("pop"));
        QVERIFY(!s->isLive());
        QVERIFY(s->capabilities.contains(QStringLiteral("UIDL")));
        QStringList sent;
        for (const TraceRecord &r : s->records) {
            if (r.kind == Kind::Sent)
                sent << r.text;
        }
        QVERIFY2(sent.contains(QStringLiteral("PASS ***")), qPrintable(sent.join(QLatin1Char('|'))));
        QVERIFY(sent.contains(QStringLiteral("LIST")));
        QVERIFY(!log.exportText().contains(QStringLiteral("hunter2")));
    }
};

QTEST_GUILESS_MAIN(TestTraceLog)
#include "tst_tracelog.moc"
