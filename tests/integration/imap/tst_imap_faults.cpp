// SPDX-License-Identifier: GPL-3.0-or-later
// ImapClient against scripted fake servers (tests/data/scripts/imap/*.script): what real servers will not
// do. PREAUTH on cleartext (T3), STARTTLS stripped (T1), injection after the STARTTLS OK (T2), a 4 GiB
// literal (P1), a refused STARTTLS (T5), an alert before TLS (T4), a wrong SCRAM signature, a server closing
// mid-literal, IDLE pushes, a UIDVALIDITY change between sessions, and an IMAP4rev2 server (the lab's Dovecot
// 2.4 speaks only IMAP4rev1). Integration: the fake server uses the lab's certificate so the client's TLS
// validation stays fully on.
#include "fakeserver.h"
#include "imap/imapclient.h"
#include "labenv.h"

#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using namespace tern::imap;
using tern::test::FakeServer;
using tern::test::LabEnv;
using Kind = Session::Event::Kind;
namespace cmd = tern::imap::commands;

class TestImapFaults : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca; // SCRAM hashes through QCA
    LabEnv m_lab;

    static ImapClient::Config config(ImapClient::Security security)
    {
        ImapClient::Config c;
        c.security = security;
        c.credentials.username = QStringLiteral("u");
        c.credentials.password = QStringLiteral("p");
        return c;
    }

    bool startScript(FakeServer &server, ImapClient &client, const char *name, bool implicitTls)
    {
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/") + QLatin1String(name);
        if (!server.loadScript(path) || !server.useLabCertificate(m_lab) || !server.start())
            return false;
        server.setImplicitTls(implicitTls);
        tern::protocols::TlsPolicy policy;
        policy.extraCaCertificates = m_lab.caCertificates();
        policy.peerVerifyName = QStringLiteral("localhost");
        client.setTlsPolicy(policy);
        client.setServer(QStringLiteral("127.0.0.1"), server.port());
        client.start();
        return true;
    }

    static bool hasUntagged(const QList<Session::Event> &events, auto predicate)
    {
        return std::any_of(events.cbegin(), events.cend(),
                           [&](const Session::Event &e) { return e.kind == Kind::Untagged && predicate(e.response); });
    }

    // Waits for the command with `tag` to finish; its result (ConnectionClosed when it never did).
    static Session::Result finishedResult(const QList<Session::Event> &events, const QByteArray &tag)
    {
        std::optional<Session::Result> result;
        const bool finished = QTest::qWaitFor([&] {
            for (const Session::Event &e : events) {
                if (e.kind == Kind::CommandFinished && e.result.tag == tag)
                    result = e.result;
            }
            return result.has_value();
        }, 20000);
        if (!finished || !result)
            result = Session::Result{tag, {}, Session::Error::ConnectionClosed, {}, {}};
        return *result;
    }

    template<typename T> static QList<T> untaggedSince(const QList<Session::Event> &events, qsizetype from)
    {
        QList<T> out;
        for (qsizetype i = from; i < events.size(); ++i) {
            if (const T *data = events[i].kind == Kind::Untagged ? events[i].response.get<T>() : nullptr)
                out.append(*data);
        }
        return out;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void preauthOnCleartextDisconnects()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::StartTls));
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "preauth-cleartext.script", false));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::PreauthWithoutTls);
        QCOMPARE(loggedIn.size(), 0);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(server.clientLines(), QList<QByteArray>{"A0 LOGOUT"}); // T3: nothing but LOGOUT
    }

    void startTlsStrippedStopsBeforeLogin()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::StartTls));
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "starttls-missing.script", false));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::TlsUnavailable);
        QVERIFY(!client.isLoggedIn());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(server.clientLines(), QList<QByteArray>{"A1 CAPABILITY"}); // T1: no LOGIN, no AUTHENTICATE
    }

    void startTlsInjectionIsDiscarded()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::StartTls));
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QList<tern::protocols::TraceEntry> trace;
        client.setTraceSink([&](const tern::protocols::TraceEntry &e) { trace.append(e); });
        QVERIFY(startScript(server, client, "starttls-injection.script", false));
        QVERIFY(loggedIn.wait(20000));
        bool sawRedactedAuth = false;
        for (const auto &e : std::as_const(trace)) {
            QVERIFY2(!e.text.contains("injected") && !e.text.contains("AUTH=LOGIN"), e.text.constData());
            QVERIFY(!e.text.contains("AHUAcA==")); // the PLAIN response stays out of the trace
            sawRedactedAuth = sawRedactedAuth
                || (e.direction == tern::protocols::TraceEntry::Direction::Sent && e.text == "A3 AUTHENTICATE PLAIN ***");
        }
        QVERIFY(sawRedactedAuth);
        QVERIFY(client.tlsSession().encrypted);
        // The injected list offered only AUTH=LOGIN; the capabilities read over TLS offer PLAIN.
        QCOMPARE(client.mechanism(), std::optional(tern::sasl::Mechanism::Plain));
        QVERIFY(client.session().hasCapability("IDLE"));
        client.logout();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::None);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void fourGigabyteLiteralFailsCleanly()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QList<Session::Event> events;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "literal-4gib.script", true));
        QVERIFY(loggedIn.wait(20000));
        const QByteArray tag = client.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"UID", "BODY.PEEK[]"}));
        QVERIFY(!tag.isEmpty());
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::ProtocolError);
        QCOMPARE(client.lastResult().tag, tag);
        QCOMPARE(client.lastResult().error, Session::Error::ProtocolError);
        QVERIFY(!hasUntagged(events, [](const Response &r) { return r.get<FetchData>() != nullptr; }));
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void serverClosingMidLiteral()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QList<Session::Event> events;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "close-mid-literal.script", true));
        QVERIFY(loggedIn.wait(20000));
        const QByteArray tag = client.send(cmd::uidFetch({{1, SequenceSet::Star}}, {"UID", "BODY.PEEK[]"}));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::ConnectionClosed);
        QCOMPARE(client.lastResult().tag, tag);
        QCOMPARE(client.lastResult().error, Session::Error::ConnectionClosed);
        QVERIFY(!hasUntagged(events, [](const Response &r) { return r.get<FetchData>() != nullptr; }));
        QVERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void idleDeliversExistsAndExpunge()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QList<Session::Event> events;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "idle-pushes.script", true));
        QVERIFY(loggedIn.wait(20000));
        client.select("INBOX");
        QTRY_VERIFY(client.session().state() == Session::State::Selected);
        QCOMPARE(client.session().mailbox().exists, 3u);
        QCOMPARE(client.session().mailbox().uidValidity, 1700000000u);
        events.clear();
        client.idle();
        QTRY_VERIFY(hasUntagged(events, [](const Response &r) { return r.get<ExistsData>() && r.get<ExistsData>()->count == 4; }));
        QTRY_VERIFY(hasUntagged(events, [](const Response &r) { return r.get<ExpungeData>() && r.get<ExpungeData>()->sequence == 2; }));
        QTRY_VERIFY(hasUntagged(events, [](const Response &r) {
            const FetchData *f = r.get<FetchData>();
            return f && f->flags && f->flags->contains("\\Seen");
        }));
        QCOMPARE(client.session().state(), Session::State::Idle);
        client.stopIdle();
        QTRY_VERIFY(client.session().state() == Session::State::Selected);
        client.logout();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::None);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    // SECURITY.md L3 at the protocol level: a second session reports the new UIDVALIDITY the server gave,
    // even though the client asked to resynchronise against the old one.
    void uidValidityChangeBetweenSessions()
    {
        quint32 first = 0;
        {
            FakeServer server;
            ImapClient client(config(ImapClient::Security::ImplicitTls));
            QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
            QSignalSpy finished(&client, &ImapClient::finished);
            QVERIFY(startScript(server, client, "uidvalidity-first.script", true));
            QVERIFY(loggedIn.wait(20000));
            client.enable({"QRESYNC"});
            client.select("INBOX");
            QTRY_VERIFY(client.session().state() == Session::State::Selected);
            first = client.session().mailbox().uidValidity;
            QCOMPARE(first, 100u);
            QCOMPARE(client.session().mailbox().highestModSeq, 50u);
            client.logout();
            QVERIFY(finished.wait(20000));
            QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        }
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QList<Session::Event> events;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "uidvalidity-second.script", true));
        QVERIFY(loggedIn.wait(20000));
        client.enable({"QRESYNC"});
        QTRY_VERIFY(client.session().isEnabled("QRESYNC"));
        cmd::QresyncParams params;
        params.uidValidity = first;
        params.modseq = 50;
        params.knownUids = SequenceSet{{1, 3}};
        client.select("INBOX", false, params);
        QTRY_VERIFY(client.session().state() == Session::State::Selected);
        QCOMPARE(client.session().mailbox().uidValidity, 200u);
        QCOMPARE(client.session().mailbox().exists, 2u);
        QVERIFY(!hasUntagged(events, [](const Response &r) { return r.get<VanishedData>() || r.get<FetchData>(); }));
        client.logout();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::None);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void scramWrongServerSignatureAborts()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "scram-bad-signature.script", true));
        QVERIFY(finished.wait(20000));
        QCOMPARE(loggedIn.size(), 0);
        QCOMPARE(client.mechanism(), std::optional(tern::sasl::Mechanism::ScramSha256));
        QCOMPARE(client.error(), ImapClient::Error::Sasl);
        QCOMPARE(client.saslError(), tern::sasl::Error::ServerSignatureMismatch);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void startTlsRefusedStops()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::StartTls));
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "starttls-refused.script", false));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::StartTlsRefused);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(server.clientLines(), QList<QByteArray>{"A1 STARTTLS"});
    }

    void noPasswordInClearWithoutExplicitAllowance()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::Cleartext));
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "cleartext-plain-only.script", false));
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::NoMechanism);
        QVERIFY(!client.isLoggedIn());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(server.clientLines(), QList<QByteArray>{"A1 LOGOUT"});
    }

    void alertBeforeTlsIsUntrusted()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::StartTls));
        QList<Session::Event> alerts;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) {
            if (e.kind == Kind::Alert)
                alerts.append(e);
        });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "alert-before-tls.script", false));
        QVERIFY(loggedIn.wait(20000));
        QCOMPARE(alerts.size(), 2);
        QVERIFY(alerts[0].response.status.text.contains("phish.example"));
        QVERIFY(!alerts[0].trusted); // T4: never shown as the authenticated server's word
        QVERIFY(alerts[1].response.status.text.contains("Maintenance"));
        QVERIFY(alerts[1].trusted);
        client.logout();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::None);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    // RFC 9051: the normal operations against an IMAP4rev2 server, with rev2's differences from rev1.
    void imap4rev2Server()
    {
        FakeServer server;
        ImapClient client(config(ImapClient::Security::ImplicitTls));
        QList<Session::Event> events;
        connect(&client, &ImapClient::sessionEvent, this, [&](const Session::Event &e) { events.append(e); });
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "imap4rev2.script", true));
        QVERIFY(loggedIn.wait(20000));
        Session &session = client.session();
        QVERIFY(session.hasCapability("IMAP4REV2"));
        QCOMPARE(finishedResult(events, client.enable({"IMAP4rev2"})).error, Session::Error::None);
        QVERIFY(session.isEnabled("IMAP4REV2"));
        QVERIFY(session.hasUtf8Names()); // §5.1

        cmd::ListOptions subscribed;
        subscribed.subscribedOnly = true;
        subscribed.recursiveMatch = true;
        qsizetype from = events.size();
        QCOMPARE(finishedResult(events, client.send(cmd::list("", "%", session.encodeOptions(), subscribed))).error,
                 Session::Error::None);
        const QList<ListData> listed = untaggedSince<ListData>(events, from);
        QCOMPARE(listed.size(), 3);
        QVERIFY(listed[1].hasFlag("\\NonExistent"));
        QCOMPARE(listed[1].childInfo, QList<QByteArray>{"SUBSCRIBED"});
        QCOMPARE(listed[2].name, QStringLiteral("Entw\u00FCrfe")); // UTF-8 on the wire, not modified UTF-7
        QVERIFY(listed[2].hasFlag("\\Drafts"));

        from = events.size();
        QCOMPARE(finishedResult(events, client.select(listed[2].rawName)).error, Session::Error::None);
        QCOMPARE(session.state(), Session::State::Selected);
        QCOMPARE(session.mailbox().exists, 2u);
        QCOMPARE(session.mailbox().recent, 0u); // §7.4: no RECENT in rev2
        QCOMPARE(session.mailbox().uidValidity, 3857529045u);
        QCOMPARE(session.mailbox().uidNext, 103u);
        QCOMPARE(untaggedSince<ListData>(events, from).size(), 1); // §6.3.2: SELECT reports the name it opened

        from = events.size();
        QCOMPARE(finishedResult(events, client.send(cmd::uidFetch({{1, SequenceSet::Star}},
                                                                  {"UID", "FLAGS", "RFC822.SIZE", "ENVELOPE"}))).error,
                 Session::Error::None);
        const QList<FetchData> fetched = untaggedSince<FetchData>(events, from);
        QCOMPARE(fetched.size(), 2);
        QCOMPARE(fetched[0].uid, std::optional<quint32>(101));
        QCOMPARE(fetched[0].envelope->subject, QByteArray("IMAP4rev2 WG mtg summary and minutes"));
        QCOMPARE(fetched[0].envelope->cc.size(), 2);
        QCOMPARE(fetched[1].size, std::optional<qint64>(44827));
        QCOMPARE(fetched[1].envelope->subject, QByteArray("Gr\xc3\xbc\xc3\x9f" "e"));

        from = events.size();
        const QByteArray storeTag = client.send(cmd::uidStore({{102, 102}}, cmd::StoreMode::Add, {"\\Flagged"}, false));
        QCOMPARE(finishedResult(events, storeTag).error, Session::Error::None);
        const QList<FetchData> stored = untaggedSince<FetchData>(events, from);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored[0].uid, std::optional<quint32>(102));
        QCOMPARE(*stored[0].flags, QList<QByteArray>{"\\Flagged"});

        from = events.size();
        const QByteArray searchTag = client.send(cmd::uidSearch({{"UNSEEN", {}}}, session.encodeOptions()));
        QCOMPARE(finishedResult(events, searchTag).error, Session::Error::None);
        const QList<ESearchData> found = untaggedSince<ESearchData>(events, from); // §6.4.4: ESEARCH, not SEARCH
        QCOMPARE(found.size(), 1);
        QCOMPARE(found[0].tag, searchTag);
        QVERIFY(found[0].uid);
        QCOMPARE(found[0].all.toList(), QList<quint32>{102});

        from = events.size();
        const QByteArray statusTag = client.send(cmd::status("INBOX", {"MESSAGES", "DELETED", "SIZE"}, session.encodeOptions()));
        QCOMPARE(finishedResult(events, statusTag).error, Session::Error::None);
        const QList<StatusData> status = untaggedSince<StatusData>(events, from);
        QCOMPARE(status.size(), 1);
        QCOMPARE(status[0].messages, std::optional<quint32>(17));
        QCOMPARE(status[0].deleted, std::optional<quint32>(2));
        QCOMPARE(status[0].size, std::optional<quint64>(1203041));

        from = events.size();
        const QByteArray moveTag = client.send(cmd::uidMove({{102, 102}}, "INBOX", session.encodeOptions()));
        QCOMPARE(finishedResult(events, moveTag).error, Session::Error::None);
        const bool copyUid = std::any_of(events.cbegin() + from, events.cend(), [](const Session::Event &e) {
            return e.kind == Kind::Untagged && e.response.status.code.kind == ResponseCode::Kind::CopyUid
                && e.response.status.code.destination.toList() == QList<quint32>{18};
        });
        QVERIFY(copyUid);
        QCOMPARE(untaggedSince<ExpungeData>(events, from).size(), 1);
        QCOMPARE(session.mailbox().exists, 1u);

        const QByteArray deleteTag = client.send(cmd::uidStore({{101, 101}}, cmd::StoreMode::Add, {"\\Deleted"}));
        QCOMPARE(finishedResult(events, deleteTag).error, Session::Error::None);
        from = events.size();
        QCOMPARE(finishedResult(events, client.send(cmd::uidExpunge({{101, 101}}))).error, Session::Error::None);
        QCOMPARE(untaggedSince<ExpungeData>(events, from).size(), 1);
        QCOMPARE(session.mailbox().exists, 0u);

        client.logout();
        QVERIFY(finished.wait(20000));
        QCOMPARE(client.error(), ImapClient::Error::None);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
    }

    void endlessLineIsBounded()
    {
        // Cleartext (the user's explicit choice): the fake server's flood is paced by bytesWritten(), which
        // stalls under its TLS socket; the line limit is the parser's either way.
        FakeServer server;
        ImapClient::Config c = config(ImapClient::Security::Cleartext);
        c.allowPlaintextPasswordOverCleartext = true;
        ImapClient client(c);
        QSignalSpy loggedIn(&client, &ImapClient::loggedIn);
        QSignalSpy finished(&client, &ImapClient::finished);
        QVERIFY(startScript(server, client, "endless-line.script", false));
        QVERIFY(loggedIn.wait(20000));
        const QByteArray tag = client.send(cmd::noop());
        QVERIFY(finished.wait(60000));
        QCOMPARE(client.error(), ImapClient::Error::Session);
        QCOMPARE(client.sessionError(), Session::Error::ProtocolError);
        QCOMPARE(client.lastResult().tag, tag);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QVERIFY(server.floodedBytes() < 100 * 1024 * 1024); // it stopped reading: the server never got rid of it all
    }
};

QTEST_GUILESS_MAIN(TestImapFaults)
#include "tst_imap_faults.moc"
