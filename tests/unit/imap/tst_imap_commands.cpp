// SPDX-License-Identifier: GPL-3.0-or-later
// Command builders: the exact bytes of each command (RFC 3501 §6 and extensions), safe encoding of names
// and search text (no CRLF or quote injection), literals and LITERAL+, and redacted trace text.
#include "imap/commands.h"
#include "imap/mutf7.h"

#include <QTest>
#include <QTimeZone>

using namespace tern::imap;
namespace cmd = tern::imap::commands;

namespace {

QByteArray wire(const Command &c, QByteArrayView tag = "A1")
{
    return c.tagged(tag).join("|");
}

EncodeOptions plain() { return {}; }
EncodeOptions literalPlus() { EncodeOptions o; o.literalPlus = true; return o; }
EncodeOptions utf8() { EncodeOptions o; o.utf8Accepted = true; return o; }

} // namespace

class TestImapCommands : public QObject
{
    Q_OBJECT

private slots:
    void bytes_data()
    {
        QTest::addColumn<Command>("command");
        QTest::addColumn<QByteArray>("expected"); // parts joined by "|": the client waits for "+" at each

        QTest::newRow("capability") << cmd::capability() << QByteArray("A1 CAPABILITY\r\n");
        QTest::newRow("starttls") << cmd::startTls() << QByteArray("A1 STARTTLS\r\n");
        QTest::newRow("login atoms") << cmd::login("fred", "secret", plain()) << QByteArray("A1 LOGIN fred secret\r\n");
        QTest::newRow("login quoted") << cmd::login("fred smith", "pa\"ss\\word", plain())
                                      << QByteArray("A1 LOGIN \"fred smith\" \"pa\\\"ss\\\\word\"\r\n");
        QTest::newRow("login nil is quoted") << cmd::login("nil", "x", plain()) << QByteArray("A1 LOGIN \"nil\" x\r\n");
        QTest::newRow("login 8-bit password is a literal")
            << cmd::login("fred", "p\xc3\xa4ss", plain()) << QByteArray("A1 LOGIN fred {5}\r\n|p\xc3\xa4ss\r\n");
        QTest::newRow("login 8-bit password quoted under utf8")
            << cmd::login("fred", "p\xc3\xa4ss", utf8()) << QByteArray("A1 LOGIN fred \"p\xc3\xa4ss\"\r\n");
        QTest::newRow("authenticate") << cmd::authenticate("GSSAPI", std::nullopt)
                                      << QByteArray("A1 AUTHENTICATE GSSAPI\r\n");
        QTest::newRow("authenticate sasl-ir") << cmd::authenticate("PLAIN", QByteArray("AGZyZWQAc2VjcmV0"))
                                              << QByteArray("A1 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n");
        QTest::newRow("authenticate empty ir") << cmd::authenticate("EXTERNAL", QByteArray(""))
                                               << QByteArray("A1 AUTHENTICATE EXTERNAL =\r\n");
        QTest::newRow("enable") << cmd::enable({"CONDSTORE", "QRESYNC"}) << QByteArray("A1 ENABLE CONDSTORE QRESYNC\r\n");
        QTest::newRow("id") << cmd::id({{"name", "Tern"}, {"version", "0.1"}}, plain())
                            << QByteArray("A1 ID (\"name\" \"Tern\" \"version\" \"0.1\")\r\n");
        QTest::newRow("id nil") << cmd::id({}, plain()) << QByteArray("A1 ID NIL\r\n");
        QTest::newRow("select") << cmd::select("INBOX", false, plain()) << QByteArray("A1 SELECT INBOX\r\n");
        QTest::newRow("examine condstore") << cmd::select("Sent Items", true, plain(), true)
                                           << QByteArray("A1 EXAMINE \"Sent Items\" (CONDSTORE)\r\n");
        QTest::newRow("select qresync")
            << cmd::select("INBOX", false, plain(), false, cmd::QresyncParams{67890007, 90060115194045000ull, {{41, 211}, {214, 541}}})
            << QByteArray("A1 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))\r\n");
        QTest::newRow("select name with quote and backslash")
            << cmd::select("a\"b\\c", false, plain()) << QByteArray("A1 SELECT \"a\\\"b\\\\c\"\r\n");
        QTest::newRow("crlf in a folder name becomes a literal")
            << cmd::select("x\r\nA2 DELETE INBOX", false, plain())
            << QByteArray("A1 SELECT {18}\r\n|x\r\nA2 DELETE INBOX\r\n");
        QTest::newRow("literal+ does not wait")
            << cmd::select("x\r\ny", false, literalPlus()) << QByteArray("A1 SELECT {4+}\r\nx\r\ny\r\n");
        QTest::newRow("create special-use") << cmd::create("Archive", plain(), "\\Archive")
                                            << QByteArray("A1 CREATE Archive (USE (\\Archive))\r\n");
        QTest::newRow("rename") << cmd::rename("Old", encodeMailboxName(QStringLiteral("Entw\u00FCrfe"), false), plain())
                                << QByteArray("A1 RENAME Old Entw&APw-rfe\r\n");
        QTest::newRow("delete") << cmd::deleteMailbox("Trash/x", plain()) << QByteArray("A1 DELETE Trash/x\r\n");
        QTest::newRow("subscribe") << cmd::subscribe("a b", plain()) << QByteArray("A1 SUBSCRIBE \"a b\"\r\n");
        QTest::newRow("list") << cmd::list("", "*", plain()) << QByteArray("A1 LIST \"\" *\r\n");
        cmd::ListOptions extended;
        extended.returnSpecialUse = true;
        extended.returnSubscribed = true;
        extended.returnStatus = {"MESSAGES", "UNSEEN"};
        QTest::newRow("list extended") << cmd::list("", "%", plain(), extended)
                                       << QByteArray("A1 LIST \"\" % RETURN (SUBSCRIBED SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n");
        cmd::ListOptions specialOnly;
        specialOnly.specialUseOnly = true;
        QTest::newRow("list special-use selection") << cmd::list("", "*", plain(), specialOnly)
                                                    << QByteArray("A1 LIST (SPECIAL-USE) \"\" *\r\n");
        cmd::ListOptions recursive;
        recursive.subscribedOnly = true;
        recursive.recursiveMatch = true;
        QTest::newRow("list recursivematch") << cmd::list("", "%", plain(), recursive)
                                             << QByteArray("A1 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %\r\n");
        cmd::ListOptions recursiveAlone;
        recursiveAlone.recursiveMatch = true;
        QTest::newRow("list recursivematch alone") << cmd::list("", "%", plain(), recursiveAlone)
                                                   << QByteArray("A1 LIST \"\" %\r\n");
        QTest::newRow("status") << cmd::status("INBOX", {"MESSAGES", "UIDNEXT", "HIGHESTMODSEQ"}, plain())
                                << QByteArray("A1 STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)\r\n");
        QTest::newRow("append sync literal")
            << cmd::append("Sent", "Subject: x\r\n\r\nhi\r\n", plain(), {"\\Seen"},
                           QDateTime(QDate(1996, 7, 17), QTime(2, 44, 25), QTimeZone::fromSecondsAheadOfUtc(-7 * 3600)))
            << QByteArray("A1 APPEND Sent (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {18}\r\n|Subject: x\r\n\r\nhi\r\n\r\n");
        QTest::newRow("append literal+") << cmd::append("Sent", "abc", literalPlus())
                                         << QByteArray("A1 APPEND Sent {3+}\r\nabc\r\n");
        QTest::newRow("uid fetch") << cmd::uidFetch({{1, SequenceSet::Star}}, {"UID", "FLAGS", "BODY.PEEK[HEADER.FIELDS (FROM)]"})
                                   << QByteArray("A1 UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (FROM)])\r\n");
        QTest::newRow("uid fetch changedsince vanished")
            << cmd::uidFetch({{300, 500}}, {"FLAGS"}, 12345, true)
            << QByteArray("A1 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n");
        QTest::newRow("uid store") << cmd::uidStore({{4, 4}, {7, 9}}, cmd::StoreMode::Add, {"\\Deleted"})
                                   << QByteArray("A1 UID STORE 4,7:9 +FLAGS.SILENT (\\Deleted)\r\n");
        QTest::newRow("uid store unchangedsince")
            << cmd::uidStore({{5, 5}}, cmd::StoreMode::Remove, {"\\Seen"}, false, 320162338)
            << QByteArray("A1 UID STORE 5 (UNCHANGEDSINCE 320162338) -FLAGS (\\Seen)\r\n");
        QTest::newRow("uid copy") << cmd::uidCopy({{1, 3}}, "Archive 2024", plain())
                                  << QByteArray("A1 UID COPY 1:3 \"Archive 2024\"\r\n");
        QTest::newRow("uid move") << cmd::uidMove({{8, 8}}, "Trash", plain()) << QByteArray("A1 UID MOVE 8 Trash\r\n");
        QTest::newRow("uid expunge") << cmd::uidExpunge({{3000, 3002}}) << QByteArray("A1 UID EXPUNGE 3000:3002\r\n");
        QTest::newRow("search text with quote") << cmd::uidSearch({{"SUBJECT", {"say \"hi\""}}}, plain())
                                                << QByteArray("A1 UID SEARCH SUBJECT \"say \\\"hi\\\"\"\r\n");
        QTest::newRow("search crlf injection becomes literal")
            << cmd::uidSearch({{"BODY", {"x\r\nA2 LOGOUT"}}}, plain())
            << QByteArray("A1 UID SEARCH BODY {12}\r\n|x\r\nA2 LOGOUT\r\n");
        QTest::newRow("search 8-bit uses charset and literal")
            << cmd::uidSearch({{"SUBJECT", {"M\xc3\xbcller"}}}, plain(), {"MIN", "COUNT"})
            << QByteArray("A1 UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 SUBJECT {7}\r\n|M\xc3\xbcller\r\n");
        QTest::newRow("search header") << cmd::uidSearch({{"UNSEEN", {}}, {"HEADER", {"Message-ID", "<a@b>"}}}, plain())
                                       << QByteArray("A1 UID SEARCH UNSEEN HEADER \"Message-ID\" \"<a@b>\"\r\n");
        QTest::newRow("sort") << cmd::uidSort({"REVERSE", "DATE"}, {{"ALL", {}}}, plain())
                              << QByteArray("A1 UID SORT (REVERSE DATE) US-ASCII ALL\r\n");
        QTest::newRow("thread") << cmd::uidThread("REFERENCES", {{"ALL", {}}}, utf8())
                                << QByteArray("A1 UID THREAD REFERENCES UTF-8 ALL\r\n");
        // RFC 5465 §5's first example, with a mailbox name that needs quoting added.
        QTest::newRow("notify set")
            << cmd::notifySet({{"selected", {}, {"MessageNew (UID FLAGS)", "MessageExpunge", "FlagChange"}},
                               {"personal", {}, {"MailboxName", "SubscriptionChange"}},
                               {"mailboxes", {"Lists/tern dev"}, {}}},
                              true, plain())
            << QByteArray("A1 NOTIFY SET STATUS (selected (MessageNew (UID FLAGS) MessageExpunge FlagChange)) "
                          "(personal (MailboxName SubscriptionChange)) (mailboxes (\"Lists/tern dev\") NONE)\r\n");
        QTest::newRow("notify none") << cmd::notifyNone() << QByteArray("A1 NOTIFY NONE\r\n");
        QTest::newRow("idle") << cmd::idle() << QByteArray("A1 IDLE\r\n");
        QTest::newRow("unselect") << cmd::unselect() << QByteArray("A1 UNSELECT\r\n");
        QTest::newRow("compress") << cmd::compress() << QByteArray("A1 COMPRESS DEFLATE\r\n");
        QTest::newRow("logout") << cmd::logout() << QByteArray("A1 LOGOUT\r\n");
    }

