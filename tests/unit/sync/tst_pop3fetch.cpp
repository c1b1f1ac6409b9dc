// SPDX-License-Identifier: GPL-3.0-or-later
// Pop3Fetch against scripted servers on loopback (cleartext: the account's explicit "none", so no lab is
// needed): which messages are downloaded, and when a DELE is allowed (issue 6; SECURITY.md L2).
#include "fakeserver.h"

#include "store/store.h"
#include "sync/pop3fetch.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using tern::sync::Pop3Fetch;
using tern::test::FakeServer;

namespace {

const QByteArray kLogin = "S: +OK fake POP3 ready\nC: CAPA\nS: +OK\nS: USER\nS: UIDL\nS: .\n"
                          "C: USER u\nS: +OK\nC: PASS p\nS: +OK Logged in.\n";
const QByteArray kListing = "C: LIST\nS: +OK\nS: 1 60\nS: 2 60\nS: .\n"
                            "C: UIDL\nS: +OK\nS: 1 uidl-a\nS: 2 uidl-b\nS: .\n";

QByteArray retr(int n, const char *subject)
{
    return "C: RETR " + QByteArray::number(n) + "\nS: +OK\nS: From: Sender <s@lab.test>\nS: Subject: " + subject
           + "\nS: Date: Mon, 23 Nov 2026 12:00:00 +0000\nS:\nS: body " + subject + "\nS: .\n";
}

const QByteArray kQuit = "C: QUIT\nS: +OK bye\n!close\n";

} // namespace

class TestPop3Fetch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<tern::store::Store> m_store;

    tern::accounts::Account account(quint16 port) const
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("pop");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Pop3;
        a.incoming = {QStringLiteral("127.0.0.1"), port, tern::accounts::Security::None, {}, QStringLiteral("u")};
        return a;
    }

    // One run against script; returns the fetch's error (None on success) and leaves the server's record.
    Pop3Fetch::Error run(FakeServer &server, const QByteArray &script, tern::accounts::Account a,
                         const QDateTime &now, Pop3Fetch **out = nullptr)
    {
        if (!server.setScript(script) || !server.start())
            return Pop3Fetch::Error::Connection;
        a.incoming.port = server.port();
        auto *fetch = new Pop3Fetch(a, "p", m_store.get(), this);
        fetch->setNow(now);
        QSignalSpy finished(fetch, &Pop3Fetch::finished);
        fetch->start();
        if (!finished.wait(20000))
            return Pop3Fetch::Error::Timeout;
        if (out)
            *out = fetch;
        return fetch->error();
    }

    QStringList storedSubjects()
    {
        QStringList out;
        const auto folder = m_store->folder(QStringLiteral("pop"), QStringLiteral("INBOX"));
        if (!folder)
            return out;
        for (const auto &m : m_store->summaries(folder->id))
            out.append(m.subject);
        out.sort();
        return out;
    }

