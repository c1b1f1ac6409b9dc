// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/linebuffer.h"

#include <QTest>

using tern::protocols::LineBuffer;

class TestLineBuffer : public QObject
{
    Q_OBJECT

private:
    static QList<QByteArray> drain(LineBuffer &buffer)
    {
        QList<QByteArray> lines;
        while (auto line = buffer.takeLine())
            lines.append(*line);
        return lines;
    }

private slots:
    void splitsLines_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("lines");
        QTest::addColumn<qsizetype>("left");

        QTest::newRow("crlf") << QByteArray("a\r\nbb\r\n") << QList<QByteArray>{"a", "bb"} << qsizetype(0);
        QTest::newRow("bare lf") << QByteArray("a\nb\r\n") << QList<QByteArray>{"a", "b"} << qsizetype(0);
        QTest::newRow("partial tail") << QByteArray("one\r\ntw") << QList<QByteArray>{"one"} << qsizetype(2);
        QTest::newRow("empty line") << QByteArray("\r\n\r\n") << QList<QByteArray>{"", ""} << qsizetype(0);
        QTest::newRow("cr inside") << QByteArray("a\rb\r\n") << QList<QByteArray>{"a\rb"} << qsizetype(0);
        QTest::newRow("nul kept") << QByteArray("a\0b\r\n", 5) << QList<QByteArray>{QByteArray("a\0b", 3)}
                                  << qsizetype(0);
    }

    void splitsLines()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, lines);
        QFETCH(qsizetype, left);

        LineBuffer whole;
        whole.feed(input);
        QCOMPARE(drain(whole), lines);
        QCOMPARE(whole.bufferedSize(), left);

        // The same bytes one at a time: a codec must not care how TCP cut the stream.
        LineBuffer bytewise;
        QList<QByteArray> got;
        for (char c : input) {
            bytewise.feed(QByteArrayView(&c, 1));
            got += drain(bytewise);
        }
        QCOMPARE(got, lines);
        QCOMPARE(bytewise.bufferedSize(), left);
    }

    void takesExactBytesAfterALine()
    {
        LineBuffer buffer;
        buffer.feed("* 1 FETCH (BODY[] {5}\r\nhel");
        QCOMPARE(buffer.takeLine(), QByteArray("* 1 FETCH (BODY[] {5}"));
        QVERIFY(!buffer.takeBytes(5));
        buffer.feed("lo)\r\n");
        QCOMPARE(buffer.takeBytes(5), QByteArray("hello"));
        QCOMPARE(buffer.takeLine(), QByteArray(")"));
    }

    void overlongLineIsAnErrorNotAnAllocation()
    {
        LineBuffer buffer(1024);
        const QByteArray chunk(512, 'x');
        for (int i = 0; i < 10 && !buffer.hasOverflowed(); ++i) {
            buffer.feed(chunk);
            QVERIFY(!buffer.takeLine());
        }
        QVERIFY(buffer.hasOverflowed());
        QCOMPARE(buffer.bufferedSize(), 0);
        buffer.feed("more\r\n"); // ignored until the owner decides what to do
        QVERIFY(!buffer.takeLine());
    }

    void overlongTerminatedLineIsAlsoAnError()
    {
        LineBuffer buffer(8);
        buffer.feed("0123456789\r\n");
        QVERIFY(!buffer.takeLine());
        QVERIFY(buffer.hasOverflowed());
    }

    void clearDiscardsEverythingBufferedBeforeTls()
    {
        // RFC 3207 §4.2: the "220 Ready to start TLS" line and anything injected after it in the same
        // packet must not survive into the TLS session.
        LineBuffer buffer;
        buffer.feed("220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n");
        QCOMPARE(buffer.takeLine(), QByteArray("220 2.0.0 Ready to start TLS"));
        buffer.clear();
        QCOMPARE(buffer.bufferedSize(), 0);
        QVERIFY(!buffer.takeLine());
    }

    void manySmallFeedsStayLinear()
    {
        // A 4 MB stream of short lines fed in 7-byte pieces: compaction keeps the buffer small.
        LineBuffer buffer;
        const QByteArray line("* 12345 FETCH (FLAGS (\\Seen))\r\n");
        QByteArray stream;
        for (int i = 0; i < 4 * 1024 * 1024 / line.size(); ++i)
            stream += line;
        qsizetype lines = 0;
        for (qsizetype i = 0; i < stream.size(); i += 7) {
            buffer.feed(QByteArrayView(stream).sliced(i, qMin<qsizetype>(7, stream.size() - i)));
            while (buffer.takeLine())
                ++lines;
            QVERIFY(buffer.bufferedSize() < 64);
        }
        QCOMPARE(lines, stream.size() / line.size());
    }
};

QTEST_APPLESS_MAIN(TestLineBuffer)
#include "tst_linebuffer.moc"
