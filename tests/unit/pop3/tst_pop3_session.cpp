// SPDX-License-Identifier: GPL-3.0-or-later
// The POP3 session as a dialogue without sockets: server lines in, exact client bytes out.
#include "pop3/session.h"

#include <QTest>
#include <QtCrypto>

using namespace tern::pop3;

namespace {

SessionConfig config(Security security = Security::ImplicitTls)
{
    SessionConfig c;
    c.security = security;
    c.credentials.username = QStringLiteral("u");
    c.credentials.password = QStringLiteral("p");
    return c;
}

bool step(Session &s, const QByteArray &server, const QByteArray &client)
{
    s.receive(server);
    const QByteArray out = s.takeOutgoing();
    if (out != client) {
        qWarning("expected %s\n     got %s", client.constData(), out.constData());
        return false;
    }
    return true;
}

} // namespace

class TestPop3Session : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;

private slots:
    void saslLoginThenPipelinedRetrieval()
    {
        Session s(config());
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\nPIPELINING\r\nUIDL\r\n.\r\n", "AUTH PLAIN AHUAcA==\r\n"));
        QVERIFY(step(s, "+OK Logged in.\r\n", ""));
        QVERIFY(s.isAuthenticated());
        s.enqueue({Request::Kind::Uidl});
        s.enqueue({Request::Kind::Retr, 1});
        s.enqueue({Request::Kind::Stat});
        s.quit();
        QCOMPARE(s.takeOutgoing(), QByteArray("UIDL\r\nRETR 1\r\nSTAT\r\n")); // PIPELINING, RFC 2449 §6.6
        QVERIFY(step(s, "+OK\r\n1 abc\r\n2 de f\r\n3 \x01" "bad\r\n.\r\n+OK 9 octets\r\nx\r\n..y\r\n.\r\n+OK 2 320\r\n",
                     "QUIT\r\n"));
        const QList<Result> r = s.takeResults();
        QCOMPARE(r.size(), 3);
        QCOMPARE(r[0].uids, (QList<std::pair<int, QByteArray>>{{1, "abc"}, {2, "de"}})); // invalid uid dropped
        QCOMPARE(r[1].message, QByteArray("x\r\n.y\r\n"));
        QCOMPARE(r[2].count, 2);
        QCOMPARE(r[2].size, 320);
        QVERIFY(step(s, "+OK bye\r\n", ""));
        QCOMPARE(s.state(), Session::State::Done);
    }

    void withoutPipeliningOneAtATime()
    {
        Session s(config());
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\n.\r\n", "USER u\r\n"));
        QVERIFY(step(s, "+OK\r\n", "PASS p\r\n"));
        s.enqueue({Request::Kind::Dele, 1});
        s.enqueue({Request::Kind::Noop});
        QVERIFY(step(s, "+OK Logged in\r\n", "DELE 1\r\n"));
        QVERIFY(step(s, "+OK deleted\r\n", "NOOP\r\n"));
    }

    void topRsetAndRedactedTrace()
    {
        Session s(config());
        QList<QByteArray> sent;
        s.setTraceSink([&](const tern::protocols::TraceEntry &e) {
            if (e.direction == tern::protocols::TraceEntry::Direction::Sent)
                sent.append(e.text);
        });
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\nTOP\r\n.\r\n", "USER u\r\n"));
        QVERIFY(step(s, "+OK\r\n", "PASS p\r\n"));
        QVERIFY(step(s, "+OK\r\n", ""));
        s.enqueue({Request::Kind::Top, 3, 0});
        QCOMPARE(s.takeOutgoing(), QByteArray("TOP 3 0\r\n"));
        s.enqueue({Request::Kind::Rset});
        QVERIFY(step(s, "+OK\r\nSubject: x\r\n\r\n.\r\n", "RSET\r\n"));
        QVERIFY(step(s, "-ERR [SYS/TEMP] busy\r\n", ""));
        const QList<Result> r = s.takeResults();
        QCOMPARE(r[0].message, QByteArray("Subject: x\r\n\r\n"));
        QCOMPARE(r[1].status, Result::Status::ServerError);
        QCOMPARE(r[1].code, QByteArray("SYS/TEMP"));
        QCOMPARE(sent, (QList<QByteArray>{"CAPA", "USER u", "PASS ***", "TOP 3 0", "RSET"}));
    }

    void stlsDiscardsInjectionAndReadsCapabilitiesAgain()
    {
        Session s(config(Security::Stls));
        s.connected(false);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nSTLS\r\nUSER\r\n.\r\n", "STLS\r\n"));
        QVERIFY(step(s, "+OK Begin TLS\r\n+OK injected\r\n", ""));
        QVERIFY(s.wantsTlsUpgrade());
        s.tlsEstablished();
        QCOMPARE(s.takeOutgoing(), QByteArray("CAPA\r\n"));
        QVERIFY(s.capabilities().isEmpty());
        QVERIFY(step(s, "+OK\r\nSASL PLAIN\r\n.\r\n", "AUTH PLAIN AHUAcA==\r\n"));
    }

    void stlsMissingStopsBeforeCredentials()
    {
        Session s(config(Security::Stls));
        s.connected(false);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", ""));
        QCOMPARE(s.error(), SessionError::TlsRequiredButNotOffered);
        // A server without CAPA at all is no better.
        Session t(config(Security::Stls));
        t.connected(false);
        QVERIFY(step(t, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(t, "-ERR unknown command\r\n", ""));
        QCOMPARE(t.error(), SessionError::TlsRequiredButNotOffered);
    }

    void stlsRefused()
    {
        Session s(config(Security::Stls));
        s.connected(false);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nSTLS\r\n.\r\n", "STLS\r\n"));
        QVERIFY(step(s, "-ERR not now\r\n", ""));
        QCOMPARE(s.error(), SessionError::StlsRefused);
    }

    void noPasswordOverCleartext()
    {
        Session s(config(Security::Cleartext));
        s.connected(false);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", ""));
        QCOMPARE(s.error(), SessionError::AuthenticationUnavailable);
    }

    void apopRfc1939()
    {
        SessionConfig c = config(Security::Cleartext);
        c.credentials.username = QStringLiteral("mrose");
        c.credentials.password = QStringLiteral("tanstaaf");
        c.allowApop = true;
        Session s(c);
        s.connected(false);
        QVERIFY(step(s, "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n", "CAPA\r\n"));
        // RFC 1939 §7's example digest.
        QVERIFY(step(s, "-ERR\r\n", "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"));
        QVERIFY(step(s, "+OK maildrop has 1 message\r\n", ""));
        QVERIFY(s.isAuthenticated());
    }

    void wrongPassword()
    {
        Session s(config());
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nSASL PLAIN\r\n.\r\n", "AUTH PLAIN AHUAcA==\r\n"));
        QVERIFY(step(s, "-ERR [AUTH] Authentication failed.\r\n", ""));
        QCOMPARE(s.error(), SessionError::AuthenticationFailed);
        QCOMPARE(s.errorResponse()->code, QByteArray("AUTH"));
    }

    void sizeLieRefusedBeforeRetr()
    {
        SessionConfig c = config();
        c.maxMessageSize = 1024 * 1024;
        Session s(c);
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\n.\r\n", "USER u\r\n"));
        QVERIFY(step(s, "+OK\r\n", "PASS p\r\n"));
        s.enqueue({Request::Kind::List});
        s.enqueue({Request::Kind::Retr, 1});
        s.enqueue({Request::Kind::Retr, 2});
        QVERIFY(step(s, "+OK\r\n", "LIST\r\n"));
        // P1: message 1 claims 2 GB. It is refused without RETR; message 2 is fetched.
        QVERIFY(step(s, "+OK\r\n1 2147483648\r\n2 10\r\n.\r\n", "RETR 2\r\n"));
        const QList<Result> r = s.takeResults();
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[0].sizes, (QList<std::pair<int, qint64>>{{1, 2147483648LL}, {2, 10}}));
        QCOMPARE(r[1].request.message, 1);
        QCOMPARE(r[1].status, Result::Status::Refused);
    }

    void bodyBeyondLimitEndsSession()
    {
        SessionConfig c = config();
        c.maxMessageSize = 16;
        Session s(c);
        s.connected(true);
        QVERIFY(step(s, "+OK ready\r\n", "CAPA\r\n"));
        QVERIFY(step(s, "+OK\r\nUSER\r\n.\r\n", "USER u\r\n"));
        QVERIFY(step(s, "+OK\r\n", "PASS p\r\n"));
        s.enqueue({Request::Kind::Retr, 1});
        QVERIFY(step(s, "+OK\r\n", "RETR 1\r\n"));
        QByteArray huge = "+OK\r\n";
        for (int i = 0; i < 10000; ++i)
            huge += "0123456789012345678901234567890123456789\r\n";
        s.receive(huge);
        QCOMPARE(s.error(), SessionError::MessageTooLarge);
    }
};

QTEST_GUILESS_MAIN(TestPop3Session)
#include "tst_pop3_session.moc"
