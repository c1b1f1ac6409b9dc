// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli send end to end on the lab: from an IMAP account through Postfix to a POP3 account and back, with an
// attachment; the receiver's `sync`/`show --json` see the same Message-ID, subject and attachment SHA-256,
// and the sender's Sent folder on Dovecot holds the copy (once). Failures give one clear line.
#include "clitools.h"
#include "imap/imapclient.h"
#include "labenv.h"
#include "smtpsink.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using tern::test::CliRun;
using tern::test::LabEnv;
using tern::test::outboxJson;
using tern::test::runCli;
namespace imap = tern::imap;

class TestCliSend : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    bool addAccount(const QString &profile, const QString &name, const LabEnv::User &user, bool imap,
                    bool trustLabCa = true, const QString &password = {})
    {
        QStringList args{QStringLiteral("account"), QStringLiteral("add"), name, QStringLiteral("--email"), user.address,
                         QStringLiteral("--incoming"), imap ? QStringLiteral("imap") : QStringLiteral("pop3"),
                         QStringLiteral("--incoming-host"), m_lab.host(), QStringLiteral("--incoming-port"),
                         QString::number(m_lab.port(imap ? QStringLiteral("IMAPS") : QStringLiteral("POP3S"))),
                         QStringLiteral("--incoming-security"), QStringLiteral("tls"), QStringLiteral("--smtp-host"),
                         m_lab.host(), QStringLiteral("--smtp-port"),
                         QString::number(m_lab.port(QStringLiteral("SUBMISSIONS"))), QStringLiteral("--smtp-security"),
                         QStringLiteral("tls"), QStringLiteral("--user"), user.address, QStringLiteral("--password-stdin")};
        if (trustLabCa)
            args << QStringLiteral("--ca-file") << m_lab.caFile();
        const CliRun r = runCli(profile, args, (password.isEmpty() ? user.password : password).toUtf8() + '\n');
        if (r.code != 0)
            qWarning() << r.err;
        return r.code == 0;
    }

    // Syncs the account and returns its INBOX listing.
    static QJsonArray syncAndList(const QString &profile, const QString &name)
    {
        if (runCli(profile, {QStringLiteral("sync"), name}).code != 0)
            return {};
        return QJsonDocument::fromJson(runCli(profile, {QStringLiteral("list"), name, QStringLiteral("--json")}).out).array();
    }

    // How many messages of the user's Sent folder (\Sent, else "Sent") carry this Message-ID; -1 on failure.
    int sentCopies(const LabEnv::User &user, const QByteArray &messageId)
    {
        imap::ImapClient::Config config;
        config.security = imap::ImapClient::Security::ImplicitTls;
        config.credentials.username = user.address;
        config.credentials.password = user.password;
        imap::ImapClient client(config);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        client.setTlsPolicy(policy);
        client.setServer(m_lab.host(), m_lab.port(QStringLiteral("IMAPS")));
        QList<imap::Session::Event> events;
        connect(&client, &imap::ImapClient::sessionEvent, &client, [&events](const imap::Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &imap::ImapClient::loggedIn);
        client.start();
        if (!loggedIn.wait(20000))
            return -1;
        // Runs one command; the untagged responses it produced, or nullopt when it failed.
        auto run = [&](const QByteArray &tag) -> std::optional<QList<imap::Response>> {
            const qsizetype start = events.size();
            qsizetype done = -1;
            const bool ok = QTest::qWaitFor([&] {
                for (qsizetype i = start; i < events.size() && done < 0; ++i) {
                    if (events[i].kind == imap::Session::Event::Kind::CommandFinished && events[i].result.tag == tag)
                        done = i;
                }
                return done >= 0 || client.isFinished();
            }, 20000);
            if (!ok || done < 0 || events[done].result.error != imap::Session::Error::None)
                return std::nullopt;
            QList<imap::Response> untagged;
            for (qsizetype j = start; j < done; ++j) {
                if (events[j].kind == imap::Session::Event::Kind::Untagged)
                    untagged.append(events[j].response);
            }
            return untagged;
        };
        const auto listed = run(client.send(imap::commands::list("", "*", client.session().encodeOptions())));
        if (!listed)
            return -1;
        QByteArray sent;
        for (const imap::Response &r : *listed) {
            if (const auto *l = r.get<imap::ListData>(); l && (l->hasFlag("\\Sent") || (sent.isEmpty() && l->rawName == "Sent")))
                sent = l->rawName;
        }
        if (sent.isEmpty() || !run(client.select(sent, true)))
            return -1;
        const auto found = run(client.send(imap::commands::uidSearch({{"HEADER", {"Message-ID", messageId}}},
                                                                      client.session().encodeOptions())));
        if (!found)
            return -1;
        int n = 0;
        for (const imap::Response &r : *found) {
            if (const auto *s = r.get<imap::SearchData>())
                n += int(s->numbers.size());
        }
        client.logout();
        return n;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void imapToPop3WithAttachment()
    {
        QTemporaryDir profile;
        const LabEnv::User alice = m_lab.createUser(QStringLiteral("outalice"));
        const LabEnv::User bob = m_lab.createUser(QStringLiteral("outbob"));
        const LabEnv::User carol = m_lab.createUser(QStringLiteral("outcarol"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("alice"), alice, true));
        QVERIFY(addAccount(profile.path(), QStringLiteral("bob"), bob, false));

        QByteArray attachment(40000, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(attachment.data()), attachment.size() / 4);
        const QString path = profile.filePath(QStringLiteral("report.bin"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(attachment);
        file.close();
        const QString sha256 = QString::fromLatin1(QCryptographicHash::hash(attachment, QCryptographicHash::Sha256).toHex());
        const QString subject = QStringLiteral("Quarterly report ✓");

        const CliRun sent = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"),
                                                    bob.address, QStringLiteral("--bcc"), carol.address,
                                                    QStringLiteral("--subject"), subject, QStringLiteral("--body"),
                                                    QStringLiteral("See the attachment."), QStringLiteral("--attach"), path});
        QVERIFY2(sent.code == 0, sent.err.constData());
        QVERIFY2(sent.err.isEmpty(), sent.err.constData()); // no warning: the Sent copy was made

        const QJsonArray queue = outboxJson(profile.path(), QStringLiteral("alice"));
        QCOMPARE(queue.size(), 1);
        const QJsonObject item = queue.first().toObject();
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
        QCOMPARE(item.value(QStringLiteral("attempts")).toInt(), 1);
        QCOMPARE(item.value(QStringLiteral("subject")).toString(), subject);
        QCOMPARE(item.value(QStringLiteral("sent_copy")).toString(), QStringLiteral("done"));
        const QJsonObject receipt = item.value(QStringLiteral("receipt")).toObject();
        QCOMPARE(receipt.value(QStringLiteral("server")).toString(),
                 QStringLiteral("%1:%2").arg(m_lab.host()).arg(m_lab.port(QStringLiteral("SUBMISSIONS"))));
        QVERIFY2(receipt.value(QStringLiteral("reply")).toString().startsWith(QLatin1String("250 ")),
                 qPrintable(receipt.value(QStringLiteral("reply")).toString()));
        QVERIFY(receipt.value(QStringLiteral("tls")).toString().startsWith(QLatin1String("TLSv1.")));
        const QByteArray messageId = item.value(QStringLiteral("message_id")).toString().toLatin1();
        QVERIFY(sent.out.contains(messageId));

        // Bob receives it over POP3 (delivery through LMTP is asynchronous).
        QJsonArray inbox;
        QTRY_VERIFY_WITH_TIMEOUT((inbox = syncAndList(profile.path(), QStringLiteral("bob"))).size() == 1, 30000);
        const QString id = QString::number(inbox.first().toObject().value(QStringLiteral("id")).toInteger());
        const CliRun shown = runCli(profile.path(), {QStringLiteral("show"), QStringLiteral("bob"), QStringLiteral("--folder"),
                                                     QStringLiteral("INBOX"), QStringLiteral("--id"), id, QStringLiteral("--json")});
        QCOMPARE(shown.code, 0);
        const QJsonObject message = QJsonDocument::fromJson(shown.out).object();
        QCOMPARE(message.value(QStringLiteral("subject")).toString(), subject);
        QCOMPARE(message.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Message-ID")).toString().toLatin1(), messageId);
        const QJsonArray attachments = message.value(QStringLiteral("attachments")).toArray();
        QCOMPARE(attachments.size(), 1);
        QCOMPARE(attachments.first().toObject().value(QStringLiteral("filename")).toString(), QStringLiteral("report.bin"));
        QCOMPARE(attachments.first().toObject().value(QStringLiteral("sha256")).toString(), sha256);
        QVERIFY(message.value(QStringLiteral("text")).toString().contains(QLatin1String("See the attachment.")));
        // SECURITY.md D6: the Bcc recipient is nowhere in what bob got.
        const CliRun raw = runCli(profile.path(), {QStringLiteral("show"), QStringLiteral("bob"), QStringLiteral("--folder"),
                                                   QStringLiteral("INBOX"), QStringLiteral("--id"), id, QStringLiteral("--raw")});
        QVERIFY(!raw.out.isEmpty());
        QVERIFY(!raw.out.contains(carol.address.toUtf8()));

        // Alice's Sent folder on the server holds the copy, once.
        QCOMPARE(sentCopies(alice, messageId), 1);
    }

    // The other direction: a POP3 account sends (text, HTML and an attachment) to an IMAP account; the
    // receiver's IMAP sync and `show --json` see what was sent, and the sender's copy is in its local Sent.
    void pop3ToImapWithAttachment()
    {
        QTemporaryDir profile;
        const LabEnv::User dave = m_lab.createUser(QStringLiteral("backdave"));
        const LabEnv::User erin = m_lab.createUser(QStringLiteral("backerin"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("dave"), dave, false));
        QVERIFY(addAccount(profile.path(), QStringLiteral("erin"), erin, true));

        QByteArray attachment(25000, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(attachment.data()), attachment.size() / 4);
        const QString path = profile.filePath(QStringLiteral("plan.pdf"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(attachment);
        file.close();
        const QString htmlPath = profile.filePath(QStringLiteral("body.html"));
        QFile html(htmlPath);
        QVERIFY(html.open(QIODevice::WriteOnly));
        html.write("<p>The <b>plan</b> is attached.</p>");
        html.close();
        const QString sha256 = QString::fromLatin1(QCryptographicHash::hash(attachment, QCryptographicHash::Sha256).toHex());
        const QString subject = QStringLiteral("Plan für Montag");

        const CliRun sent = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("dave"), QStringLiteral("--to"),
                                                    erin.address, QStringLiteral("--subject"), subject, QStringLiteral("--body"),
                                                    QStringLiteral("The plan is attached."), QStringLiteral("--html-file"),
                                                    htmlPath, QStringLiteral("--attach"), path});
        QVERIFY2(sent.code == 0, sent.err.constData());
        const QJsonObject item = outboxJson(profile.path(), QStringLiteral("dave")).first().toObject();
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
        const QString messageId = item.value(QStringLiteral("message_id")).toString();

        // Erin's IMAP sync brings the summary (delivery through LMTP is asynchronous); show fetches the body.
        QJsonArray inbox;
        QTRY_VERIFY_WITH_TIMEOUT((inbox = syncAndList(profile.path(), QStringLiteral("erin"))).size() == 1, 30000);
        const QJsonObject row = inbox.first().toObject();
        QCOMPARE(row.value(QStringLiteral("subject")).toString(), subject);
        QVERIFY(row.value(QStringLiteral("from")).toString().contains(dave.address));
        QVERIFY(row.value(QStringLiteral("uid")).toInteger() > 0);
        const QString id = QString::number(row.value(QStringLiteral("id")).toInteger());
        const CliRun shown = runCli(profile.path(), {QStringLiteral("show"), QStringLiteral("erin"), QStringLiteral("--folder"),
                                                     QStringLiteral("INBOX"), QStringLiteral("--id"), id, QStringLiteral("--json")});
        QVERIFY2(shown.code == 0, shown.err.constData());
        const QJsonObject message = QJsonDocument::fromJson(shown.out).object();
        QCOMPARE(message.value(QStringLiteral("subject")).toString(), subject);
        QCOMPARE(message.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Message-ID")).toString(), messageId);
        QVERIFY(message.value(QStringLiteral("text")).toString().contains(QLatin1String("The plan is attached.")));
        QVERIFY(message.value(QStringLiteral("html")).toString().contains(QLatin1String("<b>plan</b>")));
        const QJsonArray attachments = message.value(QStringLiteral("attachments")).toArray();
        QCOMPARE(attachments.size(), 1);
        QCOMPARE(attachments.first().toObject().value(QStringLiteral("filename")).toString(), QStringLiteral("plan.pdf"));
        QCOMPARE(attachments.first().toObject().value(QStringLiteral("sha256")).toString(), sha256);
        QCOMPARE(attachments.first().toObject().value(QStringLiteral("size")).toInteger(), attachment.size());

        // A POP3 account has no server folders: its copy is in the local Sent folder.
        const CliRun local = runCli(profile.path(), {QStringLiteral("list"), QStringLiteral("dave"), QStringLiteral("--folder"),
                                                     QStringLiteral("Sent"), QStringLiteral("--json")});
        QVERIFY2(local.code == 0, local.err.constData());
        const QJsonArray sentFolder = QJsonDocument::fromJson(local.out).array();
        QCOMPARE(sentFolder.size(), 1);
        QCOMPARE(sentFolder.first().toObject().value(QStringLiteral("subject")).toString(), subject);
        QCOMPARE(sentFolder.first().toObject().value(QStringLiteral("has_attachments")).toBool(), true);
    }

    // The Sent copy is retried on its own: a crash just before or just after the APPEND never sends the mail
    // again (counted at the SMTP server), and never leaves two copies in Sent (found by Message-ID first).
    void sentCopyRetriedAlone_data()
    {
        QTest::addColumn<QString>("point");
        QTest::addColumn<int>("copiesAfterCrash");
        QTest::newRow("before-append") << "before-append" << 0;
        QTest::newRow("after-append") << "after-append" << 1;
    }

    void sentCopyRetriedAlone()
    {
        QFETCH(QString, point);
        QFETCH(int, copiesAfterCrash);
        QTemporaryDir profile;
        tern::test::SmtpSink sink;
        QVERIFY(sink.start());
        const LabEnv::User alice = m_lab.createUser(QStringLiteral("outcopy"));
        QStringList args{QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("alice"), QStringLiteral("--email"),
                         alice.address, QStringLiteral("--incoming"), QStringLiteral("imap"), QStringLiteral("--incoming-host"),
                         m_lab.host(), QStringLiteral("--incoming-port"), QString::number(m_lab.port(QStringLiteral("IMAPS"))),
                         QStringLiteral("--incoming-security"), QStringLiteral("tls"), QStringLiteral("--smtp-host"),
                         QStringLiteral("127.0.0.1"), QStringLiteral("--smtp-port"), QString::number(sink.serverPort()),
                         QStringLiteral("--smtp-security"), QStringLiteral("none"), QStringLiteral("--user"), alice.address,
                         QStringLiteral("--password-stdin"), QStringLiteral("--ca-file"), m_lab.caFile()};
        QCOMPARE(runCli(profile.path(), args, alice.password.toUtf8() + '\n').code, 0);

        const CliRun crashed = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"),
                                                       QStringLiteral("bob@sink.test"), QStringLiteral("--subject"), point,
                                                       QStringLiteral("--body"), QStringLiteral("b")}, {}, point);
        QVERIFY(crashed.crashed);
        QJsonObject item = outboxJson(profile.path(), QStringLiteral("alice")).first().toObject();
        const QByteArray messageId = item.value(QStringLiteral("message_id")).toString().toLatin1();
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("sent"));
        QCOMPARE(item.value(QStringLiteral("sent_copy")).toString(), QStringLiteral("pending"));
        QCOMPARE(sentCopies(alice, messageId), copiesAfterCrash);
        QCOMPARE(sink.count(messageId), 1);

        const CliRun flushed = runCli(profile.path(), {QStringLiteral("outbox"), QStringLiteral("alice"), QStringLiteral("--flush")});
        QVERIFY2(flushed.code == 0, flushed.err.constData());
        item = outboxJson(profile.path(), QStringLiteral("alice")).first().toObject();
        QCOMPARE(item.value(QStringLiteral("sent_copy")).toString(), QStringLiteral("done"));
        QCOMPARE(sentCopies(alice, messageId), 1);
        QCOMPARE(sink.count(messageId), 1);
        QCOMPARE(sink.messages().size(), 1);
    }

    void authenticationFailureIsOneLine()
    {
        QTemporaryDir profile;
        const LabEnv::User alice = m_lab.createUser(QStringLiteral("outauth"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("alice"), alice, true, true, QStringLiteral("wrong-password")));
        const CliRun r = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"),
                                                 alice.address, QStringLiteral("--subject"), QStringLiteral("s"),
                                                 QStringLiteral("--body"), QStringLiteral("b")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("tern-cli: authentication failed: server said 535"), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        const QJsonObject item = outboxJson(profile.path(), QStringLiteral("alice")).first().toObject();
        QCOMPARE(item.value(QStringLiteral("state")).toString(), QStringLiteral("failed-temporary"));
        QVERIFY(item.value(QStringLiteral("next_attempt")).isString());
        QVERIFY(item.value(QStringLiteral("receipt")).isNull());
    }

    void untrustedCertificateIsOneLine()
    {
        QTemporaryDir profile;
        const LabEnv::User alice = m_lab.createUser(QStringLiteral("outcert"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("alice"), alice, true, false));
        const CliRun r = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"),
                                                 alice.address, QStringLiteral("--subject"), QStringLiteral("s"),
                                                 QStringLiteral("--body"), QStringLiteral("b")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("tern-cli: TLS certificate not trusted: "), r.err.constData());
        QVERIFY(r.err.contains(", SHA-256 "));
        QCOMPARE(r.err.count('\n'), 1);
    }

    void usageErrors()
    {
        QTemporaryDir profile;
        const LabEnv::User alice = m_lab.createUser(QStringLiteral("outusage"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("alice"), alice, true));
        // No body, and both bodies: usage errors, nothing queued.
        QCOMPARE(runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"), alice.address,
                                         QStringLiteral("--subject"), QStringLiteral("s")}).code, 2);
        QCOMPARE(runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"), alice.address,
                                         QStringLiteral("--subject"), QStringLiteral("s"), QStringLiteral("--body"),
                                         QStringLiteral("b"), QStringLiteral("--body-file"), QStringLiteral("/nonexistent")}).code, 2);
        const CliRun bad = runCli(profile.path(), {QStringLiteral("send"), QStringLiteral("alice"), QStringLiteral("--to"),
                                                   QStringLiteral("not an address"), QStringLiteral("--subject"),
                                                   QStringLiteral("s"), QStringLiteral("--body"), QStringLiteral("b")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("not an email address"), bad.err.constData());
        QVERIFY(outboxJson(profile.path(), QStringLiteral("alice")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliSend)
#include "tst_cli_send.moc"
