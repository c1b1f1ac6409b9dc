// SPDX-License-Identifier: GPL-3.0-or-later
// The sans-I/O session against the lab's real Dovecot: STARTTLS, login, ENABLE, LIST with special-use,
// APPEND/SELECT/FETCH/STORE/MOVE round trips, and IDLE seeing a message appended by another client.
#include "imap/mutf7.h"
#include "labsession.h"

#include <QTest>

using namespace tern::imap;
using namespace tern::imap::test;
using tern::test::LabEnv;
namespace cmd = tern::imap::commands;

class TestImapSessionLab : public QObject
{
    Q_OBJECT

private:
    LabEnv m_lab;

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void startTlsLoginListAppendFetchStoreMove()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapsession"));
        Driver d(m_lab);
        QVERIFY(loggedIn(d, user));
        QVERIFY(d.session.hasCapability("IMAP4REV1"));

        QByteArray tag = d.session.enable({"QRESYNC"});
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QVERIFY(d.session.isEnabled("QRESYNC"));

        cmd::ListOptions options;
        options.returnSpecialUse = true;
        tag = d.session.send(cmd::list("", "*", d.session.encodeOptions(), options));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        bool sawInbox = false;
        for (const Response &r : d.untagged()) {
            if (const ListData *l = r.get<ListData>())
                sawInbox = sawInbox || l->name == QStringLiteral("INBOX");
        }
        QVERIFY(sawInbox);

        const QByteArray folder = encodeMailboxName(QStringLiteral("Entw\u00FCrfe \"alt\""), false);
        tag = d.session.send(cmd::create(folder, d.session.encodeOptions()));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);

        const QByteArray message("From: Alice <alice@lab.test>\r\nTo: fred@lab.test\r\n"
                                 "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nMessage-ID: <one@lab.test>\r\n\r\nHello\r\n");
        tag = d.session.send(cmd::append("INBOX", message, d.session.encodeOptions(), {"\\Flagged"}));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        QCOMPARE(d.last().result.code.kind, ResponseCode::Kind::AppendUid);
        const quint32 uid = d.last().result.code.set.ranges().first().first;

        d.session.select("INBOX");
        QVERIFY(d.waitFor(Kind::Selected));
        QCOMPARE(d.last().mailbox.exists, 1u);
        QVERIFY(d.last().mailbox.uidValidity != 0);

        const qsizetype before = d.untagged().size();
        tag = d.session.send(cmd::uidFetch({{1, SequenceSet::Star}},
                                           {"UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE"}));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        const QList<Response> fetched = d.untagged().mid(before);
        QCOMPARE(fetched.size(), 1);
        const FetchData *f = fetched.first().get<FetchData>();
        QVERIFY(f);
        QCOMPARE(f->uid, std::optional<quint32>(uid));
        QVERIFY(f->flags->contains("\\Flagged"));
        QCOMPARE(f->size, std::optional<qint64>(message.size()));
        QVERIFY(f->internalDate && f->internalDate->isValid());
        QCOMPARE(f->envelope->subject, QByteArray("=?utf-8?q?Gr=C3=BC=C3=9Fe?="));
        QCOMPARE(f->envelope->from.first().mailbox, QByteArray("alice"));
        QCOMPARE(f->envelope->messageId, QByteArray("<one@lab.test>"));
        QCOMPARE(f->body->type, QByteArray("TEXT"));
        QCOMPARE(f->body->subtype, QByteArray("PLAIN"));

        tag = d.session.send(cmd::uidStore({{uid, uid}}, cmd::StoreMode::Add, {"\\Seen"}, false));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        const QList<Response> afterStore = d.untagged();
        const FetchData *stored = afterStore.last().get<FetchData>();
        QVERIFY(stored && stored->flags && stored->flags->contains("\\Seen"));

        tag = d.session.send(cmd::uidMove({{uid, uid}}, folder, d.session.encodeOptions()));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        bool vanished = false; // QRESYNC is on: the move reports VANISHED, not EXPUNGE (RFC 7162 §3.2.10)
        for (const Response &r : d.untagged())
            vanished = vanished || (r.get<VanishedData>() && r.get<VanishedData>()->uids.toList().contains(uid));
        QVERIFY(vanished);

        tag = d.session.send(cmd::status(folder, {"MESSAGES"}, d.session.encodeOptions()));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        const QList<Response> afterStatus = d.untagged();
        const StatusData *status = afterStatus.last().get<StatusData>();
        QVERIFY(status);
        QCOMPARE(status->name, QStringLiteral("Entw\u00FCrfe \"alt\""));
        QCOMPARE(status->messages, std::optional<quint32>(1));

        d.session.logout();
        QVERIFY(d.waitFor(Kind::Closed));
        QCOMPARE(d.last().result.error, Session::Error::None);
    }

    void compressedSession()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapdeflate"));
        Driver d(m_lab);
        QVERIFY(loggedIn(d, user));
        QVERIFY(d.session.hasCapability("COMPRESS=DEFLATE"));
        QByteArray tag = d.session.compress();
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QVERIFY(d.session.isCompressing());
        tag = d.session.send(cmd::append("INBOX", "Subject: squeezed\r\n\r\nzzzzzzzzzzzzzzzz\r\n", d.session.encodeOptions()));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        QCOMPARE(d.last().result.error, Session::Error::None);
        d.session.select("INBOX");
        QVERIFY(d.waitFor(Kind::Selected));
        QCOMPARE(d.last().mailbox.exists, 1u);
        tag = d.session.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"ENVELOPE"}));
        QVERIFY(d.waitFor(Kind::CommandFinished, tag));
        const QList<Response> all = d.untagged();
        QCOMPARE(all.last().get<FetchData>()->envelope->subject, QByteArray("squeezed"));
    }

    void idleSeesAnotherClientsAppend()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapidle"));
        Driver watcher(m_lab);
        QVERIFY(loggedIn(watcher, user));
        watcher.session.select("INBOX");
        QVERIFY(watcher.waitFor(Kind::Selected));
        watcher.session.idle();
        QVERIFY(watcher.waitFor(Kind::IdleStarted));

        Driver writer(m_lab);
        QVERIFY(loggedIn(writer, user));
        const QByteArray tag = writer.session.send(cmd::append("INBOX", "Subject: ping\r\n\r\nx\r\n", writer.session.encodeOptions()));
        QVERIFY(writer.waitFor(Kind::CommandFinished, tag));

        QVERIFY(watcher.waitFor(Kind::Untagged));
        const ExistsData *exists = watcher.last().response.get<ExistsData>();
        QVERIFY(exists);
        QCOMPARE(exists->count, 1u);
        watcher.session.stopIdle();
        QVERIFY(watcher.waitFor(Kind::CommandFinished));
        QCOMPARE(watcher.session.state(), Session::State::Selected);
    }
};

QTEST_GUILESS_MAIN(TestImapSessionLab)
#include "tst_imap_session_lab.moc"
