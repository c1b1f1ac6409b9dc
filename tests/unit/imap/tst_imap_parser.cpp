// SPDX-License-Identifier: GPL-3.0-or-later
// Codec table for the IMAP response parser: status responses, response codes and untagged server and
// mailbox data. Each row is parsed whole and again one byte at a time; expected values are written from
// the RFC examples and grammar.
#include "describe.h"

#include "imap/responseparser.h"

#include <QTest>

using namespace tern::imap;
using tern::imap::test::parseAll;

class TestImapParser : public QObject
{
    Q_OBJECT

private slots:
    void responses_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QByteArray>>("expected");

        // Greeting and status responses (RFC 3501 §7.1)
        QTest::newRow("greeting ok") << QByteArray("* OK IMAP4rev1 Service Ready\r\n")
                                     << QList<QByteArray>{"* OK text=IMAP4rev1 Service Ready"};
        QTest::newRow("greeting capability")
            << QByteArray("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LOGINDISABLED] Dovecot ready.\r\n")
            << QList<QByteArray>{"* OK [CAPABILITY IMAP4REV1 STARTTLS AUTH=PLAIN LOGINDISABLED] text=Dovecot ready."};
        QTest::newRow("preauth") << QByteArray("* PREAUTH IMAP4rev1 server logged in as Smith\r\n")
                                 << QList<QByteArray>{"* PREAUTH text=IMAP4rev1 server logged in as Smith"};
        QTest::newRow("bye") << QByteArray("* BYE Autologout; idle for too long\r\n")
                             << QList<QByteArray>{"* BYE text=Autologout; idle for too long"};
        QTest::newRow("tagged ok") << QByteArray("a001 OK LOGIN completed\r\n")
                                   << QList<QByteArray>{"a001 OK text=LOGIN completed"};
        QTest::newRow("tagged no lowercase") << QByteArray("A2 no [TRYCREATE] Mailbox doesn't exist: x\r\n")
                                             << QList<QByteArray>{"A2 NO [TRYCREATE] text=Mailbox doesn't exist: x"};
        QTest::newRow("tagged bad no text") << QByteArray("A3 BAD\r\n") << QList<QByteArray>{"A3 BAD text="};
        QTest::newRow("bare lf") << QByteArray("A4 OK done\n") << QList<QByteArray>{"A4 OK text=done"};
        QTest::newRow("alert") << QByteArray("* OK [ALERT] System shutdown in 10 minutes\r\n")
                               << QList<QByteArray>{"* OK [ALERT] text=System shutdown in 10 minutes"};
        QTest::newRow("continuation") << QByteArray("+ Ready for additional command text\r\n")
                                      << QList<QByteArray>{"+ Ready for additional command text"};
        QTest::newRow("continuation empty") << QByteArray("+\r\n") << QList<QByteArray>{"+ "};
        QTest::newRow("continuation base64") << QByteArray("+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ8=\r\n")
                                             << QList<QByteArray>{"+ YGgGCSqGSIb3EgECAgIAb1kwV6ADAgEFoQMCAQ8="};

