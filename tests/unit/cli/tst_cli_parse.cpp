// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli parse FILE --json: the contract's shape, checked against a message written by hand.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryFile>
#include <QTest>

class TestCliParse : public QObject
{
    Q_OBJECT

    static QByteArray parse(const QString &file, int *code, QByteArray *err = nullptr)
    {
        QProcess p;
        p.start(QStringLiteral(TERN_CLI), {QStringLiteral("parse"), file, QStringLiteral("--json")});
        p.waitForFinished(60000);
        *code = p.exitCode();
        if (err)
            *err = p.readAllStandardError();
        return p.readAllStandardOutput();
    }

private slots:
    void handWrittenMultipart()
    {
        int code = -1;
        QByteArray err;
        const QByteArray out = parse(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/cli/sample.eml"),
                                     &code, &err);
        QVERIFY2(code == 0, err.constData());
        const QJsonObject m = QJsonDocument::fromJson(out).object();
        QCOMPARE(m.value(QStringLiteral("subject")).toString(), QStringLiteral("Grüße from the lab"));
        QCOMPARE(m.value(QStringLiteral("from")).toString(), QStringLiteral("Ada Lovelace <ada@lab.test>"));
        QCOMPARE(m.value(QStringLiteral("to")).toString(), QStringLiteral("Bob <bob@lab.test>, carol@lab.test"));
        QCOMPARE(m.value(QStringLiteral("cc")).toString(), QStringLiteral("dave@lab.test"));
        QCOMPARE(m.value(QStringLiteral("date")).toString(), QStringLiteral("2023-11-14T22:13:20Z"));
        QVERIFY(m.value(QStringLiteral("text")).toString().startsWith(QStringLiteral("Hello Bob, grüße!")));
        QVERIFY(m.value(QStringLiteral("html")).toString().contains(QStringLiteral("<p>Hello Bob</p>")));

        const QJsonObject headers = m.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("Message-ID")).toString(), QStringLiteral("<sample-1@lab.test>"));
        QCOMPARE(headers.value(QStringLiteral("Received")).toArray().size(), 2);

        const QJsonArray attachments = m.value(QStringLiteral("attachments")).toArray();
        QCOMPARE(attachments.size(), 1);
        const QJsonObject a = attachments.at(0).toObject();
        const QByteArray content("The analytical engine weaves algebraic patterns.\n");
        QCOMPARE(a.value(QStringLiteral("filename")).toString(), QStringLiteral("notes.txt"));
        QCOMPARE(a.value(QStringLiteral("mime_type")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(a.value(QStringLiteral("size")).toInteger(), content.size());
        QCOMPARE(a.value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex()));

        // structure: mixed(alternative(plain, html), attachment)
        const QJsonObject root = m.value(QStringLiteral("structure")).toObject();
        QCOMPARE(root.value(QStringLiteral("content_type")).toString(), QStringLiteral("multipart/mixed"));
        const QJsonArray parts = root.value(QStringLiteral("parts")).toArray();
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0).toObject().value(QStringLiteral("content_type")).toString(),
                 QStringLiteral("multipart/alternative"));
        QCOMPARE(parts.at(0).toObject().value(QStringLiteral("parts")).toArray().size(), 2);
        QCOMPARE(parts.at(1).toObject().value(QStringLiteral("encoding")).toString(), QStringLiteral("base64"));
    }

    void notAFileIsOneClearLine()
    {
        int code = -1;
        QByteArray err;
        parse(QStringLiteral("/nonexistent/message.eml"), &code, &err);
        QVERIFY(code != 0);
        QCOMPARE(err.count('\n'), 1);
        QVERIFY(err.startsWith("tern-cli: cannot read"));
    }

    void garbageStillParsesToSomething()
    {
        QTemporaryFile f;
        QVERIFY(f.open());
        f.write(QByteArray("\x00\xff\r\n\r\n--\r\n\x1b[31m", 12));
        f.close();
        int code = -1;
        const QByteArray out = parse(f.fileName(), &code);
        QCOMPARE(code, 0);
        QVERIFY(QJsonDocument::fromJson(out).isObject());
    }
};

QTEST_GUILESS_MAIN(TestCliParse)
#include "tst_cli_parse.moc"
