// SPDX-License-Identifier: GPL-3.0-or-later
// Push that survives the network (issue 6) against scripted servers: the backoff between attempts; a link
// that went silent is found when DONE is not answered, dropped, and IDLE comes back on a new connection; a
// refused password is not retried.
#include "fakeserver.h"

#include "sync/backoff.h"
#include "sync/imapidlewatch.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using tern::sync::Backoff;
using tern::sync::ImapIdle;
using tern::sync::ImapIdleWatch;
using tern::test::FakeServer;
using State = ImapIdleWatch::State;

class TestImapIdleScripted : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static tern::accounts::Account account(quint16 port)
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("fake");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = {QStringLiteral("127.0.0.1"), port, tern::accounts::Security::None, {}, QStringLiteral("u")};
        return a;
    }

    static bool load(FakeServer &server, const char *script)
    {
        return server.loadScript(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/")
                                 + QLatin1StringView(script))
               && server.start();
    }

private slots:
    void backoffDoublesToItsLimitAndResets()
    {
        Backoff b; // 2 s doubling to 5 min
        QList<int> waits;
        for (int i = 0; i < 10; ++i)
            waits.append(b.next());
        QCOMPARE(waits, (QList<int>{2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000}));
        b.reset();
        QCOMPARE(b.next(), 2000);
        Backoff quick(100, 250);
        QCOMPARE(quick.next(), 100);
        QCOMPARE(quick.next(), 200);
        QCOMPARE(quick.next(), 250);
    }

    void silentServerAfterDoneIsDroppedAndIdleComesBack()
    {
        FakeServer server;
        QVERIFY(load(server, "idle-done-unanswered.script"));
        ImapIdleWatch watch(account(server.port()), "p", m_dir.filePath(QStringLiteral("dead.sqlite")));
        ImapIdleWatch::Timings t;
        t.idle.refreshMs = 200; // the re-issue (RFC 2177 §3), short for the test
        t.idle.answerMs = 800;
        t.firstRetryMs = 100;
        t.maxRetryMs = 1000;
        watch.setTimings(t);
        QList<State> states;
        QList<ImapIdle::Error> errors;
        connect(&watch, &ImapIdleWatch::stateChanged, this, [&] {
            states.append(watch.state());
            if (watch.state() == State::Retrying) {
                errors.append(watch.lastError());
                QVERIFY(watch.isNetworkFailure());
                QCOMPARE(watch.retryInMs(), 100);
                ImapIdleWatch::Timings quiet = t;
                quiet.idle.refreshMs = 60 * 60 * 1000; // the second connection just idles
                watch.setTimings(quiet);
            }
        });
        QSignalSpy finished(&watch, &ImapIdleWatch::finished);
        watch.start();
        QTRY_COMPARE_WITH_TIMEOUT(states.count(State::Idling), 2, 20000);
        QCOMPARE(states, (QList<State>{State::Connecting, State::Idling, State::Retrying, State::Connecting, State::Idling}));
        QCOMPARE(errors, QList<ImapIdle::Error>{ImapIdle::Error::Timeout});
        QVERIFY2(watch.lastErrorString().contains(QStringLiteral("DONE")), qPrintable(watch.lastErrorString()));
        QCOMPARE(server.clientLines().count("DONE"), 2); // one answered re-issue, one unanswered
        QVERIFY(server.clientLines().contains("A4 IDLE")); // IDLE again after the answered DONE

        watch.stop();
        QVERIFY(finished.wait(20000));
        QCOMPARE(watch.state(), State::Stopped);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void refusedPasswordIsNotRetried()
    {
        FakeServer server;
        QVERIFY(load(server, "idle-auth-refused.script"));
        ImapIdleWatch watch(account(server.port()), "p", m_dir.filePath(QStringLiteral("auth.sqlite")));
        ImapIdleWatch::Timings t;
        t.firstRetryMs = 50;
        watch.setTimings(t);
        QList<State> states;
        connect(&watch, &ImapIdleWatch::stateChanged, this, [&] { states.append(watch.state()); });
        QSignalSpy finished(&watch, &ImapIdleWatch::finished);
        watch.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(watch.lastError(), ImapIdle::Error::Authentication);
        QVERIFY2(watch.lastErrorString().contains(QStringLiteral("invalid credentials")), qPrintable(watch.lastErrorString()));
        QCOMPARE(states, (QList<State>{State::Connecting, State::Stopped}));
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }
};

QTEST_GUILESS_MAIN(TestImapIdleScripted)
#include "tst_imapidle_scripted.moc"
