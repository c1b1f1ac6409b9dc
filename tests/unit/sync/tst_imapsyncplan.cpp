// SPDX-License-Identifier: GPL-3.0-or-later
// The decisions of an IMAP folder sync without a server (syncplan.h) and what FETCH/LIST data become in the
// store (imapsummary.h).
#include "sync/imapsummary.h"
#include "sync/syncplan.h"

#include <QTest>
#include <QTimeZone>

using namespace tern::sync;
using tern::imap::MailboxInfo;
using tern::imap::SequenceSet;
using tern::store::Folder;

Q_DECLARE_METATYPE(SyncMode)
Q_DECLARE_METATYPE(tern::store::Folder)
Q_DECLARE_METATYPE(tern::imap::MailboxInfo)

namespace {

Folder local(qint64 uidValidity, qint64 uidNext, qint64 modseq)
{
    Folder f;
    f.uidValidity = uidValidity;
    f.uidNext = uidNext;
    f.highestModSeq = modseq;
    return f;
}

MailboxInfo server(quint32 uidValidity, quint32 uidNext, quint64 modseq, bool noModSeq = false)
{
    MailboxInfo m;
    m.uidValidity = uidValidity;
    m.uidNext = uidNext;
    m.highestModSeq = modseq;
    m.noModSeq = noModSeq;
    return m;
}

QList<quint32> uidsUpTo(quint32 last)
{
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= last; ++uid)
        uids.append(uid);
    return uids;
}

// The batches as the uid-sets they send.
QList<QByteArray> sent(const QList<SequenceSet> &batches)
{
    QList<QByteArray> out;
    for (const SequenceSet &b : batches)
        out.append(b.toBytes());
    return out;
}

} // namespace

class TestImapSyncPlan : public QObject
{
    Q_OBJECT

private slots:
    void plan_data()
    {
        QTest::addColumn<Folder>("local");
        QTest::addColumn<MailboxInfo>("server");
        QTest::addColumn<bool>("qresyncSent");
        QTest::addColumn<bool>("condstore");
        QTest::addColumn<SyncMode>("mode");
        QTest::addColumn<bool>("drop");

        QTest::newRow("first sync") << local(0, 0, 0) << server(7, 100, 50) << false << true << SyncMode::Full << false;
        QTest::newRow("interrupted first sync resumes")
            << local(7, 0, 0) << server(7, 100, 50) << false << true << SyncMode::Full << false;
        QTest::newRow("uidvalidity changed drops")
            << local(7, 100, 50) << server(8, 10, 5) << true << true << SyncMode::Full << true;
        QTest::newRow("qresync") << local(7, 100, 50) << server(7, 101, 60) << true << true << SyncMode::Qresync << false;
        QTest::newRow("condstore only")
            << local(7, 100, 50) << server(7, 101, 60) << false << true << SyncMode::CondStore << false;
        QTest::newRow("no condstore") << local(7, 100, 0) << server(7, 101, 0) << false << false << SyncMode::Fallback
                                      << false;
        QTest::newRow("nomodseq mailbox")
            << local(7, 100, 50) << server(7, 101, 0, true) << false << true << SyncMode::Fallback << false;
        QTest::newRow("server modseq went backwards")
            << local(7, 100, 50) << server(7, 101, 40) << true << true << SyncMode::Fallback << false;
        QTest::newRow("modseq never cached")
            << local(7, 100, 0) << server(7, 101, 40) << false << true << SyncMode::Fallback << false;
    }

    void plan()
    {
        QFETCH(Folder, local);
        QFETCH(MailboxInfo, server);
        QFETCH(bool, qresyncSent);
        QFETCH(bool, condstore);
        QFETCH(SyncMode, mode);
        QFETCH(bool, drop);
        const FolderPlan p = planFolder(local, server, qresyncSent, condstore);
        QCOMPARE(p.mode, mode);
        QCOMPARE(p.dropCache, drop);
    }

    void batchesAreNewestFirst()
    {
        QList<quint32> uids;
        for (quint32 uid = 1; uid <= 10; ++uid)
            uids.append(uid);
        uids.append(20);
        uids.append(21);
        const QList<SequenceSet> b = newestFirstBatches(uids, 5);
        QCOMPARE(b.size(), 3);
        QCOMPARE(b[0].toBytes(), QByteArray("8:10,20:21"));
        QCOMPARE(b[1].toBytes(), QByteArray("3:7"));
        QCOMPARE(b[2].toBytes(), QByteArray("1:2"));
        QVERIFY(newestFirstBatches({}, 5).isEmpty());
        // Unsorted input with duplicates: each UID is fetched once.
        QCOMPARE(newestFirstBatches({9, 3, 9, 4}, 2).size(), 2);
        QCOMPARE(newestFirstBatches({9, 3, 9, 4}, 2)[0].toBytes(), QByteArray("4,9"));
        // Growing: 2, then 4, then at most 5; every UID once, newest first.
        QCOMPARE(sent(newestFirstBatches(uidsUpTo(17), 2, 5)), (QList<QByteArray>{"16:17", "12:15", "7:11", "2:6", "1"}));
        // A remainder larger than the first batch is cut so that the last batch is the first's size.
        QCOMPARE(sent(newestFirstBatches(uidsUpTo(20), 2, 8)),
                 (QList<QByteArray>{"19:20", "15:18", "7:14", "3:6", "1:2"}));
        QCOMPARE(sent(newestFirstBatches(uidsUpTo(3), 2, 8)), (QList<QByteArray>{"2:3", "1"}));
    }

