// SPDX-License-Identifier: GPL-3.0-or-later
// Transfer encodings (RFC 2045 section 6) and charsets: decoders tolerant of real-world damage.
#include "mime/charset.h"
#include "mime/flowed.h"
#include "mime/transfer.h"

#include <QTest>

using namespace tern::mime;

class TestMimeTransfer : public QObject
{
    Q_OBJECT

private slots:
    void base64_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("plain") << QByteArray("SGVsbG8=") << QByteArray("Hello");
        QTest::newRow("no padding") << QByteArray("SGVsbG8") << QByteArray("Hello");
        QTest::newRow("line breaks") << QByteArray("SGVs\r\nbG8h\r\n") << QByteArray("Hello!");
        QTest::newRow("junk and spaces") << QByteArray("SG V*sb#G8h") << QByteArray("Hello!");
        QTest::newRow("two blocks glued") << QByteArray("SGk=SGk=") << QByteArray("HiHi");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("only junk") << QByteArray("!!!\r\n") << QByteArray();
        QTest::newRow("url-safe") << QByteArray("-_-_") << QByteArray("\xfb\xff\xbf");
    }
    void base64()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(decodeBase64(in), out);
    }

    void quotedPrintable_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("escape") << QByteArray("caf=C3=A9") << QByteArray("caf\xc3\xa9");
        QTest::newRow("lower-case hex") << QByteArray("caf=c3=a9") << QByteArray("caf\xc3\xa9");
        QTest::newRow("soft break CRLF") << QByteArray("ab=\r\ncd") << QByteArray("abcd");
        QTest::newRow("soft break LF") << QByteArray("ab=\ncd") << QByteArray("abcd");
        QTest::newRow("soft break after spaces") << QByteArray("ab= \t\r\ncd") << QByteArray("abcd");
        QTest::newRow("bad escape kept") << QByteArray("a=ZZb") << QByteArray("a=ZZb");
        QTest::newRow("lone equals at end") << QByteArray("a=") << QByteArray("a");
        // Kept, unlike RFC 2045 6.7 rule 3: format=flowed soft breaks are trailing spaces, often not escaped.
        QTest::newRow("trailing whitespace kept") << QByteArray("a  \r\nb") << QByteArray("a  \r\nb");
        QTest::newRow("inner spaces kept") << QByteArray("a  b") << QByteArray("a  b");
    }
    void quotedPrintable()
    {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(decodeQuotedPrintable(in), out);
    }

    void qpRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("long line") << QByteArray(300, 'x');
        QTest::newRow("trailing space") << QByteArray("a \r\nb\t\r\n");
        QTest::newRow("utf-8") << QByteArray("gr\xc3\xbc\xc3\x9f dich =) \r\n");
        QTest::newRow("dot and From") << QByteArray(".\r\nFrom me\r\n");
    }
    void qpRoundTrip()
    {
        QFETCH(QByteArray, text);
        const QByteArray encoded = encodeQuotedPrintable(text);
        for (const QByteArray &line : encoded.split('\n'))
            QVERIFY(line.size() <= 77);
        QCOMPARE(decodeQuotedPrintable(encoded), text);
        QByteArray binary;
        for (int i = 0; i < 256; ++i)
            binary.append(char(i));
        QCOMPARE(decodeQuotedPrintable(encodeQuotedPrintable(binary, true)), binary);
        QCOMPARE(decodeBase64(encodeBase64Lines(binary)), binary);
    }

    void charsets_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("charset");
        QTest::addColumn<QString>("text");
        QTest::newRow("utf-8") << QByteArray("\xc3\xa9t\xc3\xa9") << QByteArray("UTF-8") << QStringLiteral("été");
        QTest::newRow("latin1 is cp1252") << QByteArray("\x80 \xe9") << QByteArray("iso-8859-1") << QStringLiteral("€ é");
        QTest::newRow("declared utf-8, is cp1252") << QByteArray("caf\xe9") << QByteArray("utf-8") << QStringLiteral("café");
        QTest::newRow("no charset, utf-8 bytes") << QByteArray("\xc3\xa9") << QByteArray() << QStringLiteral("é");
        QTest::newRow("unknown charset") << QByteArray("\xc3\xa9") << QByteArray("x-made-up") << QStringLiteral("é");
        QTest::newRow("koi8-r") << QByteArray("\xf0\xd2\xc9\xd7\xc5\xd4") << QByteArray("KOI8-R") << QStringLiteral("Привет");
        QTest::newRow("iso-8859-2") << QByteArray("\xb1") << QByteArray("ISO-8859-2") << QStringLiteral("ą");
        QTest::newRow("shift_jis") << QByteArray("\x93\xfa\x96\x7b") << QByteArray("Shift_JIS") << QStringLiteral("日本");
        QTest::newRow("iso-2022-jp") << QByteArray("\x1b$BF|K\\\x1b(B") << QByteArray("ISO-2022-JP") << QStringLiteral("日本");
        QTest::newRow("gb2312 as gb18030") << QByteArray("\xd6\xd0\xce\xc4") << QByteArray("gb2312") << QStringLiteral("中文");
        QTest::newRow("utf-7") << QByteArray("Hi Mom -+Jjo--!") << QByteArray("UTF-7") << QStringLiteral("Hi Mom -☺-!");
        QTest::newRow("windows-1251") << QByteArray("\xcf\xf0\xe8") << QByteArray("windows-1251") << QStringLiteral("При");
        QTest::newRow("charset with language") << QByteArray("\xc3\xa9") << QByteArray("utf-8*fr") << QStringLiteral("é");
    }
    void charsets()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, charset);
        QFETCH(QString, text);
        QCOMPARE(decodeCharset(bytes, charset), text);
    }

    void flowed_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<bool>("delSp");
        QTest::addColumn<QString>("out");
        QTest::newRow("soft break") << QStringLiteral("Hello \r\nworld\r\n") << false << QStringLiteral("Hello world\n");
        QTest::newRow("delsp") << QStringLiteral("Hel \r\nlo\r\n") << true << QStringLiteral("Hello\n");
        QTest::newRow("space-stuffed") << QStringLiteral(" >not a quote\r\n") << false << QStringLiteral(">not a quote\n");
        QTest::newRow("quoted") << QStringLiteral(">> a \r\n>> b\r\nc\r\n") << false << QStringLiteral(">> a b\nc\n");
        QTest::newRow("depth change ends paragraph") << QStringLiteral("> a \r\nb\r\n") << false << QStringLiteral("> a \nb\n");
        QTest::newRow("signature not flowed") << QStringLiteral("-- \r\nme\r\n") << false << QStringLiteral("-- \nme\n");
    }
    void flowed()
    {
        QFETCH(QString, in);
        QFETCH(bool, delSp);
        QFETCH(QString, out);
        QCOMPARE(decodeFlowed(in, delSp), out);
    }

    void flowedRoundTrip()
    {
        const QString text = QStringLiteral("A long paragraph that goes on and on well past seventy-two characters so "
                                            "that it has to be broken into several lines by the encoder.\n"
                                            ">quoted-looking line\n From line\nFrom here\n\nend");
        const QString encoded = encodeFlowed(text);
        for (const QString &line : encoded.split(QStringLiteral("\r\n")))
            QVERIFY2(line.size() <= 78, qPrintable(line));
        QCOMPARE(decodeFlowed(encoded, false), text + QLatin1Char('\n'));
    }
};

QTEST_APPLESS_MAIN(TestMimeTransfer)
#include "tst_mime_transfer.moc"
