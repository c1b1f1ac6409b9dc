// SPDX-License-Identifier: GPL-3.0-or-later
// Codec table for FETCH responses (RFC 3501 §7.4.2, RFC 9051 §7.5.2, RFC 3516, RFC 7162, RFC 8970):
// ENVELOPE, BODYSTRUCTURE, sections, and the oddities real servers send. Parsed whole and byte by byte.
#include "describe.h"

#include "imap/responseparser.h"

#include <QTest>

using namespace tern::imap;
using tern::imap::test::parseAll;

namespace {

const QByteArray Terry = "\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"";

} // namespace

class TestImapFetch : public QObject
{
    Q_OBJECT

private slots:
    void fetch_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("expected");

        // RFC 3501 §8's FETCH example, verbatim.
        QTest::newRow("rfc3501 example")
            << QByteArray("* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
                          "RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                          "\"IMAP4rev1 WG mtg summary and minutes\" "
                          "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                          "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                          "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                          "((NIL NIL \"imap\" \"cac.washington.edu\")) "
                          "((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")"
                          "(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL "
                          "\"<B27397-0100000@cac.washington.edu>\") "
                          "BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n")
            << QList<QByteArray>{
                   "* FETCH 12 FLAGS=(\\Seen) DATE=1996-07-17T02:44:25-07:00 SIZE=4286 ENVELOPE=("
                   "\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\" from=["
                   + Terry + "] sender=[" + Terry + "] reply-to=[" + Terry
                   + "] to=[NIL NIL \"imap\" \"cac.washington.edu\"] cc=[NIL NIL \"minutes\" \"CNRI.Reston.VA.US\","
                     "\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\"] bcc=NIL in-reply-to=NIL "
                     "id=\"<B27397-0100000@cac.washington.edu>\") BODY=(TEXT/PLAIN CHARSET=\"US-ASCII\" enc=7BIT "
                     "size=3028 lines=92)"};
        QTest::newRow("uid flags modseq")
            << QByteArray("* 1 FETCH (UID 4827313 FLAGS (\\Seen $Junk) MODSEQ (624140003))\r\n")
            << QList<QByteArray>{"* FETCH 1 UID=4827313 FLAGS=(\\Seen $Junk) MODSEQ=624140003"};
        QTest::newRow("empty flags lowercase items")
            << QByteArray("* 2 fetch (flags () uid 7 rfc822.size 0)\r\n")
            << QList<QByteArray>{"* FETCH 2 UID=7 FLAGS=() SIZE=0"};
        QTest::newRow("single digit day date")
            << QByteArray("* 3 FETCH (INTERNALDATE \" 7-Feb-1994 21:52:25 +0100\")\r\n")
            << QList<QByteArray>{"* FETCH 3 DATE=1994-02-07T21:52:25+01:00"};
        QTest::newRow("bad date is an error")
            << QByteArray("* 3 FETCH (INTERNALDATE \"31-Foo-1994 21:52:25 +0100\")\r\n")
            << QList<QByteArray>{"ERROR Syntax"};
        QTest::newRow("nil everywhere in envelope")
            << QByteArray("* 4 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"* FETCH 4 ENVELOPE=(NIL NIL from=NIL sender=NIL reply-to=NIL to=NIL cc=NIL bcc=NIL "
                                 "in-reply-to=NIL id=NIL)"};
        QTest::newRow("sender extends from, reply-to repeats it")
            << QByteArray("* 13 FETCH (ENVELOPE (NIL NIL ((\"A\" NIL \"a\" \"x.org\")) ((\"A\" NIL \"a\" \"x.org\")"
                          "(\"B\" NIL \"b\" \"y.org\")) ((\"A\" NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"* FETCH 13 ENVELOPE=(NIL NIL from=[\"A\" NIL \"a\" \"x.org\"] sender=[\"A\" NIL \"a\" "
                                 "\"x.org\",\"B\" NIL \"b\" \"y.org\"] reply-to=[\"A\" NIL \"a\" \"x.org\"] to=NIL cc=NIL "
                                 "bcc=NIL in-reply-to=NIL id=NIL)"};
        QTest::newRow("repeated from with a literal, reply-to of its own")
            << QByteArray("* 14 FETCH (ENVELOPE (NIL NIL (({3}\r\nA B NIL \"a\" \"x\")) (({3}\r\nA B NIL \"a\" \"x\")) "
                          "((NIL NIL \"r\" \"x\")) NIL NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"* FETCH 14 ENVELOPE=(NIL NIL from=[\"A B\" NIL \"a\" \"x\"] sender=[\"A B\" NIL \"a\" "
                                 "\"x\"] reply-to=[NIL NIL \"r\" \"x\"] to=NIL cc=NIL bcc=NIL in-reply-to=NIL id=NIL)"};
        QTest::newRow("from repeated without the space before sender")
            << QByteArray("* 15 FETCH (ENVELOPE (NIL NIL ((NIL NIL \"a\" \"x\"))((NIL NIL \"a\" \"x\")) NIL NIL NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"ERROR Syntax"};
        QTest::newRow("literals inside envelope")
            << QByteArray("* 5 FETCH (UID 9 ENVELOPE (NIL {11}\r\nhi \"there\"\r (({3}\r\nA B NIL \"a\" \"b.example\")) "
                          "NIL NIL NIL NIL NIL NIL {7}\r\n<x@y.z>))\r\n")
            << QList<QByteArray>{"* FETCH 5 UID=9 ENVELOPE=(NIL \"hi \"there\"\r\" from=[\"A B\" NIL \"a\" \"b.example\"] "
                                 "sender=NIL reply-to=NIL to=NIL cc=NIL bcc=NIL in-reply-to=NIL id=\"<x@y.z>\")"};
        QTest::newRow("8-bit bytes in quoted subject")
            << QByteArray("* 6 FETCH (ENVELOPE (NIL \"Gr\xc3\xbc\xc3\x9f\x65 \xe9t\xe9\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"* FETCH 6 ENVELOPE=(NIL \"Gr\xc3\xbc\xc3\x9f\x65 \xe9t\xe9\" from=NIL sender=NIL "
                                 "reply-to=NIL to=NIL cc=NIL bcc=NIL in-reply-to=NIL id=NIL)"};
        QTest::newRow("group syntax in envelope")
            << QByteArray("* 7 FETCH (ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"team\" NIL)(NIL NIL \"a\" \"x.org\")"
                          "(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n")
            << QList<QByteArray>{"* FETCH 7 ENVELOPE=(NIL NIL from=NIL sender=NIL reply-to=NIL to=[NIL NIL \"team\" NIL,"
                                 "NIL NIL \"a\" \"x.org\",NIL NIL NIL NIL] cc=NIL bcc=NIL in-reply-to=NIL id=NIL)"};
        QTest::newRow("multipart bodystructure with extension data")
            << QByteArray("* 8 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"QUOTED-PRINTABLE\" "
                          "1315 42 NIL NIL NIL NIL)(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") \"<id1>\" \"Report\" \"BASE64\" "
                          "4554 \"Q2hlY2s=\" (\"attachment\" (\"filename\" \"a.pdf\")) \"en\" \"http://x/a\" (\"x\" 1)) "
                          "\"MIXED\" (\"BOUNDARY\" \"b1\") NIL (\"de\" \"en\")))\r\n")
            << QList<QByteArray>{"* FETCH 8 BODY=(MULTIPART/MIXED BOUNDARY=\"b1\" "
                                 "(TEXT/PLAIN CHARSET=\"utf-8\" enc=QUOTED-PRINTABLE size=1315 lines=42) "
                                 "(APPLICATION/PDF NAME=\"a.pdf\" id=<id1> desc=Report enc=BASE64 size=4554 md5=Q2hlY2s= "
                                 "disposition=ATTACHMENT FILENAME=\"a.pdf\" lang=en location=http://x/a) lang=de en)"};
        QTest::newRow("multipart without extension data")
            << QByteArray("* 9 FETCH (BODY ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 10 1)(\"TEXT\" \"HTML\" NIL NIL NIL "
                          "\"7BIT\" 20 2) \"ALTERNATIVE\"))\r\n")
            << QList<QByteArray>{"* FETCH 9 BODY=(MULTIPART/ALTERNATIVE (TEXT/PLAIN enc=7BIT size=10 lines=1) "
                                 "(TEXT/HTML enc=7BIT size=20 lines=2))"};
        QTest::newRow("nested multipart with message/rfc822")
            << QByteArray("* 10 FETCH (BODYSTRUCTURE (((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1)(\"IMAGE\" \"PNG\" NIL NIL "
                          "NIL \"BASE64\" 100) \"RELATED\")(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 300 (NIL \"Fwd\" NIL NIL "
                          "NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"8BIT\" 50 3) 12) \"MIXED\"))\r\n")
            << QList<QByteArray>{"* FETCH 10 BODY=(MULTIPART/MIXED (MULTIPART/RELATED (TEXT/PLAIN enc=7BIT size=5 lines=1) "
                                 "(IMAGE/PNG enc=BASE64 size=100)) (MESSAGE/RFC822 enc=7BIT size=300 lines=12 envelope=(NIL "
                                 "\"Fwd\" from=NIL sender=NIL reply-to=NIL to=NIL cc=NIL bcc=NIL in-reply-to=NIL id=NIL) "
                                 "body=(TEXT/PLAIN enc=8BIT size=50 lines=3)))"};
        QTest::newRow("literal inside bodystructure")
            << QByteArray("* 11 FETCH (BODYSTRUCTURE (\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" {9}\r\nx\"y\\z.bin) NIL NIL "
                          "\"BASE64\" 8 NIL (\"ATTACHMENT\" NIL) NIL))\r\n")
            << QList<QByteArray>{"* FETCH 11 BODY=(APPLICATION/OCTET-STREAM NAME=\"x\"y\\z.bin\" enc=BASE64 size=8 "
                                 "disposition=ATTACHMENT)"};
        QTest::newRow("body section with origin and literal")
            << QByteArray("* 12 FETCH (UID 3 BODY[1.2.TEXT]<0> {5}\r\nhello)\r\n")
            << QList<QByteArray>{"* FETCH 12 UID=3 BODY[1.2.TEXT]<0>=\"hello\""};
        QTest::newRow("header fields section")
            << QByteArray("* 13 FETCH (BODY[HEADER.FIELDS (FROM SUBJECT)] {32}\r\nFrom: a@b\r\nSubject: hi there\r\n\r\n)\r\n")
            << QList<QByteArray>{"* FETCH 13 BODY[HEADER.FIELDS (FROM SUBJECT)]=\"From: a@b\r\nSubject: hi there\r\n\r\n\""};
        QTest::newRow("nil section") << QByteArray("* 14 FETCH (BODY[] NIL)\r\n")
                                     << QList<QByteArray>{"* FETCH 14 BODY[]=NIL"};
        QTest::newRow("binary literal8 with nul")
            << QByteArray("* 15 FETCH (BINARY[2] ~{4}\r\n\0\1\2\3 BINARY.SIZE[2] 4)\r\n", 52)
            << QList<QByteArray>{QByteArray("* FETCH 15 BINARY[2]=\"\0\1\2\3\" BINARY.SIZE[2]=4", 44)};
        QTest::newRow("rfc822 header") << QByteArray("* 16 FETCH (RFC822.HEADER {4}\r\nA: b)\r\n")
                                       << QList<QByteArray>{"* FETCH 16 BODY[HEADER]=\"A: b\""};
        QTest::newRow("preview") << QByteArray("* 17 FETCH (UID 1 PREVIEW \"Hello, this is a preview\")\r\n")
                                 << QList<QByteArray>{"* FETCH 17 UID=1 PREVIEW=\"Hello, this is a preview\""};
        QTest::newRow("preview nil") << QByteArray("* 18 FETCH (PREVIEW NIL)\r\n")
                                     << QList<QByteArray>{"* FETCH 18 PREVIEW=NIL"};
        QTest::newRow("objectid") << QByteArray("* 19 FETCH (EMAILID (M6d99ac3275bb4e) THREADID NIL)\r\n")
                                  << QList<QByteArray>{"* FETCH 19 EMAILID=\"M6d99ac3275bb4e\" THREADID=NIL"};
        QTest::newRow("unknown items are skipped")
            << QByteArray("* 20 FETCH (X-GM-LABELS (\"\\\\Inbox\" foo) X-GM-MSGID 1278455344230334865 UID 8)\r\n")
            << QList<QByteArray>{"* FETCH 20 UID=8"};
        QTest::newRow("expunge in the middle of a fetch series")
            << QByteArray("* 1 FETCH (UID 10 FLAGS ())\r\n* 2 FETCH (UID 11 FLAGS ())\r\n* 2 EXPUNGE\r\n"
                          "* 2 FETCH (UID 12 FLAGS (\\Seen))\r\nA5 OK Fetch completed\r\n")
            << QList<QByteArray>{"* FETCH 1 UID=10 FLAGS=()", "* FETCH 2 UID=11 FLAGS=()", "* EXPUNGE 2",
                                 "* FETCH 2 UID=12 FLAGS=(\\Seen)", "A5 OK text=Fetch completed"};
        QTest::newRow("malformed envelope then the rest still parses")
            << QByteArray("* 1 FETCH (UID 1 ENVELOPE (NIL NIL ((NIL NIL \"a\")) NIL))\r\n* 2 FETCH (UID 2)\r\n")
            << QList<QByteArray>{"ERROR Syntax", "* FETCH 2 UID=2"};
        QTest::newRow("unbalanced bodystructure")
            << QByteArray("* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 1)\r\n* 3 EXISTS\r\n")
            << QList<QByteArray>{"ERROR Syntax", "* EXISTS 3"};
    }

    void fetch()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(parseAll(input, 0), expected);
        QCOMPARE(parseAll(input, 1), expected);
        QCOMPARE(parseAll(input, 13), expected);
    }

    void typedEnvelopeAccess()
    {
        const Response r = ResponseParser::parse("* 7 FETCH (ENVELOPE (NIL NIL NIL NIL NIL ((NIL NIL \"team\" NIL)"
                                                 "(\"\" NIL \"a\" \"x.org\")(NIL NIL NIL NIL)) NIL NIL NIL NIL))\r\n");
        const FetchData *f = r.get<FetchData>();
        QVERIFY(f);
        QVERIFY(f->envelope);
        const QList<Address> &to = f->envelope->to;
        QCOMPARE(to.size(), 3);
        QVERIFY(to[0].isGroupStart());
        QVERIFY(!to[1].isGroupStart() && !to[1].isGroupEnd());
        QVERIFY(to[1].name.isEmpty() && !to[1].name.isNull()); // "" is not NIL
        QVERIFY(to[2].isGroupEnd());
        QVERIFY(f->envelope->subject.isNull());
    }
};

QTEST_GUILESS_MAIN(TestImapFetch)
#include "tst_imap_fetch.moc"