    void bytes()
    {
        QFETCH(Command, command);
        QFETCH(QByteArray, expected);
        QVERIFY(command.valid);
        QCOMPARE(wire(command), expected);
    }

    void refusesWhatCannotBeEncoded()
    {
        // NUL cannot travel in a quoted string or a literal (RFC 3501 §9 CHAR8); item lists cannot smuggle
        // quotes, braces or line breaks.
        QVERIFY(!cmd::select(QByteArray("a\0b", 3), false, plain()).valid);
        QVERIFY(!cmd::uidFetch({{1, 1}}, {"FLAGS)\r\nA2 LOGOUT"}).valid);
        QVERIFY(!cmd::uidStore({{1, 1}}, cmd::StoreMode::Add, {"{5}"}).valid);
        QVERIFY(!cmd::uidSearch({{"SUBJECT \"x\"", {}}}, plain()).valid);
    }

    void traceHidesSecrets()
    {
        QCOMPARE(cmd::login("fred", "secret", plain()).taggedTrace("A1"), QByteArray("A1 LOGIN fred ***"));
        QCOMPARE(cmd::login("fred", "p\r\nw", plain()).taggedTrace("A1"), QByteArray("A1 LOGIN fred ***"));
        QCOMPARE(cmd::authenticate("PLAIN", QByteArray("AGZyZWQAc2VjcmV0")).taggedTrace("A1"),
                 QByteArray("A1 AUTHENTICATE PLAIN ***"));
        // A message body is summarised, and line breaks in a literal are shown, not performed.
        QCOMPARE(cmd::append("Sent", "abc", literalPlus()).taggedTrace("A1"), QByteArray("A1 APPEND Sent {3+} <3 bytes>"));
        QCOMPARE(cmd::select("x\r\ny", false, plain()).taggedTrace("A1"), QByteArray("A1 SELECT {4} x\\r\\ny"));
    }
};

QTEST_GUILESS_MAIN(TestImapCommands)
#include "tst_imap_commands.moc"