        // Response codes (RFC 3501 §7.1, RFC 4315, RFC 7162, RFC 5530)
        QTest::newRow("select codes")
            << QByteArray("* OK [UNSEEN 12] Message 12 is first unseen\r\n"
                          "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
                          "* OK [UIDNEXT 4392] Predicted next UID\r\n"
                          "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
                          "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n"
                          "* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n"
                          "A142 OK [READ-WRITE] SELECT completed\r\n")
            << QList<QByteArray>{"* OK [UNSEEN 12] text=Message 12 is first unseen",
                                 "* OK [UIDVALIDITY 3857529045] text=UIDs valid",
                                 "* OK [UIDNEXT 4392] text=Predicted next UID",
                                 "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] text=Limited",
                                 "* OK [HIGHESTMODSEQ 715194045007] text=Highest",
                                 "* OK [NOMODSEQ] text=Sorry, this mailbox format doesn't support modsequences",
                                 "A142 OK [READ-WRITE] text=SELECT completed"};
        QTest::newRow("read-only") << QByteArray("A932 OK [READ-ONLY] EXAMINE completed\r\n")
                                   << QList<QByteArray>{"A932 OK [READ-ONLY] text=EXAMINE completed"};
        QTest::newRow("appenduid") << QByteArray("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n")
                                   << QList<QByteArray>{"A003 OK [APPENDUID 38505 3955] text=APPEND completed"};
        QTest::newRow("copyuid") << QByteArray("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n")
                                 << QList<QByteArray>{"A004 OK [COPYUID 38505 304,319:320 3956:3958] text=Done"};
        QTest::newRow("closed") << QByteArray("* OK [CLOSED] Previous mailbox closed\r\n")
                                << QList<QByteArray>{"* OK [CLOSED] text=Previous mailbox closed"};
        QTest::newRow("modified") << QByteArray("d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n")
                                  << QList<QByteArray>{"d105 OK [MODIFIED 7,9] text=Conditional STORE failed"};
        QTest::newRow("unknown code keeps argument")
            << QByteArray("A5 NO [X-QUOTA-EXCEEDED 5 of 4] Over quota\r\n")
            << QList<QByteArray>{"A5 NO [X-QUOTA-EXCEEDED arg=5 of 4] text=Over quota"};
        QTest::newRow("rfc5530 code") << QByteArray("A6 NO [NONEXISTENT] No such mailbox\r\n")
                                      << QList<QByteArray>{"A6 NO [NONEXISTENT] text=No such mailbox"};
        QTest::newRow("capability after auth")
            << QByteArray("a2 OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE CONDSTORE QRESYNC] Logged in\r\n")
            << QList<QByteArray>{"a2 OK [CAPABILITY IMAP4REV1 IMAP4REV2 SASL-IR ENABLE IDLE CONDSTORE QRESYNC] text=Logged in"};

