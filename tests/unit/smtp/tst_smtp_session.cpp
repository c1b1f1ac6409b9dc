// SPDX-License-Identifier: GPL-3.0-or-later
// The SMTP session as a dialogue without sockets: server lines in, exact client bytes out.
#include "smtp/session.h"

#include <QTest>
#include <QtCrypto>

using namespace tern::smtp;
using tern::sasl::Credentials;

namespace {

const QByteArray kEhloFull = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n"
                             "250-AUTH PLAIN LOGIN\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n";

SessionConfig tlsConfig(bool withAuth = true)
{
    SessionConfig c;
    c.security = Security::ImplicitTls;
    c.clientDomain = "client.test";
    if (withAuth) {
        Credentials cred;
        cred.username = QStringLiteral("u");
        cred.password = QStringLiteral("p");
        c.credentials = cred;
    }
    return c;
}

OutgoingMessage message(QList<QByteArray> to = {"b@test"}, QByteArray data = "Subject: x\r\n\r\nhi\r\n")
{
    OutgoingMessage m;
    m.from = "a@test";
    for (const QByteArray &t : to)
        m.recipients.append(Recipient{t, 0, false, {}});
    m.data = std::move(data);
    return m;
}

// One exchange: the server says `server`, the client must answer exactly `client`.
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

class TestSmtpSession : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;

private slots:
    void pipelinedSubmission()
    {
        Session s(tlsConfig());
        s.addMessage(message({"b@test", "c@test"}));
        s.connected(true);
        QVERIFY(step(s, "220 mx.test ESMTP\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, kEhloFull, "AUTH PLAIN AHUAcA==\r\n"));
        QVERIFY(step(s, "235 2.7.0 ok\r\n",
                     "MAIL FROM:<a@test> SIZE=18\r\nRCPT TO:<b@test>\r\nRCPT TO:<c@test>\r\nDATA\r\n"));
        QVERIFY(step(s, "250 2.1.0 ok\r\n250 2.1.5 ok\r\n", ""));
        QVERIFY(step(s, "550 5.1.1 no such user\r\n354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        QVERIFY(step(s, "250 2.0.0 Ok: queued as ABC123\r\n", "QUIT\r\n"));
        QVERIFY(step(s, "221 bye\r\n", ""));
        QVERIFY(s.isFinished());
        QCOMPARE(s.error(), SessionError::None);
        const QList<MessageResult> results = s.results();
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].outcome, MessageResult::Outcome::Accepted);
        QCOMPARE(results[0].recipients.size(), 2);
        QVERIFY(results[0].recipients[0].isAccepted());
        QVERIFY(!results[0].recipients[1].isAccepted());
        QCOMPARE(results[0].recipients[1].reply.enhanced, std::optional(EnhancedStatus{5, 1, 1}));
        QCOMPARE(results[0].finalReply->text(), QByteArray("2.0.0 Ok: queued as ABC123"));
    }

    void unpipelinedOneCommandAtATime()
    {
        Session s(tlsConfig(false));
        s.addMessage(message({"b@test", "c@test"}));
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "RCPT TO:<b@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "RCPT TO:<c@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "DATA\r\n"));
        QVERIFY(step(s, "354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "QUIT\r\n"));
    }

    void rsetBetweenMessagesAndRejectedMail()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "550 5.7.1 sender refused\r\n", "RSET\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "RCPT TO:<b@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "DATA\r\n"));
        QVERIFY(step(s, "354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        QVERIFY(step(s, "451 4.3.0 try later\r\n", "QUIT\r\n"));
        const auto results = s.results();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[0].outcome, MessageResult::Outcome::Rejected);
        QCOMPARE(results[0].mailReply->code, 550);
        QCOMPARE(results[1].outcome, MessageResult::Outcome::Rejected);
        QCOMPARE(results[1].finalReply->code, 451);
    }

