// SPDX-License-Identifier: GPL-3.0-or-later
// The session's extensions against the lab's real Dovecot: ID (RFC 2971), NAMESPACE (RFC 2342), SORT and
// THREAD (RFC 5256) over messages we append, ESEARCH (RFC 4731), STATUS=SIZE (RFC 8438), NOTIFY (RFC 5465)
// for another mailbox and the selected one, and ENABLE IMAP4rev2 where the server does not offer it.
#include "imap/mutf7.h"
#include "labsession.h"

#include <QTest>

using namespace tern::imap;
using namespace tern::imap::test;
using tern::test::LabEnv;
namespace cmd = tern::imap::commands;

namespace {

// Four messages whose Date headers, subjects and references make a known order and a known tree:
// "Plan" (Jan 2) <- "Re: Plan" (Jan 4) <- "Re: Plan" (Jan 5), and "Lunch" (Jan 3) on its own.
const QByteArray kPlan("Date: Mon, 02 Jan 2023 10:00:00 +0000\r\nFrom: a@lab.test\r\nSubject: Plan\r\n"
                       "Message-ID: <plan@lab.test>\r\n\r\nlet us plan\r\n");
const QByteArray kReply("Date: Wed, 04 Jan 2023 10:00:00 +0000\r\nFrom: b@lab.test\r\nSubject: Re: Plan\r\n"
                        "Message-ID: <reply@lab.test>\r\nIn-Reply-To: <plan@lab.test>\r\n"
                        "References: <plan@lab.test>\r\n\r\nyes\r\n");
const QByteArray kLunch("Date: Tue, 03 Jan 2023 10:00:00 +0000\r\nFrom: c@lab.test\r\nSubject: Lunch\r\n"
                        "Message-ID: <lunch@lab.test>\r\n\r\nnoon?\r\n");
const QByteArray kReplyToReply("Date: Thu, 05 Jan 2023 10:00:00 +0000\r\nFrom: a@lab.test\r\nSubject: Re: Plan\r\n"
                               "Message-ID: <again@lab.test>\r\nIn-Reply-To: <reply@lab.test>\r\n"
                               "References: <plan@lab.test> <reply@lab.test>\r\n\r\nfine\r\n");

// APPEND, and the UID the server gave (RFC 4315 APPENDUID); 0 when it failed.
quint32 append(Driver &d, QByteArrayView mailbox, const QByteArray &message)
{
    Session::Result result;
    d.run(cmd::append(mailbox, message, d.session.encodeOptions()), &result);
    if (result.error != Session::Error::None || result.code.kind != ResponseCode::Kind::AppendUid)
        return 0;
    return result.code.set.ranges().first().first;
}

template<typename T> const T *first(const QList<Response> &responses)
{
    for (const Response &r : responses) {
        if (const T *data = r.get<T>())
            return data;
    }
    return nullptr;
}

ThreadNode node(quint32 id, QList<ThreadNode> children = {})
{
    return ThreadNode{id, std::move(children)};
}

} // namespace

class TestImapExtensionsLab : public QObject
{
    Q_OBJECT

    LabEnv m_lab;

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void idAndNamespace()
    {
        Driver d(m_lab);
        QVERIFY(loggedIn(d, m_lab.createUser(QStringLiteral("imapid"))));
        QVERIFY(d.session.hasCapability("ID"));
        QVERIFY(d.session.hasCapability("NAMESPACE"));

        Session::Result result;
        const QList<Response> id = d.run(cmd::id({{"name", "Tern"}, {"version", "test"}}, d.session.encodeOptions()), &result);
        QCOMPARE(result.error, Session::Error::None);
        const IdData *server = first<IdData>(id);
        QVERIFY(server);
        // Dovecot's default imap_id_send is "name *": its own name and nothing else.
        QCOMPARE(server->fields, (QList<std::pair<QByteArray, QByteArray>>{{"name", "Dovecot"}}));

        const QList<Response> ns = d.run(cmd::namespaces(), &result);
        QCOMPARE(result.error, Session::Error::None);
        const NamespaceData *spaces = first<NamespaceData>(ns);
        QVERIFY(spaces);
        // The lab's one namespace (tests/lab/lab.sh): personal, no prefix, "/" as the separator.
        QCOMPARE(spaces->personal.size(), 1);
        QCOMPARE(spaces->personal.first().prefix, QByteArray(""));
        QCOMPARE(spaces->personal.first().delimiter, '/');
        QVERIFY(spaces->otherUsers.isEmpty());
        QVERIFY(spaces->shared.isEmpty());
    }