    void diff()
    {
        const UidDiff d = diffUids({5, 1, 3, 9}, {3, 4, 9, 10});
        QCOMPARE(d.removed, (QList<qint64>{1, 5}));
        QCOMPARE(d.added, (QList<quint32>{4, 10}));
        QCOMPARE(d.kept, (QList<quint32>{3, 9}));
    }

    void expungeCheck()
    {
        QVERIFY(!mayHaveExpunges(100, 3, 103));
        QVERIFY(mayHaveExpunges(100, 3, 102));
    }

    void flags()
    {
        const Flags f = flagsFromImap({"\\Seen", "\\flagged", "\\Recent", "$Forwarded", "$Label1", "\\Answered"});
        QCOMPARE(f.bits, quint32(tern::store::Seen | tern::store::Flagged | tern::store::Forwarded | tern::store::Answered));
        QCOMPARE(f.keywords, QStringList{QStringLiteral("$Label1")});
    }

    void roles()
    {
        QCOMPARE(roleFor(QStringLiteral("inbox"), {}, true), QStringLiteral("inbox"));
        QCOMPARE(roleFor(QStringLiteral("Gesendet"), {"\\HasNoChildren", "\\Sent"}, true), QStringLiteral("sent"));
        QCOMPARE(roleFor(QStringLiteral("Sent"), {"\\HasNoChildren"}, true), QString());
        QCOMPARE(roleFor(QStringLiteral("Sent"), {"\\HasNoChildren"}, false), QStringLiteral("sent"));
        QCOMPARE(roleFor(QStringLiteral("Spam"), {}, false), QStringLiteral("junk"));
        QCOMPARE(roleFor(QStringLiteral("Work"), {}, false), QString());
    }

    void summary()
    {
        tern::imap::FetchData f;
        f.uid = 42;
        f.flags = QList<QByteArray>{"\\Seen", "work"};
        f.size = 1234;
        f.internalDate = QDateTime::fromSecsSinceEpoch(1700000000, QTimeZone::UTC);
        tern::imap::Envelope e;
        e.date = "Wed, 17 Jul 2024 02:23:25 +0200";
        e.subject = "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=";
        e.from = {{"=?UTF-8?Q?J=C3=BCrgen?=", {}, "juergen", "example.com"}};
        e.to = {{{}, {}, "a", "lab.test"}, {"Bee", {}, "b", "lab.test"}};
        e.cc = {{{}, {}, "team", {}}, {{}, {}, "c", "lab.test"}, {{}, {}, {}, {}}}; // a group around c
        e.messageId = "<m1@example.com>";
        e.inReplyTo = "<m0@example.com>";
        f.envelope = e;
        tern::imap::BodyStructure mixed;
        mixed.type = "MULTIPART";
        mixed.subtype = "MIXED";
        tern::imap::BodyStructure text;
        text.type = "TEXT";
        text.subtype = "PLAIN";
        tern::imap::BodyStructure pdf;
        pdf.type = "APPLICATION";
        pdf.subtype = "PDF";
        pdf.disposition = "ATTACHMENT";
        mixed.parts = {text, pdf};
        f.body = mixed;

        const tern::store::MessageSummary s = summaryFromFetch(f);
        QCOMPARE(s.uid, qint64(42));
        QCOMPARE(s.flags, quint32(tern::store::Seen));
        QCOMPARE(s.keywords, QStringList{QStringLiteral("work")});
        QCOMPARE(s.size, qint64(1234));
        QCOMPARE(s.internalDate, qint64(1700000000));
        QCOMPARE(s.date, QDateTime(QDate(2024, 7, 17), QTime(0, 23, 25), QTimeZone::UTC).toSecsSinceEpoch());
        QCOMPARE(s.subject, QStringLiteral("Grüße"));
        QCOMPARE(s.fromName, QStringLiteral("Jürgen"));
        QCOMPARE(s.fromAddress, QStringLiteral("juergen@example.com"));
        QCOMPARE(s.to, QStringLiteral("a@lab.test, Bee <b@lab.test>"));
        QCOMPARE(s.cc, QStringLiteral("c@lab.test"));
        QCOMPARE(s.messageId, QStringLiteral("<m1@example.com>"));
        QCOMPARE(s.inReplyTo, QStringLiteral("<m0@example.com>"));
        QVERIFY(s.hasAttachments);

        // An alternative of text parts has no attachment; an unparsable Date falls back to INTERNALDATE.
        tern::imap::BodyStructure alt;
        alt.type = "MULTIPART";
        alt.subtype = "ALTERNATIVE";
        tern::imap::BodyStructure html = text;
        html.subtype = "HTML";
        alt.parts = {text, html};
        f.body = alt;
        f.envelope->date = "not a date";
        const tern::store::MessageSummary t = summaryFromFetch(f);
        QVERIFY(!t.hasAttachments);
        QCOMPARE(t.date, qint64(1700000000));
    }

    void hostileDisplayNameCannotPassForAnAddress()
    {
        tern::imap::FetchData f;
        f.uid = 1;
        tern::imap::Envelope e;
        e.from = {{"ceo@bank.example <ceo@bank.example>", {}, "attacker", "evil.example"}};
        f.envelope = e;
        const tern::store::MessageSummary s = summaryFromFetch(f);
        QCOMPARE(s.fromAddress, QStringLiteral("attacker@evil.example"));
        QVERIFY(!s.fromName.contains(QLatin1Char('<')));
    }
};

QTEST_GUILESS_MAIN(TestImapSyncPlan)
#include "tst_imapsyncplan.moc"
