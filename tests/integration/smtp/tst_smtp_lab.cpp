// SPDX-License-Identifier: GPL-3.0-or-later
// Submission to the lab's real Postfix (SASL by Dovecot) with every mechanism it offers, on the STARTTLS
// port and the implicit-TLS port.
#include "labenv.h"
#include "smtp/smtpclient.h"

#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using namespace tern::smtp;
using tern::test::LabEnv;

class TestSmtpLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void submitWithEachMechanism_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<int>("mechanism");
        using tern::sasl::Mechanism;
        for (const char *port : {"SUBMISSION", "SUBMISSIONS"}) {
            for (Mechanism m : {Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5, Mechanism::ScramSha1,
                                Mechanism::ScramSha256}) {
                QTest::addRow("%s %s", port, tern::sasl::mechanismName(m).constData())
                    << QString::fromLatin1(port) << int(m);
            }
        }
    }

    void submitWithEachMechanism()
    {
        QFETCH(QString, port);
        QFETCH(int, mechanism);
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("smtp"));
        const LabEnv::User rcpt = m_lab.createUser(QStringLiteral("rcpt"));

        SessionConfig config;
        config.security = port == QStringLiteral("SUBMISSIONS") ? Security::ImplicitTls : Security::StartTls;
        config.clientDomain = "client.lab.test";
        tern::sasl::Credentials cred;
        cred.username = sender.address;
        cred.password = sender.password;
        config.credentials = cred;
        config.forcedMechanism = tern::sasl::Mechanism(mechanism);

        SmtpClient client(config);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        client.setTlsPolicy(policy);
        client.setServer(m_lab.host(), m_lab.port(port));
        QList<tern::protocols::TraceEntry> trace;
        client.setTraceSink([&](const tern::protocols::TraceEntry &e) { trace.append(e); });

        OutgoingMessage m;
        m.from = sender.address.toUtf8();
        m.recipients.append(Recipient{rcpt.address.toUtf8(), 0, false, {}});
        m.data = "From: " + m.from + "\r\nTo: " + rcpt.address.toUtf8() + "\r\nSubject: lab\r\n\r\nbody\r\n";
        client.addMessage(m);

        QSignalSpy finished(&client, &SmtpClient::finished);
        client.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(client.error(), SessionError::None);
        QVERIFY(client.tlsSession().encrypted);
        QVERIFY(client.tlsSession().protocol == QSsl::TlsV1_2 || client.tlsSession().protocol == QSsl::TlsV1_3);
        const MessageResult result = client.results().at(0);
        QCOMPARE(result.outcome, MessageResult::Outcome::Accepted);
        QVERIFY(result.finalReply->text().contains("queued as")); // Postfix's queue id, for the receipt
        QVERIFY(result.finalReply->enhanced.has_value());
        QVERIFY(result.tls.encrypted); // the receipt records the link it left on
        QVERIFY(!result.tls.cipher.isEmpty());
        QCOMPARE(result.tls.peerSha256.size(), 32);

        // Secrets never reach the trace: not the password, not its base64.
        for (const auto &e : std::as_const(trace)) {
            QVERIFY(!e.text.contains(sender.password.toUtf8()));
            QVERIFY(!e.text.contains(sender.password.toUtf8().toBase64()));
        }
    }

    void wrongPasswordIsAuthenticationFailed()
    {
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("smtp"));
        SessionConfig config;
        config.security = Security::ImplicitTls;
        tern::sasl::Credentials cred;
        cred.username = sender.address;
        cred.password = QStringLiteral("not-the-password");
        config.credentials = cred;
        SmtpClient client(config);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        client.setTlsPolicy(policy);
        client.setServer(m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")));
        QSignalSpy finished(&client, &SmtpClient::finished);
        client.start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(client.error(), SessionError::AuthenticationFailed);
        QCOMPARE(client.errorReply()->code, 535);
    }
};

QTEST_GUILESS_MAIN(TestSmtpLab)
#include "tst_smtp_lab.moc"