    void sortThreadAndEsearch()
    {
        Driver d(m_lab);
        QVERIFY(loggedIn(d, m_lab.createUser(QStringLiteral("imapsort"))));
        QVERIFY(d.session.hasCapability("SORT"));
        QVERIFY(d.session.hasCapability("THREAD=REFERENCES"));
        QVERIFY(d.session.hasCapability("THREAD=ORDEREDSUBJECT"));
        QVERIFY(d.session.hasCapability("ESEARCH"));
        QVERIFY(d.session.hasCapability("STATUS=SIZE"));

        const quint32 plan = append(d, "INBOX", kPlan);
        const quint32 reply = append(d, "INBOX", kReply);
        const quint32 lunch = append(d, "INBOX", kLunch);
        const quint32 again = append(d, "INBOX", kReplyToReply);
        QVERIFY(plan && reply && lunch && again);
        d.session.select("INBOX");
        QVERIFY(d.waitFor(Kind::Selected));
        const EncodeOptions o = d.session.encodeOptions();

        Session::Result result;
        const QList<Response> sorted = d.run(cmd::uidSort({"REVERSE", "DATE"}, {{"ALL", {}}}, o), &result);
        QCOMPARE(result.error, Session::Error::None);
        QVERIFY(first<SortData>(sorted));
        QCOMPARE(first<SortData>(sorted)->numbers, (QList<quint32>{again, reply, lunch, plan}));

        // RFC 5256 §2.1 REFERENCES: a chain plan <- reply <- again; threads ordered by their first date.
        const QList<Response> byReferences = d.run(cmd::uidThread("REFERENCES", {{"ALL", {}}}, o), &result);
        QCOMPARE(result.error, Session::Error::None);
        QVERIFY(first<ThreadData>(byReferences));
        QCOMPARE(first<ThreadData>(byReferences)->threads,
                 (QList<ThreadNode>{node(plan, {node(reply, {node(again)})}), node(lunch)}));

        // RFC 5256 §2.1 ORDEREDSUBJECT: same base subject, the first by date is the parent of the others.
        const QList<Response> bySubject = d.run(cmd::uidThread("ORDEREDSUBJECT", {{"ALL", {}}}, o), &result);
        QCOMPARE(result.error, Session::Error::None);
        QVERIFY(first<ThreadData>(bySubject));
        QCOMPARE(first<ThreadData>(bySubject)->threads,
                 (QList<ThreadNode>{node(plan, {node(reply), node(again)}), node(lunch)}));

        // RFC 4731: the answer names our command's tag.
        const QByteArray tag = d.session.send(cmd::uidSearch({{"SUBJECT", {"plan"}}}, o, {"MIN", "MAX", "COUNT", "ALL"}));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        const ESearchData *esearch = first<ESearchData>(d.untagged());
        QVERIFY(esearch);
        QCOMPARE(esearch->tag, tag);
        QVERIFY(esearch->uid);
        QCOMPARE(esearch->count, std::optional<quint32>(3));
        QCOMPARE(esearch->min, std::optional<quint32>(plan));
        QCOMPARE(esearch->max, std::optional<quint32>(again));
        QCOMPARE(esearch->all.toList(), (QList<quint32>{plan, reply, again}));

        // RFC 8438: SIZE is the sum of the messages' RFC822.SIZE.
        const QList<Response> status = d.run(cmd::status("INBOX", {"MESSAGES", "SIZE"}, o), &result);
        QCOMPARE(result.error, Session::Error::None);
        QVERIFY(first<StatusData>(status));
        QCOMPARE(first<StatusData>(status)->messages, std::optional<quint32>(4));
        QCOMPARE(first<StatusData>(status)->size,
                 std::optional<quint64>(kPlan.size() + kReply.size() + kLunch.size() + kReplyToReply.size()));
    }

