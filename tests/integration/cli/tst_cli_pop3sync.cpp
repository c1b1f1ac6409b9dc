// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli sync for POP3 accounts, end to end: mail submitted to the lab's Postfix arrives through Dovecot's
// POP3 in the local store exactly once, with the subject, body and attachment SHA-256 that were sent; the
// server copy goes only when the account says so and only after the local commit (SECURITY.md L2), also
// when a scripted server drops the connection, or tern-cli is SIGKILLed, in the middle of a RETR.
#include "clirunner.h"
#include "fakeserver.h"
#include "labenv.h"
#include "labmail.h"
#include "pop3/pop3client.h"
#include "smtp/smtpclient.h"

#include "accounts/accountstore.h"
#include "store/store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSslCertificate>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using tern::test::FakeServer;
using tern::test::LabEnv;

class TestCliPop3Sync : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    static void setUp(QProcess &p, const QString &profile, const QStringList &args)
    {
        tern::test::CliRunner(QStringLiteral(TERN_CLI), profile).prepare(p, args);
    }

    // Runs tern-cli without blocking the event loop (a FakeServer in this process must keep serving).
    static Run cli(const QString &profile, const QStringList &args, const QByteArray &input = {})
    {
        QProcess p;
        setUp(p, profile, args);
        QSignalSpy done(&p, &QProcess::finished);
        p.start();
        p.write(input);
        p.closeWriteChannel();
        if (!done.wait(120000))
            return {-1, {}, "timeout"};
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

    bool addAccount(const QString &profile, const QString &name, const QString &user, const QString &password,
                    quint16 pop3Port, const QString &security = QStringLiteral("tls"), bool trustLabCa = true)
    {
        // Scripted servers log in a bare "u"; the account still needs an address to send from.
        const QString email = user.contains(QLatin1Char('@')) ? user : user + QStringLiteral("@lab.test");
        QStringList args{QStringLiteral("account"), QStringLiteral("add"), name, QStringLiteral("--email"), email,
                           QStringLiteral("--incoming"), QStringLiteral("pop3"), QStringLiteral("--incoming-host"),
                           m_lab.host(), QStringLiteral("--incoming-port"), QString::number(pop3Port),
                           QStringLiteral("--incoming-security"), security, QStringLiteral("--smtp-host"), m_lab.host(),
                           QStringLiteral("--smtp-port"), QString::number(m_lab.port(QStringLiteral("SUBMISSIONS"))),
                           QStringLiteral("--smtp-security"), QStringLiteral("tls"), QStringLiteral("--user"), user,
                           QStringLiteral("--password-stdin")};
        if (trustLabCa)
            args << QStringLiteral("--ca-file") << m_lab.caFile();
        const Run r = cli(profile, args, password.toUtf8() + '\n');
        if (r.code != 0)
            qWarning() << r.err;
        return r.code == 0;
    }

    // What the contract has no option for (yet): edits the stored account the way the GUI's settings would.
    static bool editAccount(const QString &profile, const QString &name,
                            const std::function<void(tern::accounts::Account &)> &edit)
    {
        tern::accounts::AccountStore store(profile);
        if (!store.load())
            return false;
        auto account = store.find(name);
        if (!account || !store.remove(name))
            return false;
        edit(*account);
        return store.add(*account) && store.save();
    }

    bool submit(const LabEnv::User &sender, const QString &to, const QList<QByteArray> &messages)
    {
        return tern::test::LabMail(m_lab).submit(sender, to, messages);
    }

    qint64 serverCount(const LabEnv::User &user) { return tern::test::LabMail(m_lab).pop3Count(user); }

    static QJsonArray list(const QString &profile, const QString &name)
    {
        const Run r = cli(profile, {QStringLiteral("list"), name, QStringLiteral("--json")});
        return r.code == 0 ? QJsonDocument::fromJson(r.out).array() : QJsonArray();
    }

    static QStringList subjects(const QJsonArray &messages)
    {
        QStringList out;
        for (const QJsonValue &v : messages)
            out.append(v.toObject().value(QStringLiteral("subject")).toString());
        out.sort();
        return out;
    }

    static QByteArray message(const LabEnv::User &from, const LabEnv::User &to, const QByteArray &subject,
                              const QByteArray &body)
    {
        return tern::test::LabMail::message(from, to, subject, body);
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void syncDownloadsEachMessageOnceAndLeavesThemOnTheServer()
    {
        QTemporaryDir profile;
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("sender"));
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, user.password,
                           m_lab.port(QStringLiteral("POP3S"))));

        const QByteArray attachment = QByteArray("attachment bytes \x01\x02\xff", 21).repeated(500);
        const QByteArray sha256 = QCryptographicHash::hash(attachment, QCryptographicHash::Sha256).toHex();
        QVERIFY(submit(sender, user.address,
                       {message(sender, user, "plain hello",
                                "Content-Type: text/plain; charset=utf-8\r\n\r\nfirst body line\r\n"),
                        message(sender, user, "with attachment",
                                "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
                                "Content-Type: text/plain\r\n\r\nsee the attachment\r\n--b\r\n"
                                "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                                "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\n"
                                    + attachment.toBase64() + "\r\n--b--\r\n")}));
        QTRY_COMPARE_WITH_TIMEOUT(serverCount(user), 2, 30000); // delivery through LMTP is asynchronous

        const Run first = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QVERIFY2(first.code == 0, first.err.constData());
        const QJsonArray messages = list(profile.path(), QStringLiteral("pop"));
        QCOMPARE(subjects(messages), (QStringList{QStringLiteral("plain hello"), QStringLiteral("with attachment")}));

        for (const QJsonValue &v : messages) {
            const QJsonObject entry = v.toObject();
            const Run show = cli(profile.path(), {QStringLiteral("show"), QStringLiteral("pop"), QStringLiteral("--folder"),
                                                  QStringLiteral("INBOX"), QStringLiteral("--id"),
                                                  QString::number(entry.value(QStringLiteral("id")).toInteger()),
                                                  QStringLiteral("--json")});
            QCOMPARE(show.code, 0);
            const QJsonObject shown = QJsonDocument::fromJson(show.out).object();
            if (entry.value(QStringLiteral("subject")).toString() == QStringLiteral("plain hello")) {
                QVERIFY(shown.value(QStringLiteral("text")).toString().contains(QStringLiteral("first body line")));
                QCOMPARE(entry.value(QStringLiteral("has_attachments")).toBool(), false);
            } else {
                QVERIFY(shown.value(QStringLiteral("text")).toString().contains(QStringLiteral("see the attachment")));
                QCOMPARE(entry.value(QStringLiteral("has_attachments")).toBool(), true);
                const QJsonArray attachments = shown.value(QStringLiteral("attachments")).toArray();
                QCOMPARE(attachments.size(), 1);
                QCOMPARE(attachments.first().toObject().value(QStringLiteral("sha256")).toString(),
                         QString::fromLatin1(sha256));
                QCOMPARE(attachments.first().toObject().value(QStringLiteral("size")).toInteger(), attachment.size());
            }
        }

        const Run second = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QVERIFY2(second.code == 0, second.err.constData());
        QCOMPARE(list(profile.path(), QStringLiteral("pop")).size(), 2);
        QCOMPARE(serverCount(user), 2); // leave on server is the default
    }

    void leaveOnServerOffDeletesAfterStoring()
    {
        QTemporaryDir profile;
        const LabEnv::User sender = m_lab.createUser(QStringLiteral("sender"));
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, user.password,
                           m_lab.port(QStringLiteral("POP3")), QStringLiteral("starttls")));
        QVERIFY(editAccount(profile.path(), QStringLiteral("pop"),
                            [](tern::accounts::Account &a) { a.options.pop3LeaveOnServer = false; }));
        QVERIFY(submit(sender, user.address,
                       {message(sender, user, "one", "\r\nbody one\r\n"), message(sender, user, "two", "\r\nbody two\r\n"),
                        message(sender, user, "three", "\r\nbody three\r\n")}));
        QTRY_COMPARE_WITH_TIMEOUT(serverCount(user), 3, 30000);

        const Run r = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(subjects(list(profile.path(), QStringLiteral("pop"))),
                 (QStringList{QStringLiteral("one"), QStringLiteral("three"), QStringLiteral("two")}));
        QCOMPARE(serverCount(user), 0);
    }

    void wrongPasswordIsReportedWithTheServerText()
    {
        QTemporaryDir profile;
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, user.password + QStringLiteral("x"),
                           m_lab.port(QStringLiteral("POP3S"))));
        const Run r = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("tern-cli: authentication failed: server said "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
    }

    void accountTestReportsBothServers()
    {
        QTemporaryDir profile;
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, user.password,
                           m_lab.port(QStringLiteral("POP3")), QStringLiteral("starttls")));
        const Run r = cli(profile.path(), {QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("pop")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        const QString incoming = QStringLiteral("incoming %1:%2: ok").arg(m_lab.host()).arg(m_lab.port(QStringLiteral("POP3")));
        const QString smtp = QStringLiteral("smtp %1:%2: ok").arg(m_lab.host()).arg(m_lab.port(QStringLiteral("SUBMISSIONS")));
        QVERIFY2(out.contains(incoming) && out.contains(smtp), qPrintable(out));
        // Both lab servers run TLS 1.2 or 1.3 (SECURITY.md T7) and offer SASL after TLS.
        const auto tlsLines = out.split(QLatin1Char('\n')).filter(QStringLiteral("  tls: "));
        QCOMPARE(tlsLines.size(), 2);
        for (const QString &line : tlsLines)
            QVERIFY2(line.contains(QStringLiteral("TLSv1.2 ")) || line.contains(QStringLiteral("TLSv1.3 ")), qPrintable(line));
        const auto mechanisms = out.split(QLatin1Char('\n')).filter(QStringLiteral("  mechanisms: "));
        QCOMPARE(mechanisms.size(), 2);
        for (const QString &line : mechanisms)
            QVERIFY2(line.size() > QStringLiteral("  mechanisms: ").size(), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("UIDL")) && out.contains(QStringLiteral("AUTH ")), qPrintable(out));
    }

    void accountTestWrongPassword()
    {
        QTemporaryDir profile;
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, QStringLiteral("not-the-password"),
                           m_lab.port(QStringLiteral("POP3S"))));
        const Run r = cli(profile.path(), {QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("pop")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("tern-cli: authentication failed: server said "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY(r.out.isEmpty());
    }

    void accountTestUntrustedCertificate()
    {
        QTemporaryDir profile;
        const LabEnv::User user = m_lab.createUser(QStringLiteral("pop"));
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), user.address, user.password,
                           m_lab.port(QStringLiteral("POP3S")), QStringLiteral("tls"), false));
        const Run r = cli(profile.path(), {QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("pop")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith("tern-cli: TLS certificate not trusted: "), r.err.constData());
        QCOMPARE(r.err.count('\n'), 1);
        // The fingerprint shown is the leaf certificate the lab serves, so a user can compare and pin it.
        const QList<QSslCertificate> leaf =
            QSslCertificate::fromPath(m_lab.value(QStringLiteral("TERN_LAB_DIR")) + QStringLiteral("/tls/server.pem"));
        QCOMPARE(leaf.size(), 1);
        QVERIFY2(r.err.contains(leaf.first().digest(QCryptographicHash::Sha256).toHex(':')), r.err.constData());
    }

    void imapSyncSaysItIsNotAvailableYet()
    {
        QTemporaryDir profile;
        const Run add = cli(profile.path(),
                            {QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("imap"),
                             QStringLiteral("--email"), QStringLiteral("ada@lab.test"), QStringLiteral("--incoming"),
                             QStringLiteral("imap"), QStringLiteral("--incoming-host"), m_lab.host(),
                             QStringLiteral("--incoming-port"), QString::number(m_lab.port(QStringLiteral("IMAPS"))),
                             QStringLiteral("--incoming-security"), QStringLiteral("tls"), QStringLiteral("--smtp-host"),
                             m_lab.host(), QStringLiteral("--smtp-port"),
                             QString::number(m_lab.port(QStringLiteral("SUBMISSIONS"))), QStringLiteral("--smtp-security"),
                             QStringLiteral("tls"), QStringLiteral("--user"), QStringLiteral("ada@lab.test"),
                             QStringLiteral("--password-stdin")},
                            "secret\n");
        QCOMPARE(add.code, 0);
        const Run r = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("imap")});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("IMAP") && r.err.contains("not available"), r.err.constData());
    }

    void killedInTheMiddleOfRetrLosesAndDuplicatesNothing()
    {
        QTemporaryDir profile;
        FakeServer stall;
        QVERIFY(stall.loadScript(qEnvironmentVariable("TERN_TEST_DATA")
                                 + QStringLiteral("/scripts/pop3/stall-during-retr.script")));
        QVERIFY(stall.useLabCertificate(m_lab));
        stall.setImplicitTls(true);
        QVERIFY(stall.start());
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), QStringLiteral("u"), QStringLiteral("p"), stall.port()));
        QVERIFY(editAccount(profile.path(), QStringLiteral("pop"),
                            [](tern::accounts::Account &a) { a.options.pop3LeaveOnServer = false; }));

        QProcess p;
        setUp(p, profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QSignalSpy done(&p, &QProcess::finished);
        p.start();
        QTRY_VERIFY_WITH_TIMEOUT(stall.isScriptDone(), 30000); // half of message 2 is on its way
        p.kill(); // SIGKILL: no QUIT, no cleanup
        QVERIFY(done.wait(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY(!stall.clientLines().contains("DELE 2"));
        QVERIFY(!stall.clientLines().contains("QUIT"));

        {
            tern::store::Store store;
            QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
            QString integrity;
            QVERIFY2(store.integrityCheck(&integrity), qPrintable(integrity));
        }
        QCOMPARE(subjects(list(profile.path(), QStringLiteral("pop"))), QStringList{QStringLiteral("first message")});

        FakeServer rerun;
        QVERIFY(rerun.loadScript(qEnvironmentVariable("TERN_TEST_DATA")
                                 + QStringLiteral("/scripts/pop3/rerun-after-drop.script")));
        QVERIFY(rerun.useLabCertificate(m_lab));
        rerun.setImplicitTls(true);
        QVERIFY(rerun.start());
        QVERIFY(editAccount(profile.path(), QStringLiteral("pop"),
                            [&](tern::accounts::Account &a) { a.incoming.port = rerun.port(); }));
        const Run again = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(rerun.isScriptDone(), qPrintable(rerun.failure()));
        QCOMPARE(subjects(list(profile.path(), QStringLiteral("pop"))),
                 (QStringList{QStringLiteral("first message"), QStringLiteral("second message")}));
    }

    void dropInTheMiddleOfRetrLosesAndDuplicatesNothing()
    {
        QTemporaryDir profile;
        FakeServer drop;
        QVERIFY(drop.loadScript(qEnvironmentVariable("TERN_TEST_DATA")
                                + QStringLiteral("/scripts/pop3/drop-during-retr.script")));
        QVERIFY(drop.useLabCertificate(m_lab));
        drop.setImplicitTls(true);
        QVERIFY(drop.start());
        QVERIFY(addAccount(profile.path(), QStringLiteral("pop"), QStringLiteral("u"), QStringLiteral("p"), drop.port()));
        QVERIFY(editAccount(profile.path(), QStringLiteral("pop"),
                            [](tern::accounts::Account &a) { a.options.pop3LeaveOnServer = false; }));

        const Run broken = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QCOMPARE(broken.code, 1);
        QCOMPARE(broken.err.count('\n'), 1);
        QVERIFY2(drop.isScriptDone(), qPrintable(drop.failure()));
        QVERIFY(!drop.clientLines().contains("DELE 2")); // never a DELE for what was not stored
        QVERIFY(!drop.clientLines().contains("QUIT"));
        QCOMPARE(subjects(list(profile.path(), QStringLiteral("pop"))), QStringList{QStringLiteral("first message")});

        FakeServer rerun;
        QVERIFY(rerun.loadScript(qEnvironmentVariable("TERN_TEST_DATA")
                                 + QStringLiteral("/scripts/pop3/rerun-after-drop.script")));
        QVERIFY(rerun.useLabCertificate(m_lab));
        rerun.setImplicitTls(true);
        QVERIFY(rerun.start());
        QVERIFY(editAccount(profile.path(), QStringLiteral("pop"),
                            [&](tern::accounts::Account &a) { a.incoming.port = rerun.port(); }));
        const Run again = cli(profile.path(), {QStringLiteral("sync"), QStringLiteral("pop")});
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(rerun.isScriptDone(), qPrintable(rerun.failure()));
        QCOMPARE(subjects(list(profile.path(), QStringLiteral("pop"))),
                 (QStringList{QStringLiteral("first message"), QStringLiteral("second message")}));
    }
};

QTEST_GUILESS_MAIN(TestCliPop3Sync)
#include "tst_cli_pop3sync.moc"
