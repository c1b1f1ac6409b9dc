// SPDX-License-Identifier: GPL-3.0-or-later
// Session tests without sockets for connection set-up: greeting, STARTTLS, login and SASL, and the
// transport attacks of SECURITY.md T1-T5. The server's lines are played in; the bytes the client
// writes are compared exactly.
#include "sessionharness.h"

#include <QTest>

using namespace tern::imap;
using tern::imap::test::Harness;
using Kind = Session::Event::Kind;
using Error = Session::Error;

namespace {

// A client-first mechanism like PLAIN (RFC 4616), or a server-first one that echoes challenges.
class FakeMechanism : public SaslMechanism
{
public:
    FakeMechanism(QByteArray name, std::optional<QByteArray> initial) : m_name(std::move(name)), m_initial(std::move(initial)) { }
    QByteArray name() const override { return m_name; }
    std::optional<QByteArray> initialResponse() override { return m_initial; }
    std::optional<QByteArray> respond(QByteArrayView challenge) override
    {
        if (challenge == "give up")
            return std::nullopt;
        return "re:" + challenge.toByteArray();
    }

private:
    QByteArray m_name;
    std::optional<QByteArray> m_initial;
};

const QByteArray Plain("\0fred\0secret", 12); // base64: AGZyZWQAc2VjcmV0

Error closedWith(const QList<Session::Event> &events)
{
    for (const Session::Event &e : events) {
        if (e.kind == Kind::Closed)
            return e.result.error;
    }
    return Error::None;
}

} // namespace

