// SPDX-License-Identifier: GPL-3.0-or-later
// What real servers will not do: scripted fake servers over loopback (tests/data/scripts/smtp/*.script)
// for TLS stripping, response injection, faults mid-session and hostile certificates.
#include "fakeserver.h"
#include "labenv.h"
#include "smtp/smtpclient.h"

#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using namespace tern::smtp;
using tern::test::FakeServer;
using tern::test::LabEnv;

class TestSmtpFaults : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    static QString script(const char *name)
    {
        return qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/smtp/") + QLatin1String(name);
    }

    static SessionConfig config(Security security, bool withAuth)
    {
        SessionConfig c;
        c.security = security;
        c.clientDomain = "client.test";
        c.usePipelining = true;
        if (withAuth) {
            tern::sasl::Credentials cred;
            cred.username = QStringLiteral("u");
            cred.password = QStringLiteral("p");
            c.credentials = cred;
        }
        return c;
    }

    static OutgoingMessage message()
    {
        OutgoingMessage m;
        m.from = "a@test";
        m.recipients.append(Recipient{"b@test", 0, false, {}});
        m.data = "Subject: x\r\n\r\nhi\r\n";
        return m;
    }

    tern::protocols::TlsPolicy labPolicy() const
    {
        tern::protocols::TlsPolicy p;
        p.extraCaCertificates = m_lab.caCertificates();
        p.peerVerifyName = QStringLiteral("localhost");
        return p;
    }

    // Runs one client against one script until both sides are done.
    bool run(FakeServer &server, SmtpClient &client, const char *name, bool implicitTls, bool trustedCert = true)
    {
        if (!server.loadScript(script(name)) || !server.useLabCertificate(m_lab, trustedCert) || !server.start()) {
            qWarning() << "fake server setup failed:" << server.failure();
            return false;
        }
        server.setImplicitTls(implicitTls);
        client.setServer(QStringLiteral("127.0.0.1"), server.port());
        QSignalSpy finished(&client, &SmtpClient::finished);
        client.start();
        if (!finished.wait(20000)) {
            qWarning("client did not finish");
            return false;
        }
        return true;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void starttlsMissingStopsBeforeAuth()
    {
        FakeServer server;
        SmtpClient client(config(Security::StartTls, true));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "starttls-missing.script", false));
        QCOMPARE(client.error(), SessionError::TlsRequiredButNotOffered);
        QTRY_VERIFY(server.isScriptDone());
        QCOMPARE(server.clientLines(), QList<QByteArray>{"EHLO client.test"});
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::NotSent);
    }

    void starttlsInjectedBytesAreDiscarded()
    {
        FakeServer server;
        SmtpClient client(config(Security::StartTls, true));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "starttls-injection.script", false));
        QVERIFY2(server.failure().isEmpty(), qPrintable(server.failure()));
        QCOMPARE(client.error(), SessionError::None);
        QVERIFY(client.tlsSession().encrypted);
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::Accepted);
        QVERIFY(client.results().at(0).finalReply->text().contains("FAKE1"));
        QTRY_VERIFY(server.isScriptDone());
    }

    void starttlsRefusedNeverFallsBack()
    {
        FakeServer server;
        SmtpClient client(config(Security::StartTls, true));
        client.setTlsPolicy(labPolicy());
        QVERIFY(run(server, client, "starttls-refused.script", false));
        QCOMPARE(client.error(), SessionError::StartTlsRefused);
        QCOMPARE(client.errorReply()->code, 454);
        QTRY_VERIFY(server.isScriptDone());
        QCOMPARE(server.clientLines().size(), 2);
    }

    void serviceClosingMidSession()
    {
        FakeServer server;
        SessionConfig c = config(Security::ImplicitTls, false);
        SmtpClient client(c);
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "service-closing.script", true));
        QCOMPARE(client.error(), SessionError::ServiceClosing);
        QCOMPARE(client.errorReply()->code, 421);
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::NotSent);
        QTRY_VERIFY(server.isScriptDone());
    }

    void droppedAfterTerminatorIsDeliveryUncertain()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "drop-after-data.script", true));
        QVERIFY2(server.failure().isEmpty(), qPrintable(server.failure()));
        QCOMPARE(client.error(), SessionError::ConnectionLost);
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::DeliveryUncertain);
    }

    void terminatorGateRunsBeforeThePayload()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QList<int> calls;
        QList<QByteArray> seenAtGate;
        client.setTerminatorGate([&](int index) {
            calls.append(index);
            seenAtGate = server.clientLines();
            return true;
        });
        QVERIFY(run(server, client, "drop-after-data.script", true));
        QCOMPARE(calls, QList<int>{0});
        QCOMPARE(seenAtGate.last(), QByteArray("DATA")); // nothing of the message had been written yet
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::DeliveryUncertain);
    }

    void terminatorGateRefusalCutsTheLinkFirst()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        client.setTerminatorGate([](int) { return false; });
        QVERIFY(run(server, client, "gate-refused.script", true));
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(server.clientLines().last(), QByteArray("DATA"));
        QVERIFY(!server.clientLines().contains("Subject: x"));
    }

    void silentAfterTerminatorTimesOutUncertain()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        client.setTimeout(500);
        client.addMessage(message());
        QVERIFY(run(server, client, "silent-after-data.script", true));
        QCOMPARE(client.error(), SessionError::Timeout);
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::DeliveryUncertain);
        QTRY_VERIFY(server.isScriptDone()); // the client closed the connection
    }

    void oversizedMessageRefusedBeforeMail()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        OutgoingMessage big = message();
        big.data += QByteArray(2000, 'x');
        client.addMessage(big);
        QVERIFY(run(server, client, "size-refused.script", true));
        QCOMPARE(client.error(), SessionError::None);
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::Refused);
        QCOMPARE(client.results().at(0).refusal, MessageResult::Refusal::TooLarge);
        QTRY_VERIFY(server.isScriptDone());
        QCOMPARE(server.clientLines(), (QList<QByteArray>{"EHLO client.test", "QUIT"}));
    }

    void absurdSizeLimitDoesNotWrap()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "size-overflow.script", true));
        QVERIFY2(server.failure().isEmpty(), qPrintable(server.failure()));
        QCOMPARE(client.results().at(0).outcome, MessageResult::Outcome::Accepted);
    }

    void endlessReplyLineIsBounded()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        QVERIFY(run(server, client, "endless-line.script", true));
        QCOMPARE(client.error(), SessionError::ReplyTooLong);
        QTRY_VERIFY(server.isClientClosed());
        QVERIFY(server.floodedBytes() < 100 * 1024 * 1024); // the client hung up long before the end
    }

    void wrongScramServerSignatureFails()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, true));
        client.setTlsPolicy(labPolicy());
        client.addMessage(message());
        QVERIFY(run(server, client, "scram-bad-signature.script", true));
        QCOMPARE(client.error(), SessionError::SaslFailed);
        QCOMPARE(client.saslError(), tern::sasl::Error::ServerSignatureMismatch);
        QTRY_VERIFY(server.isScriptDone());
        for (const QByteArray &line : server.clientLines())
            QVERIFY(!line.startsWith("MAIL"));
    }

    void untrustedCertificateFailsWithDetails()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, true));
        client.setTlsPolicy(labPolicy());
        QVERIFY(run(server, client, "greeting-quit.script", true, false));
        QCOMPARE(client.error(), SessionError::TlsFailed);
        QCOMPARE(client.connectionError(), tern::protocols::ConnectionError::CertificateInvalid);
        const auto info = client.certificateInfo();
        QVERIFY(info.has_value());
        const QSslCertificate served = server.certificate();
        QCOMPARE(info->sha256Fingerprint, served.digest(QCryptographicHash::Sha256));
        QVERIFY(info->subject.contains(QStringLiteral("untrusted.lab.test")));
        QCOMPARE(info->issuer, served.issuerDisplayName());
        QCOMPARE(info->effectiveDate, served.effectiveDate());
        QCOMPARE(info->expiryDate, served.expiryDate());
        QVERIFY(info->errors.contains(QSslError::SelfSignedCertificate));
        QVERIFY(server.clientLines().isEmpty()); // nothing, not even EHLO, went to that server
    }

    void pinnedFingerprintAcceptsThatCertificateOnly()
    {
        FakeServer probe;
        QVERIFY(probe.useLabCertificate(m_lab, false));
        const QByteArray pin = probe.certificate().digest(QCryptographicHash::Sha256);

        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        tern::protocols::TlsPolicy policy = labPolicy();
        policy.pinnedSha256 = pin;
        client.setTlsPolicy(policy);
        QVERIFY(run(server, client, "greeting-quit.script", true, false));
        QCOMPARE(client.error(), SessionError::None);
        QVERIFY(client.tlsSession().pinned);
        QTRY_VERIFY(server.isScriptDone());

        // The same pin does not open the door for a different certificate.
        FakeServer other;
        SmtpClient second(config(Security::ImplicitTls, false));
        tern::protocols::TlsPolicy strict;
        strict.pinnedSha256 = pin;
        strict.peerVerifyName = QStringLiteral("localhost");
        second.setTlsPolicy(strict); // lab CA not trusted here: the lab certificate is unknown and unpinned
        QVERIFY(run(other, second, "greeting-quit.script", true, true));
        QCOMPARE(second.connectionError(), tern::protocols::ConnectionError::CertificateInvalid);
    }

    void tlsOlderThan12IsRefused()
    {
        // SECURITY.md T7. The system OpenSSL may refuse TLS 1.1 on its own as well; either way the client
        // must end with a TLS failure and never reach the greeting.
        FakeServer server;
        QT_WARNING_PUSH
        QT_WARNING_DISABLE_DEPRECATED
        server.setTlsProtocol(QSsl::TlsV1_1);
        QT_WARNING_POP
        SmtpClient client(config(Security::ImplicitTls, false));
        client.setTlsPolicy(labPolicy());
        QVERIFY(run(server, client, "greeting-quit.script", true, true));
        QCOMPARE(client.error(), SessionError::TlsFailed);
        QCOMPARE(client.connectionError(), tern::protocols::ConnectionError::TlsHandshakeFailed);
        QVERIFY(server.clientLines().isEmpty());
    }

    void hostnameMismatchFails()
    {
        FakeServer server;
        SmtpClient client(config(Security::ImplicitTls, false));
        tern::protocols::TlsPolicy policy = labPolicy();
        policy.peerVerifyName = QStringLiteral("mail.example.org");
        client.setTlsPolicy(policy);
        QVERIFY(run(server, client, "greeting-quit.script", true, true));
        QCOMPARE(client.connectionError(), tern::protocols::ConnectionError::CertificateInvalid);
        QVERIFY(client.certificateInfo()->errors.contains(QSslError::HostNameMismatch));
    }
};

QTEST_GUILESS_MAIN(TestSmtpFaults)
#include "tst_smtp_faults.moc"
