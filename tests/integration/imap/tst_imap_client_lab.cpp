// SPDX-License-Identifier: GPL-3.0-or-later
// ImapClient against the lab's real Dovecot (and Postfix): login by each SASL mechanism on both the
// STARTTLS and the implicit-TLS port, LIST with special-use, APPEND/FETCH/STORE/MOVE/EXPUNGE round trips,
// QRESYNC resynchronisation after another client's changes, and IDLE seeing a message Postfix delivered.
#include "imap/imapclient.h"
#include "labenv.h"
#include "smtp/smtpclient.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using namespace tern::imap;
using tern::test::LabEnv;
using Kind = Session::Event::Kind;
using tern::sasl::Mechanism;
namespace cmd = tern::imap::commands;

namespace {

// One logged-in client and everything it reported.
struct Client
{
    Client(const LabEnv &lab, const LabEnv::User &user, const QString &port = QStringLiteral("IMAPS"),
           std::optional<Mechanism> mechanism = std::nullopt)
        : client(config(user, port, mechanism))
        , loggedIn(&client, &ImapClient::loggedIn)
        , finished(&client, &ImapClient::finished)
    {
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        client.setTlsPolicy(policy);
        client.setServer(lab.host(), lab.port(port));
        client.setTraceSink([this](const tern::protocols::TraceEntry &e) { trace.append(e); });
        QObject::connect(&client, &ImapClient::sessionEvent, &client, [this](const Session::Event &e) { events.append(e); });
        client.start();
    }

    static ImapClient::Config config(const LabEnv::User &user, const QString &port, std::optional<Mechanism> mechanism)
    {
        ImapClient::Config c;
        c.security = port == QStringLiteral("IMAPS") ? ImapClient::Security::ImplicitTls : ImapClient::Security::StartTls;
        c.credentials.username = user.address;
        c.credentials.password = user.password;
        c.forcedMechanism = mechanism;
        return c;
    }

    // Runs one command to its tagged answer; the untagged data it produced are in `untagged`.
    bool run(const QByteArray &tag)
    {
        untagged.clear();
        if (tag.isEmpty())
            return false;
        const qsizetype start = events.size();
        qsizetype done = -1;
        (void)QTest::qWaitFor([&] {
            for (qsizetype i = start; i < events.size() && done < 0; ++i) {
                if (events[i].kind == Kind::CommandFinished && events[i].result.tag == tag)
                    done = i;
            }
            return done >= 0 || client.isFinished();
        }, 20000);
        if (done < 0)
            return false;
        for (qsizetype j = start; j < done; ++j) {
            if (events[j].kind == Kind::Untagged)
                untagged.append(events[j].response);
        }
        result = events[done].result;
        return true;
    }

    template<typename T> QList<T> data() const
    {
        QList<T> out;
        for (const Response &r : untagged) {
            if (const T *d = r.get<T>())
                out.append(*d);
        }
        return out;
    }

    ImapClient client;
    QSignalSpy loggedIn;
    QSignalSpy finished;
    QList<Session::Event> events;
    QList<Response> untagged;
    Session::Result result;
    QList<tern::protocols::TraceEntry> trace;
};

} // namespace

class TestImapClientLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca; // SCRAM and CRAM-MD5 hash through QCA
    LabEnv m_lab;

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void loginByEachMechanism_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<int>("mechanism");
        for (const QString &port : {QStringLiteral("IMAP"), QStringLiteral("IMAPS")}) {
            for (Mechanism m : {Mechanism::Plain, Mechanism::Login, Mechanism::CramMd5, Mechanism::ScramSha1, Mechanism::ScramSha256})
                QTest::addRow("%s %s", qPrintable(port), tern::sasl::mechanismName(m).constData()) << port << int(m);
        }
    }

    void loginByEachMechanism()
    {
        QFETCH(QString, port);
        QFETCH(int, mechanism);
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapmech"));
        Client c(m_lab, user, port, Mechanism(mechanism));
        QVERIFY2(c.loggedIn.wait(20000), qPrintable(QStringLiteral("error %1").arg(int(c.client.error()))));
        QCOMPARE(c.client.mechanism(), std::optional(Mechanism(mechanism)));
        QVERIFY(c.client.tlsSession().encrypted);
        QVERIFY(c.client.session().isTlsActive());
        QVERIFY(c.client.session().hasCapability("IMAP4REV1"));
        c.client.logout();
        QVERIFY(c.finished.wait(20000));
        QCOMPARE(c.client.error(), ImapClient::Error::None);
        // The redacted trace shows the exchange but never the password, plain or base64.
        QVERIFY(!c.trace.isEmpty());
        for (const auto &e : std::as_const(c.trace)) {
            QVERIFY(!e.text.contains(user.password.toUtf8()));
            QVERIFY(!e.text.contains(user.password.toUtf8().toBase64()));
            QVERIFY(!e.text.contains(QByteArray(QByteArray(1, '\0') + user.address.toUtf8() + '\0' + user.password.toUtf8()).toBase64()));
        }
    }

    void strongestMechanismByDefault()
    {
        Client c(m_lab, m_lab.createUser(QStringLiteral("imapdefault")), QStringLiteral("IMAP"));
        QVERIFY(c.loggedIn.wait(20000));
        QCOMPARE(c.client.mechanism(), std::optional(Mechanism::ScramSha256));
    }

    void wrongPasswordIsAuthenticationFailed()
    {
        LabEnv::User user = m_lab.createUser(QStringLiteral("imapwrong"));
        user.password += QStringLiteral("-not");
        Client c(m_lab, user);
        QVERIFY(c.finished.wait(30000));
        QCOMPARE(c.loggedIn.size(), 0);
        QCOMPARE(c.client.error(), ImapClient::Error::AuthenticationFailed);
        QCOMPARE(c.client.lastResult().error, Session::Error::No);
    }

    void untrustedCertificateFailsWithDetails()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapcert"));
        ImapClient client(Client::config(user, QStringLiteral("IMAPS"), std::nullopt));
        client.setServer(m_lab.host(), m_lab.port(QStringLiteral("IMAPS"))); // no lab CA in the policy
        QSignalSpy finished(&client, &ImapClient::finished);
        client.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Certificate);
        QVERIFY(client.certificateInfo().has_value());
        QCOMPARE(client.certificateInfo()->sha256Fingerprint.size(), 32);
        QVERIFY(!client.certificateInfo()->errors.isEmpty());
        QVERIFY(!client.isLoggedIn());
    }

    void listShowsSpecialUse()
    {
        Client c(m_lab, m_lab.createUser(QStringLiteral("imaplist")));
        QVERIFY(c.loggedIn.wait(20000));
        cmd::ListOptions options;
        options.returnSpecialUse = true;
        QVERIFY(c.run(c.client.send(cmd::list("", "*", c.client.session().encodeOptions(), options))));
        QCOMPARE(c.result.error, Session::Error::None);
        QHash<QString, QList<QByteArray>> attributes;
        for (const ListData &l : c.data<ListData>())
            attributes.insert(l.name, l.flags);
        QVERIFY(attributes.contains(QStringLiteral("INBOX")));
        // tests/lab/lab.sh declares these four special-use folders.
        const QList<std::pair<QString, QByteArray>> expected{{QStringLiteral("Drafts"), "\\Drafts"},
            {QStringLiteral("Sent"), "\\Sent"}, {QStringLiteral("Trash"), "\\Trash"}, {QStringLiteral("Junk"), "\\Junk"}};
        for (const auto &[name, use] : expected) {
            QVERIFY2(attributes.contains(name), qPrintable(name));
            const QList<QByteArray> attrs = attributes.value(name);
            QVERIFY2(std::any_of(attrs.cbegin(), attrs.cend(),
                                 [&](const QByteArray &a) { return a.compare(use, Qt::CaseInsensitive) == 0; }),
                     qPrintable(name));
        }
    }

    void appendFetchFlagMoveExpunge()
    {
        Client c(m_lab, m_lab.createUser(QStringLiteral("imaprt")));
        QVERIFY(c.loggedIn.wait(20000));
        const auto o = c.client.session().encodeOptions();
        const QByteArray one("From: Alice <alice@lab.test>\r\nSubject: one\r\nMessage-ID: <one@lab.test>\r\n\r\nfirst\r\n");
        QVERIFY(c.run(c.client.send(cmd::append("INBOX", one, o))));
        QCOMPARE(c.result.code.kind, ResponseCode::Kind::AppendUid);
        const quint32 uid1 = c.result.code.set.ranges().first().first;
        QVERIFY(c.run(c.client.send(cmd::append("INBOX", "Subject: two\r\n\r\nsecond\r\n", o, {"\\Draft"}))));
        QCOMPARE(c.result.code.kind, ResponseCode::Kind::AppendUid);
        const quint32 uid2 = c.result.code.set.ranges().first().first;
        QVERIFY(uid2 > uid1);

        QVERIFY(c.run(c.client.select("INBOX")));
        QCOMPARE(c.result.error, Session::Error::None);
        QCOMPARE(c.client.session().mailbox().exists, 2u);

        QVERIFY(c.run(c.client.send(cmd::uidFetch({{uid1, uid1}}, {"UID", "FLAGS", "RFC822.SIZE", "ENVELOPE", "BODY.PEEK[TEXT]"}))));
        QCOMPARE(c.result.error, Session::Error::None);
        QList<FetchData> fetched = c.data<FetchData>();
        QCOMPARE(fetched.size(), 1);
        QCOMPARE(fetched[0].uid, std::optional(uid1));
        QCOMPARE(fetched[0].size, std::optional<qint64>(one.size()));
        QCOMPARE(fetched[0].envelope->subject, QByteArray("one"));
        QCOMPARE(fetched[0].envelope->messageId, QByteArray("<one@lab.test>"));
        QVERIFY(!fetched[0].flags->contains("\\Seen")); // PEEK leaves it unread

        QVERIFY(c.run(c.client.send(cmd::uidStore({{uid1, uid1}}, cmd::StoreMode::Add, {"\\Flagged", "\\Seen"}, false))));
        fetched = c.data<FetchData>();
        QCOMPARE(fetched.size(), 1);
        QVERIFY(fetched[0].flags->contains("\\Flagged") && fetched[0].flags->contains("\\Seen"));

        QVERIFY(c.run(c.client.send(cmd::uidMove({{uid1, uid1}}, "Trash", o))));
        QCOMPARE(c.result.error, Session::Error::None);
        QCOMPARE(c.data<ExpungeData>().size(), 1); // RFC 6851 §3.3: the source message is expunged
        QCOMPARE(c.data<ExpungeData>().first().sequence, 1u);

        QVERIFY(c.run(c.client.send(cmd::uidStore({{uid2, uid2}}, cmd::StoreMode::Add, {"\\Deleted"}))));
        QVERIFY(c.run(c.client.send(cmd::uidExpunge({{uid2, uid2}}))));
        QCOMPARE(c.result.error, Session::Error::None);
        QCOMPARE(c.data<ExpungeData>().size(), 1);

        for (const auto &[box, count] : {std::pair<QByteArray, quint32>{"INBOX", 0}, {"Trash", 1}}) {
            QVERIFY(c.run(c.client.send(cmd::status(box, {"MESSAGES"}, o))));
            QCOMPARE(c.data<StatusData>().size(), 1);
            QCOMPARE(c.data<StatusData>().first().messages, std::optional(count));
        }
        QVERIFY(c.run(c.client.select("Trash")));
        QVERIFY(c.run(c.client.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"FLAGS", "ENVELOPE"}))));
        QCOMPARE(c.data<FetchData>().size(), 1);
        QCOMPARE(c.data<FetchData>().first().envelope->subject, QByteArray("one"));
        QVERIFY(c.data<FetchData>().first().flags->contains("\\Flagged")); // flags travel with the move
    }

    void qresyncSeesAnotherClientsChanges()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapqresync"));
        quint32 uidValidity = 0;
        quint64 modseq = 0;
        QList<quint32> uids;
        {
            Client a(m_lab, user);
            QVERIFY(a.loggedIn.wait(20000));
            for (int i = 0; i < 3; ++i) {
                QVERIFY(a.run(a.client.send(cmd::append("INBOX", "Subject: q\r\n\r\nx\r\n", a.client.session().encodeOptions()))));
                uids.append(quint32(a.result.code.set.ranges().first().first));
            }
            QVERIFY(a.run(a.client.enable({"QRESYNC"})));
            QVERIFY(a.client.session().isEnabled("QRESYNC"));
            QVERIFY(a.run(a.client.select("INBOX")));
            uidValidity = a.client.session().mailbox().uidValidity;
            modseq = a.client.session().mailbox().highestModSeq;
            QVERIFY(uidValidity != 0 && modseq != 0);
            a.client.logout();
            QVERIFY(a.finished.wait(20000));
        }
        {   // Another client expunges the second message and flags the third.
            Client b(m_lab, user, QStringLiteral("IMAP"));
            QVERIFY(b.loggedIn.wait(20000));
            QVERIFY(b.run(b.client.select("INBOX")));
            QVERIFY(b.run(b.client.send(cmd::uidStore({{uids[1], uids[1]}}, cmd::StoreMode::Add, {"\\Deleted"}))));
            QVERIFY(b.run(b.client.send(cmd::uidExpunge({{uids[1], uids[1]}}))));
            QVERIFY(b.run(b.client.send(cmd::uidStore({{uids[2], uids[2]}}, cmd::StoreMode::Add, {"\\Flagged"}))));
            QCOMPARE(b.result.error, Session::Error::None);
            b.client.logout();
            QVERIFY(b.finished.wait(20000));
        }
        Client a(m_lab, user);
        QVERIFY(a.loggedIn.wait(20000));
        QVERIFY(a.run(a.client.enable({"QRESYNC"})));
        cmd::QresyncParams params;
        params.uidValidity = uidValidity;
        params.modseq = modseq;
        params.knownUids = SequenceSet::fromList(uids);
        QVERIFY(a.run(a.client.select("INBOX", false, params)));
        QCOMPARE(a.result.error, Session::Error::None);
        QCOMPARE(a.client.session().mailbox().uidValidity, uidValidity);
        QVERIFY(a.client.session().mailbox().highestModSeq > modseq);
        const QList<VanishedData> vanished = a.data<VanishedData>();
        QCOMPARE(vanished.size(), 1);
        QVERIFY(vanished[0].earlier); // RFC 7162 §3.2.10: VANISHED (EARLIER) during SELECT
        QCOMPARE(vanished[0].uids.toList(), QList<quint32>{uids[1]});
        const QList<FetchData> changed = a.data<FetchData>();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0].uid, std::optional(uids[2]));
        QVERIFY(changed[0].flags->contains("\\Flagged"));
    }

    void idleSeesMessageDeliveredByPostfix()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("imapidlemx"));
        Client c(m_lab, user);
        QVERIFY(c.loggedIn.wait(20000));
        QVERIFY(c.run(c.client.select("INBOX")));
        QCOMPARE(c.client.session().mailbox().exists, 0u);
        c.client.idle();
        QTRY_VERIFY(c.client.session().state() == Session::State::Idle);
        const qsizetype before = c.events.size();

        tern::smtp::SessionConfig config;
        config.security = tern::smtp::Security::ImplicitTls;
        tern::sasl::Credentials cred;
        cred.username = user.address;
        cred.password = user.password;
        config.credentials = cred;
        tern::smtp::SmtpClient smtp(config);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        smtp.setTlsPolicy(policy);
        smtp.setServer(m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")));
        tern::smtp::OutgoingMessage m;
        m.from = user.address.toUtf8();
        m.recipients.append(tern::smtp::Recipient{user.address.toUtf8(), 0, false, {}});
        m.data = "From: " + m.from + "\r\nTo: " + m.from + "\r\nSubject: pushed\r\n\r\nvia postfix\r\n";
        smtp.addMessage(m);
        QSignalSpy sent(&smtp, &tern::smtp::SmtpClient::finished);
        smtp.start();
        QVERIFY(sent.wait(30000));
        QCOMPARE(smtp.results().at(0).outcome, tern::smtp::MessageResult::Outcome::Accepted);

        // Accepted by Postfix; delivered to Dovecot and pushed over IDLE within 2 s.
        auto sawExists = [&] {
            for (qsizetype i = before; i < c.events.size(); ++i) {
                const ExistsData *e = c.events[i].kind == Kind::Untagged ? c.events[i].response.get<ExistsData>() : nullptr;
                if (e && e->count == 1)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sawExists(), 2000);
        c.client.stopIdle();
        QTRY_VERIFY(c.client.session().state() == Session::State::Selected);
        QVERIFY(c.run(c.client.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"ENVELOPE"}))));
        QCOMPARE(c.data<FetchData>().size(), 1);
        QCOMPARE(c.data<FetchData>().first().envelope->subject, QByteArray("pushed"));
    }
};

QTEST_GUILESS_MAIN(TestImapClientLab)
#include "tst_imap_client_lab.moc"