        // Server and mailbox data (RFC 3501 §7.2-7.3 and extensions)
        QTest::newRow("capability") << QByteArray("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n")
                                    << QList<QByteArray>{"* CAPABILITY IMAP4REV1 STARTTLS AUTH=GSSAPI LOGINDISABLED"};
        QTest::newRow("list") << QByteArray("* LIST (\\Noselect) \"/\" ~/Mail/foo\r\n")
                              << QList<QByteArray>{"* LIST (\\Noselect) \"/\" raw=~/Mail/foo name=~/Mail/foo"};
        QTest::newRow("list nil delimiter") << QByteArray("* LIST () NIL inbox\r\n")
                                            << QList<QByteArray>{"* LIST () NIL raw=inbox name=INBOX"};
        QTest::newRow("list special-use") << QByteArray("* LIST (\\HasNoChildren \\Sent) \".\" \"Sent Items\"\r\n")
                                          << QList<QByteArray>{"* LIST (\\HasNoChildren \\Sent) \".\" raw=Sent Items name=Sent Items"};
        QTest::newRow("list quote and backslash in name")
            << QByteArray("* LIST () \"\\\\\" \"a\\\"b\\\\c\"\r\n")
            << QList<QByteArray>{"* LIST () \"\\\" raw=a\"b\\c name=a\"b\\c"};
        QTest::newRow("list literal name") << QByteArray("* LIST () \"/\" {4}\r\nx\"y\\\r\n")
                                           << QList<QByteArray>{"* LIST () \"/\" raw=x\"y\\ name=x\"y\\"};
        QTest::newRow("list mutf7") << QByteArray("* LIST () \"/\" \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"\r\n")
                                    << QList<QByteArray>{"* LIST () \"/\" raw=~peter/mail/&U,BTFw-/&ZeVnLIqe- name=~peter/mail/台北/日本語"};
        QTest::newRow("list childinfo")
            << QByteArray("* LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n")
            << QList<QByteArray>{"* LIST () \"/\" raw=Foo name=Foo CHILDINFO=SUBSCRIBED"};
        QTest::newRow("list oldname") << QByteArray("* LIST () \"/\" \"New\" (\"OLDNAME\" (\"Old\"))\r\n")
                                      << QList<QByteArray>{"* LIST () \"/\" raw=New name=New OLDNAME=Old"};
        QTest::newRow("lsub") << QByteArray("* LSUB () \".\" #news.comp.mail.misc\r\n")
                              << QList<QByteArray>{"* LSUB () \".\" raw=#news.comp.mail.misc name=#news.comp.mail.misc"};
        QTest::newRow("list-status")
            << QByteArray("* LIST () \".\" \"INBOX\"\r\n* STATUS \"INBOX\" (MESSAGES 17 UNSEEN 16)\r\n")
            << QList<QByteArray>{"* LIST () \".\" raw=INBOX name=INBOX", "* STATUS raw=INBOX name=INBOX MESSAGES=17 UNSEEN=16"};
        QTest::newRow("status") << QByteArray("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 HIGHESTMODSEQ 7011231777 SIZE 9)\r\n")
                                << QList<QByteArray>{"* STATUS raw=blurdybloop name=blurdybloop MESSAGES=231 UIDNEXT=44292 HIGHESTMODSEQ=7011231777 SIZE=9"};
        QTest::newRow("flags") << QByteArray("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n")
                               << QList<QByteArray>{"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)"};
        QTest::newRow("exists recent expunge") << QByteArray("* 23 EXISTS\r\n* 5 RECENT\r\n* 44 EXPUNGE\r\n")
                                               << QList<QByteArray>{"* EXISTS 23", "* RECENT 5", "* EXPUNGE 44"};
        QTest::newRow("vanished") << QByteArray("* VANISHED 405,407,410,425\r\n")
                                  << QList<QByteArray>{"* VANISHED 405,407,410,425"};
        QTest::newRow("vanished earlier") << QByteArray("* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n")
                                          << QList<QByteArray>{"* VANISHED EARLIER 41,43:116,118,120:211,214:540"};
        QTest::newRow("search") << QByteArray("* SEARCH 2 84 882\r\n") << QList<QByteArray>{"* SEARCH 2 84 882"};
        QTest::newRow("search empty") << QByteArray("* SEARCH\r\n") << QList<QByteArray>{"* SEARCH"};
        QTest::newRow("search modseq") << QByteArray("* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n")
                                       << QList<QByteArray>{"* SEARCH 2 5 6 7 11 12 18 19 20 23 MODSEQ=917162500"};
        QTest::newRow("esearch") << QByteArray("* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n")
                                 << QList<QByteArray>{"* ESEARCH tag=A282 MIN=2 COUNT=3"};
        QTest::newRow("esearch uid all") << QByteArray("* ESEARCH (TAG \"A283\") UID ALL 4:18,21,28 MAX 28\r\n")
                                         << QList<QByteArray>{"* ESEARCH tag=A283 UID MAX=28 ALL=4:18,21,28"};
        QTest::newRow("esearch empty") << QByteArray("* ESEARCH (TAG \"A284\")\r\n")
                                       << QList<QByteArray>{"* ESEARCH tag=A284"};
        QTest::newRow("enabled") << QByteArray("* ENABLED CONDSTORE QRESYNC\r\n")
                                 << QList<QByteArray>{"* ENABLED CONDSTORE QRESYNC"};
        QTest::newRow("id") << QByteArray("* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n")
                            << QList<QByteArray>{"* ID name=\"Dovecot\" version=NIL"};
        QTest::newRow("id nil") << QByteArray("* ID NIL\r\n") << QList<QByteArray>{"* ID"};
        QTest::newRow("namespace")
            << QByteArray("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\" \"X-PARAM\" (\"FLAG1\")))\r\n")
            << QList<QByteArray>{"* NAMESPACE (\"\" /) (\"~\" /) (\"#shared/\" /,\"#public/\" /)"};
        QTest::newRow("namespace nil") << QByteArray("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n")
                                       << QList<QByteArray>{"* NAMESPACE (\"INBOX.\" .) NIL NIL"};
        QTest::newRow("sort") << QByteArray("* SORT 2 3 6\r\n") << QList<QByteArray>{"* SORT 2 3 6"};
        // RFC 5256 §4: 3 has child 6, which has children 4 (child 23) and 44 (child 7, child 96).
        QTest::newRow("thread") << QByteArray("* THREAD (2)(3 6 (4 23)(44 7 96))\r\n")
                                << QList<QByteArray>{"* THREAD 2 3[6[4[23],44[7[96]]]]"};
        QTest::newRow("thread no root") << QByteArray("* THREAD ((3)(5))\r\n")
                                        << QList<QByteArray>{"* THREAD 0[3,5]"};
        // Dovecot 2.4's own answers (the lab's messages: 1 "Plan", 2 and 4 replies down one chain, 3 alone).
        QTest::newRow("dovecot sort") << QByteArray("* SORT 4 2 3 1\r\n") << QList<QByteArray>{"* SORT 4 2 3 1"};
        QTest::newRow("dovecot thread references") << QByteArray("* THREAD (1 2 4)(3)\r\n")
                                                   << QList<QByteArray>{"* THREAD 1[2[4]] 3"};
        QTest::newRow("dovecot thread orderedsubject") << QByteArray("* THREAD (1 (2)(4))(3)\r\n")
                                                       << QList<QByteArray>{"* THREAD 1[2,4] 3"};
        QTest::newRow("dovecot esearch") << QByteArray("* ESEARCH (TAG \"T4\") UID ALL 1:4 COUNT 4\r\n")
                                         << QList<QByteArray>{"* ESEARCH tag=T4 UID COUNT=4 ALL=1:4"};
        QTest::newRow("dovecot namespace") << QByteArray("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n")
                                           << QList<QByteArray>{"* NAMESPACE (\"\" /) NIL NIL"};
        QTest::newRow("thread empty") << QByteArray("* THREAD\r\n") << QList<QByteArray>{"* THREAD "};
        // RFC 9051 forms: \NonExistent with CHILDINFO (§6.3.9), STATUS DELETED and SIZE (§7.2.4).
        QTest::newRow("rev2 nonexistent parent")
            << QByteArray("* LIST (\\NonExistent) \"/\" \"Archiv\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n")
            << QList<QByteArray>{"* LIST (\\NonExistent) \"/\" raw=Archiv name=Archiv CHILDINFO=SUBSCRIBED"};
        QTest::newRow("rev2 status deleted size") << QByteArray("* STATUS INBOX (MESSAGES 17 DELETED 2 SIZE 1203041)\r\n")
                                                  << QList<QByteArray>{"* STATUS raw=INBOX name=INBOX MESSAGES=17 DELETED=2 SIZE=1203041"};
        QTest::newRow("unknown untagged is ignored") << QByteArray("* QUOTA \"\" (STORAGE 10 512)\r\n")
                                                     << QList<QByteArray>{"* UNKNOWN"};

        // Errors are values; the parser goes on at the next response.
        QTest::newRow("garbage then ok") << QByteArray(")))\r\nA1 OK fine\r\n")
                                         << QList<QByteArray>{"ERROR Syntax", "A1 OK text=fine"};
        QTest::newRow("bad tagged status keeps tag") << QByteArray("A7 MAYBE\r\nA8 OK\r\n")
                                                     << QList<QByteArray>{"ERROR Syntax tag=A7", "A8 OK text="};
        QTest::newRow("unbalanced list") << QByteArray("* FLAGS (\\Seen\r\n* 1 EXISTS\r\n")
                                         << QList<QByteArray>{"ERROR Syntax", "* EXISTS 1"};
        QTest::newRow("number overflow") << QByteArray("* 4294967296 EXISTS\r\n* 2 EXISTS\r\n")
                                         << QList<QByteArray>{"ERROR Syntax", "* EXISTS 2"};
        QTest::newRow("nul byte in list") << QByteArray("* FLAGS (\\Seen \0)\r\n* 3 EXISTS\r\n", 31)
                                          << QList<QByteArray>{"ERROR Syntax", "* EXISTS 3"};
        QTest::newRow("bye during a command")
            << QByteArray("* 1 FETCH (UID 5)\r\n* BYE Server shutting down\r\nA9 NO aborted\r\n")
            << QList<QByteArray>{"* FETCH 1 UID=5", "* BYE text=Server shutting down", "A9 NO text=aborted"};
    }