    void pipelinedResetLeadsTheNextGroup()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.addMessage(message({"c@test"}));
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 PIPELINING\r\n", "MAIL FROM:<a@test>\r\nRCPT TO:<b@test>\r\nDATA\r\n"));
        QVERIFY(step(s, "250 ok\r\n250 ok\r\n354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        QVERIFY(step(s, "250 queued 1\r\n", "RSET\r\nMAIL FROM:<a@test>\r\nRCPT TO:<c@test>\r\nDATA\r\n"));
        QVERIFY(step(s, "250 reset\r\n250 ok\r\n250 ok\r\n354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        QVERIFY(step(s, "250 queued 2\r\n", "QUIT\r\n"));
        const auto r = s.results();
        QCOMPARE(r.size(), 2);
        QCOMPARE(r[1].outcome, MessageResult::Outcome::Accepted);
        QCOMPARE(r[1].mailReply->text(), QByteArray("ok")); // the RSET reply was not taken for MAIL's
        QCOMPARE(r[1].finalReply->text(), QByteArray("queued 2"));
    }

    void pipelinedResetRefused()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 PIPELINING\r\n", "MAIL FROM:<a@test>\r\nRCPT TO:<b@test>\r\nDATA\r\n"));
        QVERIFY(step(s, "250 ok\r\n250 ok\r\n554 no\r\n", "RSET\r\nMAIL FROM:<a@test>\r\nRCPT TO:<b@test>\r\nDATA\r\n"));
        QVERIFY(step(s, "500 no reset for you\r\n", ""));
        QCOMPARE(s.error(), SessionError::ResetRejected);
        QCOMPARE(s.results()[1].outcome, MessageResult::Outcome::NotSent);
    }

    void refusedResetStopsBeforeTheNextMessage()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "550 no\r\n", "RSET\r\n"));
        QVERIFY(step(s, "500 what\r\n", ""));
        QCOMPARE(s.error(), SessionError::ResetRejected);
        QCOMPARE(s.results().size(), 2);
        QCOMPARE(s.results()[1].outcome, MessageResult::Outcome::NotSent);
    }

    void allRecipientsRejectedWhilePipelined()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 PIPELINING\r\n", "MAIL FROM:<a@test>\r\nRCPT TO:<b@test>\r\nDATA\r\n"));
        // RFC 2920 §3.1: an old server may still say 354; the client ends an empty message at once.
        QVERIFY(step(s, "250 ok\r\n550 no\r\n354 go\r\n", ".\r\n"));
        QVERIFY(step(s, "554 no valid recipients\r\n", "QUIT\r\n"));
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::Rejected);
    }

    void chunkingSendsBdatAfterRecipients()
    {
        Session s(tlsConfig(false));
        s.addMessage(message({"b@test"}, "x\n.y\n"));
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250-PIPELINING\r\n250 CHUNKING\r\n", "MAIL FROM:<a@test>\r\nRCPT TO:<b@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n250 ok\r\n", "BDAT 7 LAST\r\nx\r\n.y\r\n"));
        QVERIFY(step(s, "250 queued\r\n", "QUIT\r\n"));
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::Accepted);
    }

    void heloFallbackOnlyOn5xxAndOnlyInCleartext()
    {
        SessionConfig c = tlsConfig(false);
        c.security = Security::Cleartext;
        Session s(c);
        s.addMessage(message());
        s.connected(false);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "502 what\r\n", "HELO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));

        Session t(c);
        t.connected(false);
        QVERIFY(step(t, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(t, "451 busy\r\n", ""));
        QCOMPARE(t.error(), SessionError::HelloRejected);
    }

    void startTlsDiscardsInjectedBytesAndReissuesEhlo()
    {
        SessionConfig c = tlsConfig();
        c.security = Security::StartTls;
        Session s(c);
        s.addMessage(message());
        s.connected(false);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n", "STARTTLS\r\n"));
        // T2: a fake success and capability list after the 220, in the same read, must vanish.
        QVERIFY(step(s, "220 go\r\n250-mx\r\n250 AUTH PLAIN\r\n235 ok\r\n", ""));
        QVERIFY(s.wantsTlsUpgrade());
        QVERIFY(step(s, "250 more injection\r\n", ""));
        s.tlsEstablished();
        QCOMPARE(s.takeOutgoing(), QByteArray("EHLO client.test\r\n"));
        QVERIFY(!s.capabilities().has("AUTH")); // nothing learnt before TLS survives
        QVERIFY(step(s, "250-mx\r\n250 AUTH PLAIN\r\n", "AUTH PLAIN AHUAcA==\r\n"));
    }

    void startTlsMissingStopsBeforeAuth()
    {
        SessionConfig c = tlsConfig();
        c.security = Security::StartTls;
        Session s(c);
        s.addMessage(message());
        s.connected(false);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 AUTH PLAIN LOGIN\r\n", ""));
        QCOMPARE(s.error(), SessionError::TlsRequiredButNotOffered);
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::NotSent);
    }

    void startTlsRefusedNeverFallsBack()
    {
        SessionConfig c = tlsConfig();
        c.security = Security::StartTls;
        Session s(c);
        s.connected(false);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 STARTTLS\r\n", "STARTTLS\r\n"));
        QVERIFY(step(s, "454 4.7.0 TLS not available\r\n", ""));
        QCOMPARE(s.error(), SessionError::StartTlsRefused);
    }

    void plainAuthNeverOverCleartext()
    {
        SessionConfig c = tlsConfig();
        c.security = Security::Cleartext;
        Session s(c);
        s.connected(false);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 AUTH PLAIN LOGIN\r\n", ""));
        QCOMPARE(s.error(), SessionError::AuthenticationUnavailable);
    }

    void loginExchangeIsRedactedInTrace()
    {
        SessionConfig c = tlsConfig();
        c.forcedMechanism = tern::sasl::Mechanism::Login;
        Session s(c);
        QList<QByteArray> sent;
        s.setTraceSink([&](const tern::protocols::TraceEntry &e) {
            if (e.direction == tern::protocols::TraceEntry::Direction::Sent)
                sent.append(e.text);
        });
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 AUTH LOGIN\r\n", "AUTH LOGIN\r\n"));
        QVERIFY(step(s, "334 VXNlcm5hbWU6\r\n", "dQ==\r\n"));
        QVERIFY(step(s, "334 UGFzc3dvcmQ6\r\n", "cA==\r\n"));
        QVERIFY(step(s, "535 5.7.8 bad credentials\r\n", ""));
        QCOMPARE(s.error(), SessionError::AuthenticationFailed);
        QCOMPARE(s.errorReply()->enhanced, std::optional(EnhancedStatus{5, 7, 8}));
        QCOMPARE(sent, (QList<QByteArray>{"EHLO client.test", "AUTH LOGIN", "***", "***"}));
    }

    void xoauth2ErrorChallengeGetsEmptyAnswer()
    {
        SessionConfig c = tlsConfig();
        c.credentials->oauthToken = QStringLiteral("tok");
        c.credentialKind = tern::sasl::CredentialKind::OAuthToken;
        Session s(c);
        QList<tern::protocols::TraceEntry> trace;
        s.setTraceSink([&](const tern::protocols::TraceEntry &e) { trace.append(e); });
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250 AUTH PLAIN XOAUTH2\r\n",
                     "AUTH XOAUTH2 " + QByteArray("user=u\x01" "auth=Bearer tok\x01\x01").toBase64() + "\r\n"));
        // Google's documented failure: a base64 JSON challenge, an empty answer, then 535.
        QVERIFY(step(s, "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n", "\r\n"));
        QVERIFY(step(s, "535 5.7.8 Username and Password not accepted\r\n", ""));
        QCOMPARE(s.error(), SessionError::AuthenticationFailed);
        for (const auto &e : std::as_const(trace)) {
            QVERIFY(!e.text.contains("tok"));
            QVERIFY(!e.text.contains("eyJzdGF0dXMiOiI0MDEifQ"));
        }
    }

    void scramWithoutServerProofFails()
    {
        SessionConfig c = tlsConfig();
        Session s(c);
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        s.receive("250-mx\r\n250 AUTH SCRAM-SHA-256\r\n");
        const QByteArray first = s.takeOutgoing();
        QVERIFY(first.startsWith("AUTH SCRAM-SHA-256 "));
        const QByteArray clientFirst = QByteArray::fromBase64(first.mid(19).trimmed());
        const QByteArray nonce = clientFirst.mid(clientFirst.indexOf("r=") + 2);
        s.receive(QByteArray("334 " + QByteArray("r=" + nonce + "srv,s=QSXCR+Q6sek8bf92,i=4096").toBase64() + "\r\n"));
        QVERIFY(!s.takeOutgoing().isEmpty());
        // The server skips its signature and claims success: not acceptable.
        QVERIFY(step(s, "235 ok\r\n", ""));
        QCOMPARE(s.error(), SessionError::SaslFailed);
        QCOMPARE(s.saslError(), tern::sasl::Error::ServerSignatureMismatch);
    }

    void sizeRefusedBeforeMail()
    {
        Session s(tlsConfig(false));
        s.addMessage(message({"b@test"}, QByteArray(2000, 'x')));
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        // "Subject: x" CRLF CRLF "hi" CRLF is 18 octets.
        QVERIFY(step(s, "250-mx\r\n250 SIZE 1000\r\n", "MAIL FROM:<a@test> SIZE=18\r\n"));
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::Refused);
        QCOMPARE(s.results()[0].refusal, MessageResult::Refusal::TooLarge);
    }

    void smtputf8AndEightBit()
    {
        Session s(tlsConfig(false));
        s.addMessage(message({"b@test"}, "Subject: caf\xc3\xa9\r\n\r\nx\r\n"));            // needs SMTPUTF8
        s.addMessage(message({"b@test"}, "Subject: x\r\n\r\ncaf\xc3\xa9\r\n"));            // needs 8BITMIME
        s.addMessage(message({"j\xc3\xb8rn@test"}, "Subject: x\r\n\r\nx\r\n"));           // UTF-8 address
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "QUIT\r\n"));
        const auto r = s.results();
        QCOMPARE(r[0].refusal, MessageResult::Refusal::SmtpUtf8Unsupported);
        QCOMPARE(r[1].refusal, MessageResult::Refusal::EightBitUnsupported);
        QCOMPARE(r[2].refusal, MessageResult::Refusal::SmtpUtf8Unsupported);

        Session t(tlsConfig(false));
        t.addMessage(message({"j\xc3\xb8rn@test"}, "Subject: caf\xc3\xa9\r\n\r\ncaf\xc3\xa9\r\n"));
        t.connected(true);
        QVERIFY(step(t, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(t, "250-mx\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                     "MAIL FROM:<a@test> BODY=8BITMIME SMTPUTF8\r\n"));
    }

    void dsnParametersWhenAdvertised()
    {
        Session s(tlsConfig(false));
        OutgoingMessage m = message();
        m.recipients[0].notify = int(DsnNotify::Success) | int(DsnNotify::Failure);
        m.recipients[0].originalRecipient = "b+x@test";
        m.dsnReturn = DsnReturn::Headers;
        m.envelopeId = "id 1";
        s.addMessage(m);
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250-mx\r\n250-PIPELINING\r\n250 DSN\r\n",
                     "MAIL FROM:<a@test> RET=HDRS ENVID=id+201\r\n"
                     "RCPT TO:<b@test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@test\r\nDATA\r\n"));
    }

    void injectedAddressRefused()
    {
        Session s(tlsConfig(false));
        s.addMessage(message({"b@test>\r\nRCPT TO:<evil@test"}));
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "QUIT\r\n"));
        QCOMPARE(s.results()[0].refusal, MessageResult::Refusal::InvalidAddress);
    }

    void serviceClosingMidSession()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "421 4.3.2 shutting down\r\n", "")); // nothing more is sent, not even QUIT
        QCOMPARE(s.error(), SessionError::ServiceClosing);
        QCOMPARE(s.results().size(), 2);
        for (const MessageResult &r : s.results())
            QCOMPARE(r.outcome, MessageResult::Outcome::NotSent);
    }

    void connectionLostAfterTerminatorIsUncertain()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "RCPT TO:<b@test>\r\n"));
        QVERIFY(step(s, "250 ok\r\n", "DATA\r\n"));
        QVERIFY(step(s, "354 go\r\n", "Subject: x\r\n\r\nhi\r\n.\r\n"));
        s.connectionLost();
        QCOMPARE(s.error(), SessionError::ConnectionLost);
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::DeliveryUncertain);
    }

    void connectionLostBeforeTerminatorIsNotSent()
    {
        Session s(tlsConfig(false));
        s.addMessage(message());
        s.connected(true);
        QVERIFY(step(s, "220 mx\r\n", "EHLO client.test\r\n"));
        QVERIFY(step(s, "250 mx\r\n", "MAIL FROM:<a@test>\r\n"));
        s.connectionLost();
        QCOMPARE(s.results()[0].outcome, MessageResult::Outcome::NotSent);
    }

    void hostileRepliesEndTheSession_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("error");
        QTest::newRow("garbage") << QByteArray("HTTP/1.1 200 OK\r\n") << int(SessionError::MalformedReply);
        QTest::newRow("endless line") << QByteArray("250-" + QByteArray(20000, 'A')) << int(SessionError::ReplyTooLong);
        QTest::newRow("greeting 554") << QByteArray("554 go away\r\n") << int(SessionError::GreetingRejected);
    }

    void hostileRepliesEndTheSession()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, error);
        Session s(tlsConfig(false));
        s.connected(true);
        s.receive(bytes);
        QVERIFY(s.isFinished());
        QCOMPARE(int(s.error()), error);
        QCOMPARE(s.takeOutgoing(), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestSmtpSession)
#include "tst_smtp_session.moc"