class TestImapSessionSecurity : public QObject
{
    Q_OBJECT

private slots:
    void startTlsThenLogin()
    {
        Harness h;
        h.session.connected(false);
        QCOMPARE(h.server("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready.\r\n"),
                 QByteArray("A1 STARTTLS\r\n"));
        QCOMPARE(h.session.state(), Session::State::StartingTls);
        // T2: a man in the middle appends lines to the OK; none of them may be read after the handshake.
        QCOMPARE(h.server("A1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA2 OK done\r\n"),
                 QByteArray());
        QCOMPARE(h.kinds(), QList<Kind>{Kind::StartTlsHandshake});
        QCOMPARE(h.session.state(), Session::State::TlsHandshake);
        QVERIFY(h.session.capabilities().isEmpty());
        h.server("* BYE injected\r\n");
        h.session.tlsEstablished();
        QCOMPARE(h.take(), QByteArray("A2 CAPABILITY\r\n"));
        QVERIFY(h.kinds().isEmpty());
        h.server("* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\nA2 OK Capability completed.\r\n");
        QCOMPARE(h.kinds(), QList<Kind>{Kind::Ready});
        QVERIFY(!h.session.hasCapability("LOGINDISABLED"));
        QVERIFY(h.session.isTlsActive());
        QCOMPARE(h.session.login("fred", "secret"), QByteArray("A3"));
        QCOMPARE(h.take(), QByteArray("A3 LOGIN fred secret\r\n"));
        // The OK carries the new capabilities, so no CAPABILITY command is needed (RFC 3501 §6.2.3).
        QCOMPARE(h.server("A3 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n"), QByteArray());
        const auto events = h.events();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, Kind::CommandFinished);
        QCOMPARE(events[0].result.error, Error::None);
        QCOMPARE(events[1].kind, Kind::Authenticated);
        QCOMPARE(h.session.state(), Session::State::Authenticated);
        QVERIFY(h.session.hasCapability("IDLE"));
    }

    void capabilitiesRefreshedAfterLoginWhenNotSent()
    {
        Harness h(test::cleartext());
        h.session.connected(false);
        QCOMPARE(h.server("* OK ready\r\n"), QByteArray("A1 CAPABILITY\r\n"));
        h.server("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK\r\n");
        QCOMPARE(h.kinds(), QList<Kind>{Kind::Ready});
        h.session.login("fred", "secret");
        QCOMPARE(h.take(), QByteArray("A2 LOGIN fred secret\r\n"));
        QCOMPARE(h.server("A2 OK Logged in\r\n"), QByteArray("A3 CAPABILITY\r\n"));
        QCOMPARE(h.kinds(), QList<Kind>{Kind::CommandFinished});
        h.server("* CAPABILITY IMAP4rev1 IDLE MOVE\r\nA3 OK\r\n");
        QCOMPARE(h.kinds(), QList<Kind>{Kind::Authenticated});
        QVERIFY(h.session.hasCapability("MOVE"));
    }

    void strippedStartTlsStopsBeforeLogin() // T1
    {
        Harness h;
        h.session.connected(false);
        QCOMPARE(h.server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n"), QByteArray());
        QCOMPARE(closedWith(h.events()), Error::TlsUnavailable);
        QVERIFY(h.session.login("fred", "secret").isEmpty());
        QCOMPARE(h.take(), QByteArray());
    }

    void strippedStartTlsFromCapabilityCommand() // T1, capabilities not in the greeting
    {
        Harness h;
        h.session.connected(false);
        QCOMPARE(h.server("* OK ready\r\n"), QByteArray("A1 CAPABILITY\r\n"));
        QCOMPARE(h.server("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK\r\n"), QByteArray());
        QCOMPARE(closedWith(h.events()), Error::TlsUnavailable);
    }

    void loginRefusedBeforeTls() // T1 even if the owner asks early
    {
        Harness h;
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        QVERIFY(h.session.login("fred", "secret").isEmpty());
        QCOMPARE(h.take(), QByteArray());
        const auto events = h.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].result.error, Error::WrongState);
    }

    void preauthOnCleartextDisconnects() // T3
    {
        Harness h;
        h.session.connected(false);
        QCOMPARE(h.server("* PREAUTH IMAP4rev1 server logged in as Smith\r\n"), QByteArray("A0 LOGOUT\r\n"));
        QCOMPARE(closedWith(h.events()), Error::PreauthWithoutTls);
        QCOMPARE(h.session.state(), Session::State::Closed);
    }

    void preauthOverImplicitTlsIsAuthenticated()
    {
        Session::Options o;
        o.tls = Session::TlsMode::Implicit;
        Harness h(o);
        h.session.connected(true);
        QCOMPARE(h.server("* PREAUTH [CAPABILITY IMAP4rev2] hi\r\n"), QByteArray());
        QCOMPARE(h.kinds(), QList<Kind>{Kind::Authenticated});
        QCOMPARE(h.session.state(), Session::State::Authenticated);
    }

    void refusedStartTlsStops() // T5
    {
        Harness h;
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        QCOMPARE(h.server("A1 NO Not now\r\n"), QByteArray());
        QCOMPARE(closedWith(h.events()), Error::StartTlsRefused);
    }

    void alertBeforeTlsIsUntrusted() // T4
    {
        Harness h;
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
        h.server("* OK [ALERT] Your account is suspended, log in at http://evil\r\n");
        auto events = h.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].kind, Kind::Alert);
        QVERIFY(!events[0].trusted);
    }

    void greetingByeCloses()
    {
        Harness h;
        h.session.connected(false);
        QCOMPARE(h.server("* BYE Too many connections\r\n"), QByteArray());
        const auto events = h.events();
        QCOMPARE(closedWith(events), Error::GreetingBye);
        QCOMPARE(events.last().result.text, QByteArray("Too many connections"));
    }

    void loginDisabledIsRefused()
    {
        Harness h(test::cleartext());
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n");
        h.events();
        QVERIFY(h.session.login("fred", "secret").isEmpty());
        QCOMPARE(h.events().first().result.error, Error::LoginDisabled);
    }

    void authenticateWithSaslIr()
    {
        Harness h(test::cleartext());
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready\r\n");
        QByteArrayList trace;
        h.session.trace().setSink([&trace](const tern::protocols::TraceEntry &e) { trace.append(e.text); });
        h.session.authenticate(std::make_unique<FakeMechanism>("PLAIN", Plain));
        QCOMPARE(h.take(), QByteArray("A1 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n"));
        QCOMPARE(trace, QByteArrayList{"A1 AUTHENTICATE PLAIN ***"});
        QCOMPARE(h.server("A1 OK [CAPABILITY IMAP4rev1] done\r\n"), QByteArray());
        QCOMPARE(h.session.state(), Session::State::Authenticated);
        QCOMPARE(trace, (QByteArrayList{"A1 AUTHENTICATE PLAIN ***", "A1 OK [CAPABILITY IMAP4rev1] done"}));
    }

    void authenticateWithoutSaslIr()
    {
        // RFC 3501 §6.2.2: without SASL-IR the initial response follows an empty challenge.
        Harness h(test::cleartext());
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n");
        h.session.authenticate(std::make_unique<FakeMechanism>("PLAIN", Plain));
        QByteArrayList trace;
        h.session.trace().setSink([&trace](const tern::protocols::TraceEntry &e) { trace.append(e.text); });
        QCOMPARE(h.take(), QByteArray("A1 AUTHENTICATE PLAIN\r\n"));
        QCOMPARE(h.server("+ \r\n"), QByteArray("AGZyZWQAc2VjcmV0\r\n"));
        QCOMPARE(trace, (QByteArrayList{"+ ", "***"})); // the SASL response is a secret
        QCOMPARE(h.server("A1 OK done\r\n"), QByteArray("A2 CAPABILITY\r\n"));
    }

    void authenticateChallengesAndAbort()
    {
        Harness h(test::cleartext());
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1 SASL-IR] ready\r\n");
        h.session.authenticate(std::make_unique<FakeMechanism>("X-ECHO", std::nullopt));
        QCOMPARE(h.take(), QByteArray("A1 AUTHENTICATE X-ECHO\r\n"));
        // "chal" is Y2hhbA==; the answer "re:chal" is cmU6Y2hhbA==.
        QCOMPARE(h.server("+ Y2hhbA==\r\n"), QByteArray("cmU6Y2hhbA==\r\n"));
        // "give up" is Z2l2ZSB1cA==: the mechanism gives up and the client sends "*".
        QCOMPARE(h.server("+ Z2l2ZSB1cA==\r\n"), QByteArray("*\r\n"));
        h.events();
        h.server("A1 BAD AUTHENTICATE aborted\r\n");
        const auto events = h.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].result.error, Error::AuthAborted);
        QCOMPARE(h.session.state(), Session::State::NotAuthenticated);
    }

    void loginFailureKeepsNotAuthenticated()
    {
        Harness h(test::cleartext());
        h.session.connected(false);
        h.server("* OK [CAPABILITY IMAP4rev1] ready\r\n");
        h.session.login("fred", "wrong");
        h.take();
        h.events();
        h.server("A1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        const auto events = h.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].result.error, Error::No);
        QCOMPARE(events[0].result.code.name, QByteArray("AUTHENTICATIONFAILED"));
        QCOMPARE(h.session.state(), Session::State::NotAuthenticated);
    }
};

QTEST_GUILESS_MAIN(TestImapSessionSecurity)
#include "tst_imap_session_security.moc"
