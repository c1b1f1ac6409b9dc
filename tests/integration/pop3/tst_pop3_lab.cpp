// SPDX-License-Identifier: GPL-3.0-or-later
// Round trip through the lab's real servers: submit over SMTP (STARTTLS with BDAT, implicit TLS with
// DATA and dot-stuffing), then retrieve over POP3 (STLS and implicit TLS) and compare bytes: an 8-bit
// UTF-8 message, a 20 MB attachment, and lines beginning with '.'.
#include "labenv.h"
#include "pop3/pop3client.h"
#include "smtp/smtpclient.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using tern::test::LabEnv;

class TestPop3Lab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    tern::protocols::TlsPolicy policy() const
    {
        tern::protocols::TlsPolicy p;
        p.extraCaCertificates = m_lab.caCertificates();
        p.peerVerifyName = QStringLiteral("localhost");
        return p;
    }

    static QByteArray headers(const QByteArray &from, const QByteArray &to, const QByteArray &subject, int n)
    {
        // Date and Message-ID present, so Postfix has nothing to add inside the message.
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
               + "\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <tern-" + QByteArray::number(n) + "-"
               + QByteArray::number(QRandomGenerator::global()->generate()) + "@lab.test>\r\nMIME-Version: 1.0\r\n";
    }

    static QList<QByteArray> messages(const QByteArray &from, const QByteArray &to)
    {
        QList<QByteArray> out;
        // 8-bit UTF-8 body (8BITMIME). The header stays ASCII (RFC 2047): the lab's Dovecot LMTP does not
        // offer SMTPUTF8, so Postfix would bounce raw UTF-8 headers at delivery (SMTPUTF8 submission itself
        // is covered by the session tests).
        out.append(headers(from, to, "=?UTF-8?Q?caf=C3=A9_=E2=82=AC?=", 1)
                   + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                     "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln, \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.\r\n");
        out.append(headers(from, to, "dots", 2)
                   + "\r\n.\r\n..two\r\n.leading dot\r\n. space\r\nend\r\n");
        QByteArray blob(20 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator gen(42);
        gen.generate(reinterpret_cast<quint32 *>(blob.data()), reinterpret_cast<quint32 *>(blob.data() + blob.size()));
        QByteArray b64 = blob.toBase64();
        QByteArray wrapped;
        wrapped.reserve(b64.size() + b64.size() / 38);
        for (qsizetype i = 0; i < b64.size(); i += 76)
            wrapped += b64.mid(i, 76) + "\r\n";
        out.append(headers(from, to, "attachment", 3)
                   + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                     "see attached\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n"
                   + wrapped + "--b--\r\n");
        return out;
    }

    bool submit(const QString &port, bool chunking, const LabEnv::User &sender, const QByteArray &to,
                const QList<QByteArray> &bodies)
    {
        tern::smtp::SessionConfig config;
        config.security = port == QStringLiteral("SUBMISSIONS") ? tern::smtp::Security::ImplicitTls
                                                               : tern::smtp::Security::StartTls;
        config.useChunking = chunking;
        tern::sasl::Credentials cred;
        cred.username = sender.address;
        cred.password = sender.password;
        config.credentials = cred;
        tern::smtp::SmtpClient client(config);
        client.setTlsPolicy(policy());
        client.setServer(m_lab.host(), m_lab.port(port));
        if (qEnvironmentVariableIsSet("TERN_TEST_TRACE"))
            client.setTraceSink([](const tern::protocols::TraceEntry &e) { qDebug() << int(e.direction) << e.text.left(200); });
        for (const QByteArray &body : bodies) {
            tern::smtp::OutgoingMessage m;
            m.from = sender.address.toUtf8();
            m.recipients.append(tern::smtp::Recipient{to, 0, false, {}});
            m.data = body;
            client.addMessage(m);
        }
        QSignalSpy finished(&client, &tern::smtp::SmtpClient::finished);
        client.start();
        if (!finished.wait(120000) || client.error() != tern::smtp::SessionError::None)
            return false;
        for (const auto &r : client.results()) {
            if (r.outcome != tern::smtp::MessageResult::Outcome::Accepted)
                return false;
        }
        return true;
    }

    // One POP3 session: the requests in order, their results back.
    QList<tern::pop3::Result> pop(const QString &port, const LabEnv::User &user, const QList<tern::pop3::Request> &requests)
    {
        tern::pop3::SessionConfig config;
        config.security = port == QStringLiteral("POP3S") ? tern::pop3::Security::ImplicitTls : tern::pop3::Security::Stls;
        config.credentials.username = user.address;
        config.credentials.password = user.password;
        tern::pop3::Pop3Client client(config);
        client.setTlsPolicy(policy());
        client.setServer(m_lab.host(), m_lab.port(port));
        if (qEnvironmentVariableIsSet("TERN_TEST_TRACE"))
            client.setTraceSink([](const tern::protocols::TraceEntry &e) { qDebug() << int(e.direction) << e.text.left(200); });
        QSignalSpy loggedIn(&client, &tern::pop3::Pop3Client::loggedIn);
        QSignalSpy idle(&client, &tern::pop3::Pop3Client::idle);
        QSignalSpy finished(&client, &tern::pop3::Pop3Client::finished);
        client.start();
        if (!loggedIn.wait(30000))
            return {};
        for (const auto &r : requests)
            client.enqueue(r);
        if (!idle.wait(120000))
            return {};
        const QList<tern::pop3::Result> results = client.takeResults();
        client.quit();
        finished.wait(30000);
        return results;
    }

    qint64 messageCount(const QString &port, const LabEnv::User &user)
    {
        const auto results = pop(port, user, {{tern::pop3::Request::Kind::Stat}});
        return results.isEmpty() ? -1 : results.constFirst().count;
    }

    // Delivery prepends trace headers (Return-Path, Delivered-To, Received); everything after them must be
    // exactly what was submitted.
    static bool deliveredIntact(const QByteArray &retrieved, const QByteArray &sent)
    {
        if (!retrieved.endsWith(sent))
            return false;
        const QByteArray added = retrieved.left(retrieved.size() - sent.size());
        return !added.contains("\r\n\r\n") && (added.isEmpty() || added.endsWith("\r\n"));
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("smtpPort");
        QTest::addColumn<bool>("chunking");
        QTest::addColumn<QString>("popPort");
        QTest::newRow("starttls+bdat -> stls") << QStringLiteral("SUBMISSION") << true << QStringLiteral("POP3");
        QTest::newRow("implicit+data -> pop3s") << QStringLiteral("SUBMISSIONS") << false << QStringLiteral("POP3S");
    }

    void roundTrip()
    {
        QFETCH(QString, smtpPort);
        QFETCH(bool, chunking);
        QFETCH(QString, popPort);
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("sender"));
        const LabEnv::User rcpt = m_lab.createUser(QStringLiteral("pop"));
        const QList<QByteArray> sent = messages(sender.address.toUtf8(), rcpt.address.toUtf8());
        QVERIFY(submit(smtpPort, chunking, sender, rcpt.address.toUtf8(), sent));

        // Delivery through Postfix's queue and LMTP is asynchronous.
        QTRY_COMPARE_WITH_TIMEOUT(messageCount(popPort, rcpt), qint64(sent.size()), 60000);

        using tern::pop3::Request;
        const QList<tern::pop3::Result> results = pop(popPort, rcpt, {{Request::Kind::Uidl}, {Request::Kind::Retr, 1},
                                                                    {Request::Kind::Retr, 2}, {Request::Kind::Retr, 3}});
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[0].uids.size(), 3);
        for (const QByteArray &message : sent) {
            bool found = false;
            for (qsizetype i = 1; i < results.size(); ++i)
                found = found || deliveredIntact(results[i].message, message);
            QVERIFY2(found, message.left(200).constData());
        }
    }

    void deleteTakesEffectAtQuit()
    {
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("sender"));
        const LabEnv::User rcpt = m_lab.createUser(QStringLiteral("dele"));
        QVERIFY(submit(QStringLiteral("SUBMISSIONS"), true, sender, rcpt.address.toUtf8(),
                       {headers(sender.address.toUtf8(), rcpt.address.toUtf8(), "x", 9) + "\r\nx\r\n"}));
        QTRY_COMPARE_WITH_TIMEOUT(messageCount(QStringLiteral("POP3S"), rcpt), qint64(1), 60000);
        using tern::pop3::Request;
        const auto results = pop(QStringLiteral("POP3S"), rcpt, {{Request::Kind::Dele, 1}});
        QCOMPARE(results.size(), 1);
        QCOMPARE(results[0].status, tern::pop3::Result::Status::Ok);
        QCOMPARE(messageCount(QStringLiteral("POP3S"), rcpt), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestPop3Lab)
#include "tst_pop3_lab.moc"
