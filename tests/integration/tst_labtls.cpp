// SPDX-License-Identifier: GPL-3.0-or-later
// The lab as Qt's TLS stack sees it: its certificates verify against the lab CA only, and a fresh user
// per test can log in. Protocol clients are tested elsewhere; this proves the ground they stand on.
#include "labenv.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

using tern::test::LabEnv;

class TestLabTls : public QObject
{
    Q_OBJECT

private:
    LabEnv m_lab;

    QByteArray readLine(QSslSocket &socket)
    {
        if (!socket.canReadLine())
            [&] { QTRY_VERIFY_WITH_TIMEOUT(socket.canReadLine(), 10000); }();
        return socket.readLine();
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void implicitTlsVerifiesAgainstTheLabCa_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QByteArray>("greeting");
        QTest::newRow("imaps") << QStringLiteral("IMAPS") << QByteArray("* OK");
        QTest::newRow("pop3s") << QStringLiteral("POP3S") << QByteArray("+OK");
        QTest::newRow("submissions") << QStringLiteral("SUBMISSIONS") << QByteArray("220 ");
    }

    void implicitTlsVerifiesAgainstTheLabCa()
    {
        QFETCH(QString, port);
        QFETCH(QByteArray, greeting);
        QSslSocket socket;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(m_lab.caCertificates());
        config.setProtocol(QSsl::TlsV1_2OrLater);
        socket.setSslConfiguration(config);
        socket.setPeerVerifyName(QStringLiteral("localhost"));
        socket.connectToHostEncrypted(m_lab.host(), m_lab.port(port), QStringLiteral("localhost"));
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        QVERIFY(readLine(socket).startsWith(greeting));
    }

    void labCertificateIsUntrustedWithoutTheLabCa()
    {
        QSslSocket socket;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates({}); // nothing trusted: the lab CA is never in a system store
        socket.setSslConfiguration(config);
        QSignalSpy errors(&socket, &QSslSocket::sslErrors);
        socket.connectToHostEncrypted(m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), QStringLiteral("localhost"));
        QVERIFY(!socket.waitForEncrypted(10000));
        QVERIFY(errors.count() >= 1);
    }

    void freshUserLogsIn()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("labtls"));
        QSslSocket socket;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(m_lab.caCertificates());
        socket.setSslConfiguration(config);
        socket.connectToHostEncrypted(m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), QStringLiteral("localhost"));
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        QVERIFY(readLine(socket).startsWith("* OK"));
        socket.write("a1 LOGIN \"" + user.address.toUtf8() + "\" \"" + user.password.toUtf8() + "\"\r\n");
        QByteArray line;
        do {
            line = readLine(socket);
        } while (line.startsWith("* "));
        QVERIFY2(line.startsWith("a1 OK"), line.constData());
        socket.write("a2 LIST \"\" \"*\"\r\n");
        QByteArray listing;
        do {
            line = readLine(socket);
            listing += line;
        } while (line.startsWith("* "));
        QVERIFY2(line.startsWith("a2 OK"), line.constData());
        // The lab's special-use folders exist for every new user.
        for (const char *folder : {"\\Drafts", "\\Sent", "\\Trash", "\\Junk"})
            QVERIFY2(listing.contains(folder), listing.constData());
    }
};

QTEST_GUILESS_MAIN(TestLabTls)
#include "tst_labtls.moc"