private slots:
    void init()
    {
        m_store = std::make_unique<tern::store::Store>();
        QVERIFY(m_store->open(m_dir.filePath(QStringLiteral("store-%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())))));
    }

    void leaveOnServerNeverDeletes()
    {
        FakeServer server;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000);
        QCOMPARE(run(server, kLogin + kListing + retr(1, "a") + retr(2, "b") + kQuit, account(0), t0),
                 Pop3Fetch::Error::None);
        QVERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(storedSubjects(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));

        // Nothing new: no RETR at all, and still no DELE.
        FakeServer again;
        Pop3Fetch *fetch = nullptr;
        QCOMPARE(run(again, kLogin + kListing + kQuit, account(0), t0.addDays(400), &fetch), Pop3Fetch::Error::None);
        QVERIFY2(again.isScriptDone(), qPrintable(again.failure()));
        QCOMPARE(fetch->downloadedCount(), 0);
        QCOMPARE(storedSubjects(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void noLeaveOnServerDeletesEachAfterItIsStored()
    {
        FakeServer server;
        auto a = account(0);
        a.options.pop3LeaveOnServer = false;
        Pop3Fetch *fetch = nullptr;
        QCOMPARE(run(server, kLogin + kListing + retr(1, "a") + "C: DELE 1\nS: +OK\n" + retr(2, "b")
                                 + "C: DELE 2\nS: +OK\n" + kQuit,
                     a, QDateTime::currentDateTimeUtc(), &fetch),
                 Pop3Fetch::Error::None);
        QVERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(fetch->downloadedCount(), 2);
        QCOMPARE(fetch->deletedCount(), 2);
        QCOMPARE(storedSubjects(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void messageDeletedLocallyIsNotDownloadedAgain()
    {
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000);
        FakeServer first;
        QCOMPARE(run(first, kLogin + kListing + retr(1, "a") + retr(2, "b") + kQuit, account(0), t0),
                 Pop3Fetch::Error::None);
        QVERIFY2(first.isScriptDone(), qPrintable(first.failure()));

        // The user deletes "a" here; the server keeps it (leave on server).
        const qint64 inbox = m_store->folder(QStringLiteral("pop"), QStringLiteral("INBOX"))->id;
        const auto stored = m_store->summaries(inbox);
        const auto a = std::find_if(stored.cbegin(), stored.cend(), [](const auto &m) { return m.subject == u"a"; });
        QVERIFY(a != stored.cend());
        const qint64 ids[] = {a->id};
        QVERIFY(m_store->removeMessages(ids));

        // The next run lists both again and downloads neither: the script has no RETR.
        FakeServer again;
        Pop3Fetch *fetch = nullptr;
        QCOMPARE(run(again, kLogin + kListing + kQuit, account(0), t0.addDays(1), &fetch), Pop3Fetch::Error::None);
        QVERIFY2(again.isScriptDone(), qPrintable(again.failure()));
        QCOMPARE(fetch->downloadedCount(), 0);
        QCOMPARE(storedSubjects(), QStringList{QStringLiteral("b")});
    }

    void uidlGoneFromTheServerIsForgotten()
    {
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000);
        FakeServer first;
        QCOMPARE(run(first, kLogin + kListing + retr(1, "a") + retr(2, "b") + kQuit, account(0), t0),
                 Pop3Fetch::Error::None);
        QVERIFY2(first.isScriptDone(), qPrintable(first.failure()));
        const qint64 inbox = m_store->folder(QStringLiteral("pop"), QStringLiteral("INBOX"))->id;
        QCOMPARE(m_store->seenUidls(inbox).size(), 2);

        // Another client removed "a" from the server: only uidl-b is listed now.
        FakeServer later;
        const QByteArray listing = "C: LIST\nS: +OK\nS: 1 60\nS: .\nC: UIDL\nS: +OK\nS: 1 uidl-b\nS: .\n";
        QCOMPARE(run(later, kLogin + listing + kQuit, account(0), t0.addDays(1)), Pop3Fetch::Error::None);
        QVERIFY2(later.isScriptDone(), qPrintable(later.failure()));
        QCOMPARE(m_store->seenUidls(inbox).keys(), QStringList{QStringLiteral("uidl-b")});
        // The local copy of "a" is the user's: the server's expunge does not delete it here.
        QCOMPARE(storedSubjects(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void deleteAfterDaysCountsFromTheFirstDownload()
    {
        auto a = account(0);
        a.options.pop3DeleteAfterDays = 3;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000);
        FakeServer first;
        QCOMPARE(run(first, kLogin + kListing + retr(1, "a") + retr(2, "b") + kQuit, a, t0), Pop3Fetch::Error::None);
        QVERIFY2(first.isScriptDone(), qPrintable(first.failure()));

        FakeServer early; // two days and 23 hours later: too early
        QCOMPARE(run(early, kLogin + kListing + kQuit, a, t0.addDays(3).addSecs(-3600)), Pop3Fetch::Error::None);
        QVERIFY2(early.isScriptDone(), qPrintable(early.failure()));

        FakeServer due; // three days: both go, without being downloaded again
        QCOMPARE(run(due, kLogin + kListing + "C: DELE 1\nS: +OK\nC: DELE 2\nS: +OK\n" + kQuit, a, t0.addDays(3)),
                 Pop3Fetch::Error::None);
        QVERIFY2(due.isScriptDone(), qPrintable(due.failure()));
        QCOMPARE(storedSubjects(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    }

    void refusedRetrIsSkippedAndNeverDeleted()
    {
        FakeServer server;
        auto a = account(0);
        a.options.pop3LeaveOnServer = false;
        Pop3Fetch *fetch = nullptr;
        QCOMPARE(run(server, kLogin + kListing + "C: RETR 1\nS: -ERR message is locked\n" + retr(2, "b")
                                 + "C: DELE 2\nS: +OK\n" + kQuit,
                     a, QDateTime::currentDateTimeUtc(), &fetch),
                 Pop3Fetch::Error::None);
        QVERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QVERIFY(!server.clientLines().contains("DELE 1"));
        QCOMPARE(fetch->skippedCount(), 1);
        QCOMPARE(storedSubjects(), QStringList{QStringLiteral("b")});
    }

    void serverRefusingPasswordIsAnAuthenticationError()
    {
        FakeServer server;
        Pop3Fetch *fetch = nullptr;
        const QByteArray script = "S: +OK ready\nC: CAPA\nS: +OK\nS: USER\nS: .\nC: USER u\nS: +OK\nC: PASS p\n"
                                  "S: -ERR [AUTH] Authentication failed.\n!expect-close\n";
        QCOMPARE(run(server, script, account(0), QDateTime::currentDateTimeUtc(), &fetch),
                 Pop3Fetch::Error::Authentication);
        QCOMPARE(fetch->errorString(), QStringLiteral("authentication failed: server said [AUTH] Authentication failed."));
    }
};

QTEST_GUILESS_MAIN(TestPop3Fetch)
#include "tst_pop3fetch.moc"
