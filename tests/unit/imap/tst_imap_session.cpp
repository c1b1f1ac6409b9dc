// SPDX-License-Identifier: GPL-3.0-or-later
// Session tests without sockets for an authenticated connection: SELECT with QRESYNC, pipelining,
// synchronizing literals, unsolicited data, IDLE and its re-issue, BYE, LOGOUT and broken streams.
#include "describe.h"
#include "sessionharness.h"

#include "imap/mutf7.h"

#include <QTest>

using namespace tern::imap;
using tern::imap::test::Harness;
using tern::imap::test::describe;
using Kind = Session::Event::Kind;
using Error = Session::Error;
namespace cmd = tern::imap::commands;

namespace {

QList<QByteArray> untagged(const QList<Session::Event> &events)
{
    QList<QByteArray> out;
    for (const Session::Event &e : events) {
        if (e.kind == Kind::Untagged)
            out.append(describe(e.response));
    }
    return out;
}

QList<std::pair<QByteArray, Error>> finished(const QList<Session::Event> &events)
{
    QList<std::pair<QByteArray, Error>> out;
    for (const Session::Event &e : events) {
        if (e.kind == Kind::CommandFinished)
            out.append({e.result.tag, e.result.error});
    }
    return out;
}

void selectInbox(Harness &h)
{
    h.session.select("INBOX");
    h.take();
    h.server("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] x\r\nA2 OK [READ-WRITE] done\r\n");
    h.events();
}

} // namespace

