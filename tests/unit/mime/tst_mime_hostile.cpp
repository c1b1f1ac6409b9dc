// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and malformed messages (SECURITY.md P3): each has a hand-written expected safe result. The big ones
// are generated here, not committed.
#include "mime/encodedword.h"
#include "mime/message.h"
#include "structuredump.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

using namespace tern::mime;

class TestMimeHostile : public QObject
{
    Q_OBJECT

private slots:
    void corpus_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/mime"));
        const auto files = dir.entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 5);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }
    void corpus()
    {
        QFETCH(QString, path);
        QFile eml(path);
        QFile expected(path.chopped(4) + QStringLiteral(".expected"));
        QVERIFY(eml.open(QIODevice::ReadOnly));
        QVERIFY(expected.open(QIODevice::ReadOnly));
        const Message message(eml.readAll());
        QCOMPARE(dumpStructure(message) + dumpSafeView(message), QString::fromUtf8(expected.readAll()));
    }

    // 1,000 nested multiparts: the parser stops at its depth bound and the rest is one opaque part.
    void deepNesting()
    {
        QByteArray raw;
        const int levels = 1000;
        for (int i = 0; i < levels; ++i)
            raw += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) + "\r\n\r\n--b"
                + QByteArray::number(i) + "\r\n";
        raw += "Content-Type: text/plain\r\n\r\ndeep\r\n";
        for (int i = levels - 1; i >= 0; --i)
            raw += "--b" + QByteArray::number(i) + "--\r\n";
        const Limits limits;
        const Message m(raw, limits);
        QVERIFY(m.hasIssue(Issue::DepthLimit));
        QCOMPARE(int(m.parts().size()), limits.maxDepth + 1);
        const Part &last = m.parts().back();
        QCOMPARE(last.depth, limits.maxDepth);
        QVERIFY(last.opaque);
        QVERIFY(last.children.empty());
        // Every level above the bound closed properly.
        for (size_t i = 0; i + 1 < m.parts().size(); ++i)
            QVERIFY(!m.parts()[i].missingCloseBoundary);
    }

    void deepRfc822Nesting()
    {
        QByteArray raw;
        for (int i = 0; i < 1000; ++i)
            raw += "Content-Type: message/rfc822\n\n";
        raw += "innermost";
        const Message m(raw);
        QCOMPARE(int(m.parts().size()), Limits().maxDepth + 1);
        QVERIFY(m.parts().back().opaque);
    }

    // 100,000 parts: capped, the rest one opaque attachment, parsing stays linear.
    void manyParts()
    {
        QByteArray raw("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
        for (int i = 0; i < 100000; ++i)
            raw += "--x\r\n\r\np\r\n";
        raw += "--x--\r\n";
        const Limits limits;
        const Message m(raw, limits);
        QVERIFY(m.hasIssue(Issue::PartLimit));
        QCOMPARE(int(m.parts().size()), limits.maxParts);
        const Part &rest = m.parts().back();
        QVERIFY(rest.opaque);
        QCOMPARE(rest.contentType.type, QByteArray("application"));
        QVERIFY(m.view(rest.body).endsWith("p"));
        QVERIFY(!m.root().missingCloseBoundary);
    }

    // A 50 MB header line: the field is cut at the bound, the rest of the message is still found.
    void hugeHeaderLine()
    {
        QByteArray raw("Subject: ");
        raw += QByteArray(50 * 1024 * 1024, 'A');
        raw += "\r\nFrom: a@example.org\r\n\r\nbody";
        const Message m(raw);
        QVERIFY(m.hasIssue(Issue::HeaderTruncated));
        const qsizetype subject = m.header(0, "subject").size();
        QVERIFY(subject <= HeaderLimits().maxFieldBytes && subject >= HeaderLimits().maxFieldBytes - 1);
        QCOMPARE(m.header(0, "from"), QByteArray("a@example.org"));
        QCOMPARE(m.decodedBody(0), QByteArray("body"));
    }

    void manyHeaderFields()
    {
        QByteArray raw;
        for (int i = 0; i < 100000; ++i)
            raw += "X-Junk: " + QByteArray::number(i) + "\r\n";
        raw += "\r\nbody";
        const Message m(raw);
        QVERIFY(m.hasIssue(Issue::HeaderTruncated));
        QCOMPARE(m.root().fieldCount, HeaderLimits().maxFields);
        QCOMPARE(m.decodedBody(0), QByteArray("body"));
    }

    // An encoded-word bomb: 200,000 words. Only kMaxEncodedWords are decoded, and quickly.
    void encodedWordBomb()
    {
        QByteArray subject;
        for (int i = 0; i < 200000; ++i)
            subject += "=?utf-8?b?QQ==?= ";
        QElapsedTimer timer;
        timer.start();
        const QString text = decodeHeaderText(subject);
        QVERIFY(text.startsWith(QString(kMaxEncodedWords, QLatin1Char('A')) + QLatin1Char(' ')));
        QCOMPARE(text.count(QLatin1Char('A')), kMaxEncodedWords);
        // Through the parser the field is also bounded in size.
        const Message m("Subject: " + subject + "\r\n\r\n");
        QVERIFY(m.headerText(0, "subject").size() <= HeaderLimits().maxFieldBytes);
    }

    // Many openers and one far close (or none): each opener must not rescan to the end (that was
    // quadratic, minutes for this input).
    void encodedWordOpenersWithoutClose()
    {
        QByteArray openers;
        for (int i = 0; i < 300000; ++i)
            openers += "=?a?q?x";
        const QString none = decodeHeaderText(openers);
        QCOMPARE(none.size(), openers.size());
        const QString farClose = decodeHeaderText(QByteArray(openers + "?="));
        QVERIFY(farClose.endsWith(QLatin1StringView("x")));
        QVERIFY(farClose.size() < openers.size());
    }

    void nulBytesEverywhere()
    {
        static const char data[] = "Sub\0ject: a\0b\r\nContent-Type: multipart/mixed; boundary=\"\0\"\r\n\r\n--\0\r\n\r\nx\0\r\n--\0--\r\n";
        const QByteArray raw(data, sizeof(data) - 1);
        const Message m(raw);
        QCOMPARE(dumpStructure(m), QStringLiteral("multipart/mixed\n  text/plain size=2\n"));
    }
};

QTEST_APPLESS_MAIN(TestMimeHostile)
#include "tst_mime_hostile.moc"
