// SPDX-License-Identifier: GPL-3.0-or-later
// The sans-I/O session against the lab's real Dovecot: STARTTLS, login, ENABLE, LIST with special-use,
// APPEND/SELECT/FETCH/STORE/MOVE round trips, and IDLE seeing a message appended by another client.
// The socket glue below is test-local, a few lines: the product transport is separate work.
#include "imap/mutf7.h"
#include "imap/session.h"
#include "labenv.h"

#include <QDeadlineTimer>
#include <QSslSocket>
#include <QTest>

using namespace tern::imap;
using tern::test::LabEnv;
using Kind = Session::Event::Kind;
namespace cmd = tern::imap::commands;

namespace {

// Moves bytes between a socket and a Session, collecting events until a condition holds.
class Driver
{
public:
    Driver(const LabEnv &lab) : session(Session::Options{})
    {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(lab.caCertificates());
        config.setProtocol(QSsl::TlsV1_2OrLater);
        socket.setSslConfiguration(config);
        socket.setPeerVerifyName(QStringLiteral("localhost"));
        socket.connectToHost(lab.host(), lab.port(QStringLiteral("IMAP")));
        if (socket.waitForConnected(10000))
            session.connected(false);
    }

    // Pumps until an event of `kind` (optionally for `tag`) arrives; false on timeout or close.
    bool waitFor(Kind kind, const QByteArray &tag = {})
    {
        QDeadlineTimer deadline(15000);
        for (;;) {
            flush();
            for (qsizetype i = scanned; i < events.size(); ++i) {
                scanned = i + 1;
                if (events[i].kind == kind && (tag.isEmpty() || events[i].result.tag == tag))
                    return true;
                if (events[i].kind == Kind::Closed && kind != Kind::Closed)
                    return false;
            }
            if (deadline.hasExpired() || socket.state() != QAbstractSocket::ConnectedState)
                return false;
            if (!socket.waitForReadyRead(200) && !socket.isEncrypted() && handshaking)
                socket.waitForEncrypted(200);
            if (handshaking && socket.isEncrypted()) {
                handshaking = false;
                session.tlsEstablished();
            }
            const QByteArray bytes = socket.readAll();
            if (!bytes.isEmpty())
                session.receive(bytes);
        }
    }

    const Session::Event &last() const { return events[scanned - 1]; }

    QList<Response> untagged() const
    {
        QList<Response> out;
        for (const Session::Event &e : events) {
            if (e.kind == Kind::Untagged)
                out.append(e.response);
        }
        return out;
    }

    Session session;
    QSslSocket socket;
    QList<Session::Event> events;

private:
    void flush()
    {
        const QByteArray out = session.takeOutgoing();
        if (!out.isEmpty()) {
            socket.write(out);
            socket.flush();
        }
        for (Session::Event &e : session.takeEvents()) {
            if (e.kind == Kind::StartTlsHandshake) {
                handshaking = true;
                socket.startClientEncryption();
            }
            events.append(std::move(e));
        }
    }

    qsizetype scanned = 0;
    bool handshaking = false;
};

bool loggedIn(Driver &d, const LabEnv::User &user)
{
    if (!d.waitFor(Kind::Ready) || !d.session.isTlsActive())
        return false;
    d.session.login(user.address.toUtf8(), user.password.toUtf8());
    return d.waitFor(Kind::Authenticated);
}

} // namespace

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