class TestImapSession : public QObject
{
    Q_OBJECT

private slots:
    void selectWithQresync()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        QCOMPARE(h.session.enable({"QRESYNC"}), QByteArray("A2"));
        QCOMPARE(h.take(), QByteArray("A2 ENABLE QRESYNC\r\n"));
        h.server("* ENABLED QRESYNC\r\nA2 OK Enabled\r\n");
        QVERIFY(h.session.isEnabled("QRESYNC"));
        h.events();
        h.session.select("INBOX", false, cmd::QresyncParams{67890007, 90060115194045000ull, {{41, 211}, {214, 541}}});
        QCOMPARE(h.take(), QByteArray("A3 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))\r\n"));
        // RFC 7162 §3.2.5.1's example, abridged.
        h.server("* 317 EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                 "* OK [PERMANENTFLAGS (\\Answered \\Deleted \\Seen \\*)] Limited\r\n"
                 "* OK [UIDVALIDITY 67890007] UIDVALIDITY\r\n* OK [UIDNEXT 600] Predicted next UID\r\n"
                 "* OK [HIGHESTMODSEQ 90060128194045007] Highest mailbox mod-sequence\r\n"
                 "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"
                 "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (90060115194045001))\r\n"
                 "A3 OK [READ-WRITE] mailbox selected\r\n");
        const auto events = h.events();
        QCOMPARE(untagged(events), (QList<QByteArray>{"* VANISHED EARLIER 41,43:116,118,120:211,214:540",
                                                      "* FETCH 49 UID=117 FLAGS=(\\Seen \\Answered) MODSEQ=90060115194045001"}));
        const auto selected = std::find_if(events.cbegin(), events.cend(), [](const auto &e) { return e.kind == Kind::Selected; });
        QVERIFY(selected != events.cend());
        const MailboxInfo &m = selected->mailbox;
        QCOMPARE(m.name, QByteArray("INBOX"));
        QCOMPARE(m.exists, 317u);
        QCOMPARE(m.uidValidity, 67890007u);
        QCOMPARE(m.uidNext, 600u);
        QCOMPARE(m.highestModSeq, 90060128194045007ull);
        QCOMPARE(m.flags.size(), 5);
        QCOMPARE(m.permanentFlags.last(), QByteArray("\\*"));
        QVERIFY(!m.readOnly);
        QCOMPARE(h.session.state(), Session::State::Selected);
    }

    void qresyncNeedsEnable()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        QVERIFY(h.session.select("INBOX", false, cmd::QresyncParams{1, 2, {}}).isEmpty());
        QCOMPARE(h.take(), QByteArray());
    }

    void examineIsReadOnlyAndFailedSelectDeselects()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1");
        h.session.select("Archive", true);
        QCOMPARE(h.take(), QByteArray("A2 EXAMINE Archive\r\n"));
        h.server("A2 OK [READ-ONLY] done\r\n");
        QVERIFY(h.session.mailbox().readOnly);
        h.session.select("Nope");
        h.take();
        h.server("A3 NO [NONEXISTENT] no such mailbox\r\n");
        QCOMPARE(h.session.state(), Session::State::Authenticated);
    }

    void pipelinedCommandsWithExpungeInBetween()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.send(cmd::uidFetch({{1, 1}}, {"FLAGS"}));
        h.session.send(cmd::uidFetch({{2, 2}}, {"FLAGS"}));
        h.session.send(cmd::noop());
        // All three go out at once: no round trip per command.
        QCOMPARE(h.take(), QByteArray("A3 UID FETCH 1 (FLAGS)\r\nA4 UID FETCH 2 (FLAGS)\r\nA5 NOOP\r\n"));
        h.server("* 1 FETCH (UID 1 FLAGS ())\r\n* 3 EXPUNGE\r\nA4 OK\r\n* 2 FETCH (UID 2 FLAGS (\\Seen))\r\n"
                 "A3 OK\r\nA5 OK\r\n");
        const auto events = h.events();
        QCOMPARE(untagged(events), (QList<QByteArray>{"* FETCH 1 UID=1 FLAGS=()", "* EXPUNGE 3",
                                                      "* FETCH 2 UID=2 FLAGS=(\\Seen)"}));
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A4", Error::None}, {"A3", Error::None},
                                                                      {"A5", Error::None}}));
        QCOMPARE(h.session.mailbox().exists, 2u);
    }

    void synchronizingLiteralWaitsForContinuation()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1");
        h.session.send(cmd::append("Sent", "Hi\r\n", h.session.encodeOptions()));
        h.session.send(cmd::noop());
        QCOMPARE(h.take(), QByteArray("A2 APPEND Sent {4}\r\n"));
        QCOMPARE(h.server("+ Ready for literal data\r\n"), QByteArray("Hi\r\n\r\n"));
        // The NOOP waits until the APPEND is done: its bytes must not land inside the literal.
        QCOMPARE(h.server("A2 OK [APPENDUID 38505 3955] APPEND completed\r\n"), QByteArray("A3 NOOP\r\n"));
        const auto events = h.events();
        QCOMPARE(events.first().result.code.kind, ResponseCode::Kind::AppendUid);
        QCOMPARE(events.first().result.code.set, SequenceSet({{3955, 3955}}));
    }

    void literalPlusDoesNotWait()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1 LITERAL+");
        h.session.send(cmd::append("Sent", "Hi", h.session.encodeOptions()));
        h.session.send(cmd::noop());
        QCOMPARE(h.take(), QByteArray("A2 APPEND Sent {2+}\r\nHi\r\nA3 NOOP\r\n"));
    }

    void refusedLiteralEndsTheCommand()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1");
        h.session.send(cmd::append("Sent", "Hi", h.session.encodeOptions()));
        h.session.send(cmd::noop());
        h.take();
        QCOMPARE(h.server("A2 NO [OVERQUOTA] too big\r\n"), QByteArray("A3 NOOP\r\n"));
    }

    void unsolicitedDataBetweenCommands()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.server("* 4 EXISTS\r\n* 1 RECENT\r\n* 2 FETCH (FLAGS (\\Deleted))\r\n* VANISHED 9\r\n");
        QCOMPARE(untagged(h.events()), (QList<QByteArray>{"* EXISTS 4", "* RECENT 1", "* FETCH 2 FLAGS=(\\Deleted)",
                                                          "* VANISHED 9"}));
        QCOMPARE(h.session.mailbox().exists, 4u);
    }

    void idlePushesAndDone()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        QCOMPARE(h.session.idle(), QByteArray("A3"));
        QCOMPARE(h.take(), QByteArray("A3 IDLE\r\n"));
        h.server("+ idling\r\n");
        QCOMPARE(h.kinds(), QList<Kind>{Kind::IdleStarted});
        QCOMPARE(h.session.state(), Session::State::Idle);
        h.server("* 4 EXISTS\r\n* 2 EXPUNGE\r\n");
        QCOMPARE(untagged(h.events()), (QList<QByteArray>{"* EXISTS 4", "* EXPUNGE 2"}));
        h.session.stopIdle();
        QCOMPARE(h.take(), QByteArray("DONE\r\n"));
        h.server("A3 OK Idle completed\r\n");
        QCOMPARE(h.session.state(), Session::State::Selected);
        QCOMPARE(finished(h.events()), (QList<std::pair<QByteArray, Error>>{{"A3", Error::None}}));
    }

    void idleReissuedBeforeTheServerTimesOut()
    {
        qint64 now = 0;
        Session::Options o = test::cleartext();
        o.clock = [&now] { return now; };
        Harness h(o);
        test::logIn(h);
        selectInbox(h);
        h.session.idle();
        h.take();
        h.server("+ idling\r\n");
        now = 27 * 60 * 1000;
        h.session.tick();
        QCOMPARE(h.take(), QByteArray());
        now = 28 * 60 * 1000;
        h.session.tick();
        QCOMPARE(h.take(), QByteArray("DONE\r\n"));
        h.session.tick();
        QCOMPARE(h.take(), QByteArray()); // DONE only once
        QCOMPARE(h.server("A3 OK Idle completed\r\n"), QByteArray("A4 IDLE\r\n"));
        h.server("+ idling\r\n");
        QCOMPARE(h.session.state(), Session::State::Idle);
    }

    void commandWhileIdleLeavesIdleFirst()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.idle();
        h.take();
        h.server("+ idling\r\n");
        h.session.send(cmd::uidFetch({{5, 5}}, {"FLAGS"}));
        QCOMPARE(h.take(), QByteArray("DONE\r\n"));
        QCOMPARE(h.server("A3 OK Idle completed\r\n"), QByteArray("A4 UID FETCH 5 (FLAGS)\r\n"));
    }

    void stopIdleBeforeContinuation()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.idle();
        h.take();
        h.session.stopIdle();
        QCOMPARE(h.take(), QByteArray()); // DONE before "+" would be a protocol error
        QCOMPARE(h.server("+ idling\r\n"), QByteArray("DONE\r\n"));
    }

    void byeDuringACommand()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"FLAGS"}));
        h.take();
        h.server("* 1 FETCH (UID 1 FLAGS ())\r\n* BYE Server shutting down\r\n");
        QCOMPARE(untagged(h.events()), (QList<QByteArray>{"* FETCH 1 UID=1 FLAGS=()", "* BYE text=Server shutting down"}));
        h.session.disconnected();
        const auto events = h.events();
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A3", Error::ConnectionClosed}}));
        QCOMPARE(events.first().result.text, QByteArray("Server shutting down"));
        QCOMPARE(events.last().kind, Kind::Closed);
    }

    void serverClosesMidLiteral()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.send(cmd::uidFetch({{1, 1}}, {"BODY.PEEK[]"}));
        h.take();
        h.server("* 1 FETCH (UID 1 BODY[] {100}\r\nFrom: a@b\r\n");
        QVERIFY(untagged(h.events()).isEmpty());
        h.session.disconnected();
        QCOMPARE(finished(h.events()), (QList<std::pair<QByteArray, Error>>{{"A3", Error::ConnectionClosed}}));
    }

    void hugeLiteralClosesTheConnection() // SECURITY.md P1
    {
        Harness h(test::cleartext());
        test::logIn(h);
        selectInbox(h);
        h.session.send(cmd::uidFetch({{1, 1}}, {"BODY.PEEK[]"}));
        h.take();
        h.server("* 1 FETCH (BODY[] {4294967296}\r\n");
        const auto events = h.events();
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A3", Error::ProtocolError}}));
        QCOMPARE(events.last().kind, Kind::Closed);
        QCOMPARE(events.last().result.error, Error::ProtocolError);
    }

    void unreadableTaggedResponseFailsItsCommand()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        h.session.send(cmd::noop());
        h.take();
        h.server("* 1 FETCH (UID\r\nA2 WHAT\r\n");
        const auto events = h.events();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, Kind::ParseError);
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A2", Error::ParseError}}));
        QVERIFY(h.session.state() != Session::State::Closed);
    }

    void utf8AcceptChangesNamesBothWays()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1 ENABLE UTF8=ACCEPT");
        h.session.enable({"UTF8=ACCEPT"});
        h.take();
        h.server("* ENABLED UTF8=ACCEPT\r\nA2 OK\r\n");
        QVERIFY(h.session.encodeOptions().utf8Accepted);
        h.events();
        h.server("* LIST () \"/\" \"Entw\xc3\xbcrfe&Co\"\r\n");
        const auto events = h.events();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].response.get<ListData>()->name, QStringLiteral("Entw\u00FCrfe&Co"));
    }

    // RFC 9051: after ENABLE IMAP4rev2 names are UTF-8 both ways (§5.1), SELECT sends no RECENT but a LIST
    // (§6.3.2), and UID SEARCH answers with ESEARCH (§6.4.4), which carries the command's tag.
    void imap4rev2Enabled()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1 IMAP4rev2 ENABLE");
        QVERIFY(!h.session.hasUtf8Names());
        QCOMPARE(h.session.enable({"IMAP4rev2"}), QByteArray("A2"));
        QCOMPARE(h.take(), QByteArray("A2 ENABLE IMAP4rev2\r\n"));
        h.server("* ENABLED IMAP4rev2\r\nA2 OK Enabled\r\n");
        QVERIFY(h.session.isEnabled("IMAP4REV2"));
        QVERIFY(h.session.hasUtf8Names());
        QVERIFY(h.session.encodeOptions().literalMinus);
        h.events();

        h.session.select(encodeMailboxName(QStringLiteral("Entw\u00FCrfe"), h.session.encodeOptions().utf8Accepted));
        QCOMPARE(h.take(), QByteArray("A3 SELECT \"Entw\xc3\xbcrfe\"\r\n"));
        h.server("* 2 EXISTS\r\n* OK [UIDVALIDITY 9] x\r\n* OK [UIDNEXT 12] x\r\n* FLAGS (\\Seen \\Deleted)\r\n"
                 "* LIST () \"/\" \"Entw\xc3\xbcrfe\"\r\nA3 OK [READ-WRITE] done\r\n");
        auto events = h.events();
        QCOMPARE(untagged(events), QList<QByteArray>{"* LIST () \"/\" raw=Entw\xc3\xbcrfe name=Entw\xc3\xbcrfe"});
        QCOMPARE(h.session.mailbox().exists, 2u);
        QCOMPARE(h.session.mailbox().recent, 0u);
        QCOMPARE(h.session.mailbox().uidNext, 12u);

        h.session.send(cmd::uidSearch({{"UNSEEN", {}}}, h.session.encodeOptions()));
        QCOMPARE(h.take(), QByteArray("A4 UID SEARCH UNSEEN\r\n"));
        h.server("* ESEARCH (TAG \"A4\") UID ALL 10:11\r\nA4 OK done\r\n");
        events = h.events();
        QCOMPARE(untagged(events), QList<QByteArray>{"* ESEARCH tag=A4 UID ALL=10:11"});
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A4", Error::None}}));
    }

    void logout()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        QCOMPARE(h.session.logout(), QByteArray("A2"));
        QCOMPARE(h.take(), QByteArray("A2 LOGOUT\r\n"));
        h.server("* BYE IMAP4rev1 Server logging out\r\nA2 OK LOGOUT completed\r\n");
        const auto events = h.events();
        QCOMPARE(finished(events), (QList<std::pair<QByteArray, Error>>{{"A2", Error::None}}));
        QCOMPARE(events.last().kind, Kind::Closed);
        QCOMPARE(events.last().result.error, Error::None);
        QVERIFY(h.session.send(cmd::noop()).isEmpty());
    }

    void invalidArgumentIsRefused()
    {
        Harness h(test::cleartext());
        test::logIn(h);
        QVERIFY(h.session.send(cmd::select(QByteArray("a\0b", 3), false, {})).isEmpty());
        QCOMPARE(h.take(), QByteArray());
        QCOMPARE(h.events().first().result.error, Error::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestImapSession)
#include "tst_imap_session.moc"
