// SPDX-License-Identifier: GPL-3.0-or-later
// POP3 against scripted fake servers (tests/data/scripts/pop3/*.script): TLS stripping, STLS response
// injection, a 2 GB size lie and a wrong SCRAM server signature.
#include "fakeserver.h"
#include "labenv.h"
#include "pop3/pop3client.h"

#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using namespace tern::pop3;
using tern::test::FakeServer;
using tern::test::LabEnv;

class TestPop3Faults : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    static SessionConfig config(Security security)
    {
        SessionConfig c;
        c.security = security;
        c.credentials.username = QStringLiteral("u");
        c.credentials.password = QStringLiteral("p");
        return c;
    }

    bool startScript(FakeServer &server, Pop3Client &client, const char *name, bool implicitTls)
    {
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/pop3/") + QLatin1String(name);
        if (!server.loadScript(path) || !server.useLabCertificate(m_lab) || !server.start())
            return false;
        server.setImplicitTls(implicitTls);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        client.setTlsPolicy(policy);
        client.setServer(QStringLiteral("127.0.0.1"), server.port());
        client.start();
        return true;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void stlsMissingStopsBeforeCredentials()
    {
        FakeServer server;
        Pop3Client client(config(Security::Stls));
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "stls-missing.script", false));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), SessionError::TlsRequiredButNotOffered);
        QTRY_VERIFY(server.isScriptDone());
        QCOMPARE(server.clientLines(), QList<QByteArray>{"CAPA"});
    }

    void stlsInjectedBytesAreDiscarded()
    {
        FakeServer server;
        Pop3Client client(config(Security::Stls));
        QSignalSpy loggedIn(&client, &Pop3Client::loggedIn);
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "stls-injection.script", false));
        QVERIFY(loggedIn.wait(20000));
        QVERIFY(client.tlsSession().encrypted);
        client.quit();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), SessionError::None);
        QVERIFY2(server.failure().isEmpty(), qPrintable(server.failure()));
        QTRY_VERIFY(server.isScriptDone());
    }

    void twoGigabyteSizeLieIsRefused()
    {
        FakeServer server;
        Pop3Client client(config(Security::ImplicitTls));
        QSignalSpy loggedIn(&client, &Pop3Client::loggedIn);
        QSignalSpy idle(&client, &Pop3Client::idle);
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "size-lie.script", true));
        QVERIFY(loggedIn.wait(20000));
        client.enqueue({Request::Kind::List});
        client.enqueue({Request::Kind::Retr, 1});
        client.enqueue({Request::Kind::Retr, 2});
        QVERIFY(idle.wait(20000));
        const QList<Result> results = client.takeResults();
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0].sizes.constFirst().second, qint64(2147483648LL));
        QCOMPARE(results[1].request.message, 1);
        QCOMPARE(results[1].status, Result::Status::Refused);
        QCOMPARE(results[2].status, Result::Status::Ok);
        QCOMPARE(results[2].message, QByteArray(".dot\r\nx\r\n"));
        client.quit();
        QVERIFY(finished.wait(20000));
        QTRY_VERIFY(server.isScriptDone());
        QVERIFY(!server.clientLines().contains("RETR 1"));
    }

    void endlessLineIsBounded()
    {
        FakeServer server;
        Pop3Client client(config(Security::ImplicitTls));
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "endless-line.script", true));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), SessionError::ResponseTooLong);
        QTRY_VERIFY(server.isClientClosed());
        QVERIFY(server.floodedBytes() < 100 * 1024 * 1024);
    }

    void silentServerTimesOut()
    {
        FakeServer server;
        Pop3Client client(config(Security::ImplicitTls));
        client.setTimeout(500);
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "silent.script", true));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), SessionError::Timeout);
        QTRY_VERIFY(server.isScriptDone());
    }

    void wrongScramServerSignatureFails()
    {
        FakeServer server;
        Pop3Client client(config(Security::ImplicitTls));
        QSignalSpy finished(&client, &Pop3Client::finished);
        QVERIFY(startScript(server, client, "scram-bad-signature.script", true));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), SessionError::SaslFailed);
        QCOMPARE(client.saslError(), tern::sasl::Error::ServerSignatureMismatch);
        QTRY_VERIFY(server.isScriptDone());
    }
};

QTEST_GUILESS_MAIN(TestPop3Faults)
#include "tst_pop3_faults.moc"