    void notifyReportsOtherMailboxesAndTheSelectedOne()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapnotify"));
        Driver watcher(m_lab);
        QVERIFY(loggedIn(watcher, user));
        QVERIFY(watcher.session.hasCapability("NOTIFY"));
        const EncodeOptions o = watcher.session.encodeOptions();
        Session::Result result;
        watcher.run(cmd::create("Other", o), &result);
        QCOMPARE(result.error, Session::Error::None);
        watcher.session.select("INBOX");
        QVERIFY(watcher.waitFor(Kind::Selected));

        // RFC 5465 §5: new messages in the selected mailbox as FETCH (UID FLAGS); elsewhere as STATUS.
        // With STATUS the server first reports each watched mailbox's current state (§3.1).
        const QList<Response> initial = watcher.run(
            cmd::notifySet({{"selected", {}, {"MessageNew (UID FLAGS)", "MessageExpunge", "FlagChange"}},
                            {"personal", {}, {"MessageNew", "MessageExpunge"}}},
                           true, o),
            &result);
        QCOMPARE(result.error, Session::Error::None);
        const bool otherReported = std::any_of(initial.cbegin(), initial.cend(), [](const Response &r) {
            return r.get<StatusData>() && r.get<StatusData>()->name == QStringLiteral("Other")
                && r.get<StatusData>()->messages == std::optional<quint32>(0);
        });
        QVERIFY(otherReported);
        watcher.session.idle();
        QVERIFY(watcher.waitFor(Kind::IdleStarted));

        Driver writer(m_lab);
        QVERIFY(loggedIn(writer, user));
        QVERIFY(append(writer, "Other", "Subject: elsewhere\r\n\r\nx\r\n"));
        QVERIFY(watcher.waitForUntagged([](const Response &r) {
            const StatusData *s = r.get<StatusData>();
            return s && s->name == QStringLiteral("Other") && s->messages == std::optional<quint32>(1);
        }));

        const quint32 uid = append(writer, "INBOX", "Subject: here\r\n\r\nx\r\n");
        QVERIFY(uid);
        QVERIFY(watcher.waitForUntagged([&](const Response &r) {
            const FetchData *f = r.get<FetchData>();
            return f && f->uid == std::optional<quint32>(uid) && f->flags;
        }));
        QCOMPARE(watcher.session.mailbox().exists, 1u);

        watcher.session.stopIdle();
        QVERIFY(watcher.waitFor(Kind::CommandFinished));
        watcher.run(cmd::notifyNone(), &result);
        QCOMPARE(result.error, Session::Error::None);
    }

    // Dovecot 2.4 implements IMAP4rev1 only: it neither advertises IMAP4rev2 nor enables it, and ignores the
    // unknown name in ENABLE (RFC 5161 §3.1). The session must then stay on rev1 rules (modified UTF-7 names).
    // The rev2 dialogue itself is played by a scripted server (tst_imap_faults, imap4rev2.script).
    void enableImap4rev2WhereNotOffered()
    {
        Driver d(m_lab);
        QVERIFY(loggedIn(d, m_lab.createUser(QStringLiteral("imaprev2"))));
        QVERIFY(!d.session.hasCapability("IMAP4REV2"));
        const QByteArray tag = d.session.enable({"IMAP4rev2"});
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        QVERIFY(!d.session.isEnabled("IMAP4REV2"));
        QVERIFY(!d.session.hasUtf8Names());

        const QByteArray name = encodeMailboxName(QStringLiteral("Entw\u00FCrfe"), d.session.hasUtf8Names());
        QCOMPARE(name, QByteArray("Entw&APw-rfe"));
        Session::Result result;
        d.run(cmd::create(name, d.session.encodeOptions()), &result);
        QCOMPARE(result.error, Session::Error::None);
        const QList<Response> listed = d.run(cmd::list("", name, d.session.encodeOptions()), &result);
        QCOMPARE(result.error, Session::Error::None);
        QVERIFY(first<ListData>(listed));
        QCOMPARE(first<ListData>(listed)->name, QStringLiteral("Entw\u00FCrfe"));
    }
};

QTEST_GUILESS_MAIN(TestImapExtensionsLab)
#include "tst_imap_extensions_lab.moc"
