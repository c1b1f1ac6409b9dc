// SPDX-License-Identifier: GPL-3.0-or-later
// Headers (RFC 5322) and structure (RFC 2045/2046): table rows of raw messages -> the structure and values
// written by hand from the RFCs. Every row also parses with CRLF and with bare LF line ends.
#include "mime/encodedword.h"
#include "mime/message.h"
#include "structuredump.h"

#include <QRegularExpression>
#include <QTest>

using namespace tern::mime;

namespace {

QByteArray crlf(QByteArray lf)
{
    return lf.replace("\n", "\r\n");
}

} // namespace

class TestMimeParser : public QObject
{
    Q_OBJECT

private slots:
    void headers_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("simple") << QByteArray("Subject: hi\n\nbody") << QByteArray("subject") << QByteArray("hi");
        QTest::newRow("folded") << QByteArray("Subject: a\n  b\n\tc\n\n") << QByteArray("Subject") << QByteArray("a  b\tc");
        QTest::newRow("obsolete space before colon") << QByteArray("Subject : x\n\n") << QByteArray("subject") << QByteArray("x");
        QTest::newRow("mbox From line") << QByteArray("From a@b Mon Jan 1 00:00:00 2024\nSubject: x\n\n")
                                        << QByteArray("subject") << QByteArray("x");
        QTest::newRow("first of two") << QByteArray("X: 1\nX: 2\n\n") << QByteArray("x") << QByteArray("1");
        QTest::newRow("junk line skipped") << QByteArray("A: 1\njunk\nB: 2\n\n") << QByteArray("b") << QByteArray("2");
        QTest::newRow("empty value") << QByteArray("A:\n\n") << QByteArray("a") << QByteArray();
        QTest::newRow("no body") << QByteArray("A: 1") << QByteArray("a") << QByteArray("1");
    }
    void headers()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, name);
        QFETCH(QByteArray, value);
        QCOMPARE(Message(raw).header(0, name), value);
        QCOMPARE(Message(crlf(raw)).header(0, name), value);
    }

    void encodedWords_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("text");
        // RFC 2047 section 8 examples.
        QTest::newRow("single") << QByteArray("(=?ISO-8859-1?Q?a?=)") << QStringLiteral("(a)");
        QTest::newRow("word then text") << QByteArray("(=?ISO-8859-1?Q?a?= b)") << QStringLiteral("(a b)");
        QTest::newRow("adjacent") << QByteArray("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") << QStringLiteral("(ab)");
        QTest::newRow("adjacent, folded") << QByteArray("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)") << QStringLiteral("(ab)");
        QTest::newRow("underscore") << QByteArray("(=?ISO-8859-1?Q?a_b?=)") << QStringLiteral("(a b)");
        QTest::newRow("encoded space between") << QByteArray("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)") << QStringLiteral("(a b)");
        QTest::newRow("base64") << QByteArray("=?utf-8?B?w6l0w6k=?=") << QStringLiteral("été");
        QTest::newRow("char split across words") << QByteArray("=?utf-8?B?ww==?= =?utf-8?B?qQ==?=") << QStringLiteral("é");
        QTest::newRow("utf-8 split in Q") << QByteArray("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=") << QStringLiteral("é");
        QTest::newRow("malformed kept") << QByteArray("=?utf-8?X?abc?= x") << QStringLiteral("=?utf-8?X?abc?= x");
        QTest::newRow("space inside: not a word") << QByteArray("=?utf-8?Q?a b?=") << QStringLiteral("=?utf-8?Q?a b?=");
        QTest::newRow("raw utf-8 header") << QByteArray("caf\xc3\xa9") << QStringLiteral("café");
        QTest::newRow("raw latin1 header") << QByteArray("caf\xe9") << QStringLiteral("café");
        QTest::newRow("language suffix") << QByteArray("=?US-ASCII*EN?Q?Keith?=") << QStringLiteral("Keith");
    }
    void encodedWords()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, text);
        QCOMPARE(decodeHeaderText(raw), text);
    }

    void encodeHeaderRoundTrip_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << QStringLiteral("Hello world");
        QTest::newRow("accents") << QStringLiteral("Grüße aus Köln");
        QTest::newRow("long cjk") << QString(200, QChar(0x65e5));
        QTest::newRow("looks encoded") << QStringLiteral("=?utf-8?q?x?=");
        QTest::newRow("emoji") << QStringLiteral("fire \U0001F525 and ice");
        QTest::newRow("leading space") << QStringLiteral(" x");
    }
    void encodeHeaderRoundTrip()
    {
        QFETCH(QString, text);
        const QByteArray encoded = encodeHeaderText(text);
        for (const QByteArray &line : encoded.split('\n'))
            QVERIFY(line.size() <= 78);
        QCOMPARE(decodeHeaderText(encoded), text);
    }

    void structure_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("dump");
        QTest::newRow("no content-type") << QByteArray("Subject: x\n\nhello\n") << QStringLiteral("text/plain size=6\n");
        QTest::newRow("multipart") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\npreamble\n--b\n\nhi\n--b\n"
                                                 "Content-Type: text/html\n\n<p>\n--b--\nepilogue\n")
                                   << QStringLiteral("multipart/mixed\n  text/plain size=2\n  text/html size=3\n");
        QTest::newRow("quoted boundary, padding") << QByteArray("Content-Type: multipart/mixed; boundary=\"a b\"\n\n--a b  \n\nx\n--a b-- \n")
                                                  << QStringLiteral("multipart/mixed\n  text/plain size=1\n");
        QTest::newRow("boundary prefix is not a delimiter") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bb\n--b--\n")
                                                            << QStringLiteral("multipart/mixed\n  text/plain size=4\n");
        QTest::newRow("missing close") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n")
                                       << QStringLiteral("multipart/mixed unclosed\n  text/plain size=2\n");
        QTest::newRow("inner close missing") << QByteArray("Content-Type: multipart/mixed; boundary=o\n\n--o\n"
                                                           "Content-Type: multipart/alternative; boundary=i\n\n--i\n\na\n"
                                                           "--o\n\nb\n--o--\n")
                                             << QStringLiteral("multipart/mixed\n  multipart/alternative unclosed\n"
                                                               "    text/plain size=1\n  text/plain size=1\n");
        QTest::newRow("rfc822 inside") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                                                     "Content-Type: message/rfc822\n\nSubject: inner\n\nbody\n--b--\n")
                                       << QStringLiteral("multipart/mixed\n  message/rfc822\n    text/plain size=4\n");
        QTest::newRow("digest default") << QByteArray("Content-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: x\n\nyo\n--b--\n")
                                        << QStringLiteral("multipart/digest\n  message/rfc822\n    text/plain size=2\n");
        QTest::newRow("multipart without boundary") << QByteArray("Content-Type: multipart/mixed\n\nx\n")
                                                    << QStringLiteral("multipart/mixed size=2\n");
        QTest::newRow("header runs into delimiter") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                                                                  "Content-Type: text/plain\n--b\n\nz\n--b--\n")
                                                    << QStringLiteral("multipart/mixed\n  text/plain size=0\n  text/plain size=1\n");
        QTest::newRow("base64 part") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                                                   "Content-Transfer-Encoding: BASE64\n\naGVsbG8=\n--b--\n")
                                     << QStringLiteral("multipart/mixed\n  text/plain size=5\n");
        QTest::newRow("From line inside a part is text") << QByteArray("Content-Type: multipart/mixed; boundary=b\n\n--b\nFrom here\n--b--\n")
                                                         << QStringLiteral("multipart/mixed\n  text/plain size=9\n");
        QTest::newRow("broken content-type") << QByteArray("Content-Type: ;;;\n\nx") << QStringLiteral("text/plain size=1\n");
    }
    void structure()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, dump);
        QCOMPARE(dumpStructure(Message(raw)), dump);
        // With CRLF the sizes of bodies holding line breaks differ; the shape must not.
        static const QRegularExpression size(QStringLiteral(" size=\\d+"));
        QCOMPARE(dumpStructure(Message(crlf(raw))).remove(size), QString(dump).remove(size));
    }

    void bodyRanges()
    {
        const QByteArray raw = crlf("Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\nhi\n--b--\nepi\n");
        const Message m(raw);
        QCOMPARE(m.view(m.root().preamble), QByteArrayView("pre"));
        QCOMPARE(m.view(m.root().epilogue), QByteArrayView("epi\r\n"));
        QCOMPARE(m.view(m.part(1).body), QByteArrayView("hi"));
        QVERIFY(!m.root().missingCloseBoundary);
    }

    // RFC 2046 section 5.1.1, the example message: what belongs to the parts, preamble and epilogue.
    void rfc2046Example()
    {
        const QByteArray raw = crlf("From: Nathaniel Borenstein <nsb@bellcore.com>\n"
                                    "To: Ned Freed <ned@innosoft.com>\n"
                                    "Date: Sun, 21 Mar 1993 23:56:48 -0800 (PST)\n"
                                    "Subject: Sample message\n"
                                    "MIME-Version: 1.0\n"
                                    "Content-type: multipart/mixed; boundary=\"simple boundary\"\n"
                                    "\n"
                                    "This is the preamble.  It is to be ignored, though it\n"
                                    "is a handy place for composition agents to include an\n"
                                    "explanatory note to non-MIME conformant readers.\n"
                                    "\n"
                                    "--simple boundary\n"
                                    "\n"
                                    "This is implicitly typed plain US-ASCII text.\n"
                                    "It does NOT end with a linebreak.\n"
                                    "--simple boundary\n"
                                    "Content-type: text/plain; charset=us-ascii\n"
                                    "\n"
                                    "This is explicitly typed plain US-ASCII text.\n"
                                    "It DOES end with a linebreak.\n"
                                    "\n"
                                    "--simple boundary--\n"
                                    "\n"
                                    "This is the epilogue.  It is also to be ignored.\n");
        const Message m(raw);
        QCOMPARE(m.root().children.size(), size_t(2));
        QCOMPARE(m.text(m.root().children[0]),
                 QStringLiteral("This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak."));
        QCOMPARE(m.text(m.root().children[1]),
                 QStringLiteral("This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n"));
        QVERIFY(m.view(m.root().preamble).startsWith("This is the preamble."));
        QVERIFY(m.view(m.root().preamble).endsWith("readers.\r\n"));
        QCOMPARE(m.view(m.root().epilogue), QByteArrayView("\r\nThis is the epilogue.  It is also to be ignored.\r\n"));
        QCOMPARE(m.headerText(0, "subject"), QStringLiteral("Sample message"));
        QVERIFY(!m.root().missingCloseBoundary);
    }

    void textDecoding()
    {
        const Message m(QByteArray("Content-Type: text/plain; charset=iso-8859-1; format=flowed\n"
                                   "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 \nau lait\n"));
        QCOMPARE(m.text(0), QStringLiteral("café au lait\n"));
    }

    void htmlMetaCharset_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("text");
        QTest::newRow("meta charset") << QByteArray("Content-Type: text/html\n\n<meta charset=\"koi8-r\"><p>\xf0\xd2\xc9")
                                      << QStringLiteral("<meta charset=\"koi8-r\"><p>При");
        QTest::newRow("http-equiv") << QByteArray("Content-Type: text/html\n\n<META http-equiv=Content-Type content=\"text/html; charset=iso-8859-2\">\xb1")
                                    << QStringLiteral("<META http-equiv=Content-Type content=\"text/html; charset=iso-8859-2\">ą");
        QTest::newRow("parameter wins") << QByteArray("Content-Type: text/html; charset=utf-8\n\n<meta charset=koi8-r>\xc3\xa9")
                                        << QStringLiteral("<meta charset=koi8-r>é");
        QTest::newRow("no meta: fallback") << QByteArray("Content-Type: text/html\n\ncharset=koi8-r \xe9") << QStringLiteral("charset=koi8-r é");
    }
    void htmlMetaCharset()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, text);
        QCOMPARE(Message(raw).text(0), text);
    }

    void parameters_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("filename");
        QTest::newRow("plain") << QByteArray("attachment; filename=a.txt") << QStringLiteral("a.txt");
        QTest::newRow("quoted") << QByteArray("attachment; filename=\"a \\\"b\\\".txt\"") << QStringLiteral("a \"b\".txt");
        // RFC 2231 section 4.
        QTest::newRow("2231 charset") << QByteArray("attachment; filename*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A")
                                      << QStringLiteral("This is ***fun***");
        QTest::newRow("2231 continuations") << QByteArray("attachment; filename*0*=UTF-8''caf%C3; filename*1*=%A9.txt")
                                            << QStringLiteral("café.txt");
        QTest::newRow("2231 mixed sections") << QByteArray("attachment; filename*1=\" b\"; filename*0*=utf-8''%C3%A9")
                                             << QStringLiteral("é b");
        QTest::newRow("2231 plain continuations") << QByteArray("attachment; filename*0=\"ab\"; filename*1=\"cd\"")
                                                  << QStringLiteral("abcd");
        QTest::newRow("2047 in quotes") << QByteArray("attachment; filename=\"=?UTF-8?B?w6l0w6kucGRm?=\"")
                                        << QStringLiteral("été.pdf");
        QTest::newRow("unquoted with spaces") << QByteArray("attachment; filename=my file.txt") << QStringLiteral("my file.txt");
        QTest::newRow("comment") << QByteArray("attachment (c); filename=x") << QStringLiteral("x");
        QTest::newRow("latin1 raw") << QByteArray("attachment; filename=\"caf\xe9\"") << QStringLiteral("café");
    }
    void parameters()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, filename);
        const ContentType d = parseDisposition(value);
        QCOMPARE(d.type, QByteArray("attachment"));
        QCOMPARE(d.param("filename"), filename);
    }
};

QTEST_APPLESS_MAIN(TestMimeParser)
#include "tst_mime_parser.moc"
