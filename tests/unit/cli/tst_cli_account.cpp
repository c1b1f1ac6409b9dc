// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli's account commands as a script sees them: the contract of the core issue.
#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCliAccount : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;

    using Result = tern::test::CliRunner::Result;

    Result run(const QStringList &args, const QByteArray &input = {})
    {
        return tern::test::CliRunner(QStringLiteral(TERN_CLI), m_profile.path()).run(args, input);
    }

    static QStringList addArgs(const QString &name, const QString &incoming)
    {
        return {QStringLiteral("account"), QStringLiteral("add"), name,
                QStringLiteral("--email"), QStringLiteral("ada@lab.test"),
                QStringLiteral("--display-name"), QStringLiteral("Ada"),
                QStringLiteral("--incoming"), incoming,
                QStringLiteral("--incoming-host"), QStringLiteral("127.0.0.1"),
                QStringLiteral("--incoming-port"), QStringLiteral("993"),
                QStringLiteral("--incoming-security"), QStringLiteral("tls"),
                QStringLiteral("--smtp-host"), QStringLiteral("127.0.0.1"),
                QStringLiteral("--smtp-port"), QStringLiteral("465"),
                QStringLiteral("--smtp-security"), QStringLiteral("tls"),
                QStringLiteral("--user"), QStringLiteral("ada@lab.test"),
                QStringLiteral("--password-stdin")};
    }

private slots:
    void versionIsPrinted()
    {
        const Result r = run({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("tern-cli "));
    }

    void addThenListAsJson()
    {
        Result r = run(addArgs(QStringLiteral("Lab IMAP"), QStringLiteral("imap")), "s3cret\n");
        QVERIFY2(r.code == 0, r.err.constData());
        r = run(addArgs(QStringLiteral("Lab POP"), QStringLiteral("pop3")), "s3cret\n");
        QVERIFY2(r.code == 0, r.err.constData());

        r = run({QStringLiteral("account"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(list.size(), 2);
        const QJsonObject pop = list.at(1).toObject();
        QCOMPARE(pop.value(QStringLiteral("name")).toString(), QStringLiteral("Lab POP"));
        QCOMPARE(pop.value(QStringLiteral("incoming")).toObject().value(QStringLiteral("protocol")).toString(),
                 QStringLiteral("pop3"));
        QVERIFY(!r.out.contains("s3cret"));

        // The password is in the vault, encrypted, not in any plain file of the profile.
        for (const QString &file : QDir(m_profile.path()).entryList(QDir::Files)) {
            QFile f(m_profile.filePath(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("s3cret"), qPrintable(file));
        }
    }

    void errorsAreOneClearLineAndNonZero_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("mentions");
        QStringList noSecurity = addArgs(QStringLiteral("X"), QStringLiteral("imap"));
        noSecurity.replace(noSecurity.indexOf(QStringLiteral("--incoming-security")) + 1, QStringLiteral("ssl3"));
        QStringList noPasswordFlag = addArgs(QStringLiteral("Y"), QStringLiteral("imap"));
        noPasswordFlag.removeLast();
        QTest::newRow("bad security") << noSecurity << QByteArray("pw\n") << QByteArray("tls, starttls or none");
        QTest::newRow("bad protocol") << addArgs(QStringLiteral("Z"), QStringLiteral("smtp")) << QByteArray("pw\n")
                                      << QByteArray("imap or pop3");
        QTest::newRow("no password flag") << noPasswordFlag << QByteArray("pw\n") << QByteArray("--password-stdin");
        QTest::newRow("empty stdin") << addArgs(QStringLiteral("W"), QStringLiteral("imap")) << QByteArray()
                                     << QByteArray("no password");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QByteArray()
                                         << QByteArray("unknown command");
    }

    void errorsAreOneClearLineAndNonZero()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, mentions);
        const Result r = run(args, input);
        QVERIFY(r.code != 0);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("tern-cli: ") && r.err.contains(mentions), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliAccount)
#include "tst_cli_account.moc"