    void responses()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QByteArray>, expected);
        QCOMPARE(parseAll(input, 0), expected);
        QCOMPARE(parseAll(input, 1), expected);
        QCOMPARE(parseAll(input, 7), expected);
    }

    void utf8AcceptedNames()
    {
        // RFC 6855 §3: after ENABLE UTF8=ACCEPT names are UTF-8 and "&" is not a shift character.
        const QByteArray input("* LIST () \"/\" \"Entw\xc3\xbcrfe & Co\"\r\n");
        QCOMPARE(parseAll(input, 0, true),
                 QList<QByteArray>{"* LIST () \"/\" raw=Entw\xc3\xbcrfe & Co name=Entw\xc3\xbcrfe & Co"});
    }

    void hugeLiteralFailsBeforeAllocating()
    {
        // SECURITY.md P1: {4294967296} is refused from the announcement alone, and nothing after it is read.
        ResponseParser parser;
        parser.feed("* 1 FETCH (BODY[] {4294967296}\r\nabc");
        const auto r = parser.next();
        QVERIFY(r);
        QCOMPARE(r->kind, Response::Kind::Error);
        QCOMPARE(r->error.reason, ParseError::Reason::LiteralTooLarge);
        QVERIFY(r->error.fatal);
        QVERIFY(parser.hasFailed());
        QVERIFY(parser.capacity() < 1024 * 1024);
        parser.feed("A1 OK\r\n");
        QVERIFY(!parser.next());
    }

    void literalLimitIsConfigurable()
    {
        ResponseParser::Limits limits;
        limits.maxLiteral = 10;
        ResponseParser parser(limits);
        parser.feed("* LIST () \"/\" {10}\r\n0123456789\r\n* LIST () \"/\" {11}\r\n");
        QCOMPARE(tern::imap::test::describe(*parser.next()),
                 QByteArray("* LIST () \"/\" raw=0123456789 name=0123456789"));
        QCOMPARE(parser.next()->error.reason, ParseError::Reason::LiteralTooLarge);
    }

    void overlongLineIsFatal()
    {
        // SECURITY.md P2: a line without CRLF beyond the limit ends the stream instead of growing forever.
        ResponseParser::Limits limits;
        limits.maxLine = 1000;
        ResponseParser parser(limits);
        const QByteArray chunk(600, 'x');
        parser.feed("* OK ");
        parser.feed(chunk);
        QVERIFY(!parser.next());
        parser.feed(chunk);
        const auto r = parser.next();
        QVERIFY(r);
        QCOMPARE(r->error.reason, ParseError::Reason::LineTooLong);
        QVERIFY(r->error.fatal);
    }

    void deepNestingIsAnError()
    {
        QByteArray input("* 1 FETCH (BODYSTRUCTURE ");
        input += QByteArray(200, '(') + QByteArray(200, ')') + ")\r\n* 2 EXISTS\r\n";
        QCOMPARE(parseAll(input, 0), (QList<QByteArray>{"ERROR NestingTooDeep", "* EXISTS 2"}));
    }

    void clearDropsBufferedBytes()
    {
        // STARTTLS (SECURITY.md T2): bytes that arrived with the OK are dropped, not parsed later.
        ResponseParser parser;
        parser.feed("A1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
        QCOMPARE(parser.next()->tag, QByteArray("A1"));
        parser.clear();
        QVERIFY(!parser.next());
        QCOMPARE(parser.bufferedSize(), 0);
    }

    void memoryStaysNearOneResponse()
    {
        // PERFORMANCE.md: peak memory proportional to one response, not the stream.
        ResponseParser parser;
        const QByteArray line("* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE 1234)\r\n");
        QByteArray chunk;
        while (chunk.size() < 16 * 1024)
            chunk += line;
        qsizetype peak = 0;
        int count = 0;
        for (int i = 0; i < 500; ++i) {
            parser.feed(chunk);
            while (parser.next())
                ++count;
            peak = qMax(peak, parser.capacity());
        }
        QCOMPARE(count, 500 * int(chunk.size() / line.size()));
        QVERIFY2(peak < 4 * chunk.size(), QByteArray::number(peak).constData());
    }
};

QTEST_GUILESS_MAIN(TestImapParser)
#include "tst_imap_parser.moc"
