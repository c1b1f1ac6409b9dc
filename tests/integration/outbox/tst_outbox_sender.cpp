// SPDX-License-Identifier: GPL-3.0-or-later
// OutboxSender against scripted SMTP servers (tests/data/scripts/smtp/outbox-*.script) over implicit TLS:
// what each server answer makes of the message's state, the receipt, the retry schedule, and that a
// delivery-uncertain message is never submitted again by a later run (SECURITY.md L1).
#include "fakeserver.h"
#include "labenv.h"

#include "outbox/outboxsender.h"
#include "outbox/outboxstore.h"
#include "outbox/sentcopier.h"
#include "store/store.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using namespace tern::outbox;
using tern::test::FakeServer;
using tern::test::LabEnv;

class TestOutboxSender : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;
    QTemporaryDir m_dir;
    std::unique_ptr<tern::store::Store> m_store;
    std::unique_ptr<OutboxStore> m_outbox;
    qint64 m_now = 1'000'000;

    tern::accounts::Account account(quint16 port) const
    {
        tern::accounts::Account a;
        a.name = QStringLiteral("acct");
        a.identities.append({QStringLiteral("A"), QStringLiteral("a@test"), {}});
        a.incomingProtocol = tern::accounts::IncomingProtocol::Pop3;
        a.smtp.host = m_lab.host();
        a.smtp.port = port;
        a.smtp.security = tern::accounts::Security::Tls;
        a.smtp.user = QStringLiteral("u");
        a.caFile = m_lab.caFile();
        return a;
    }

    qint64 enqueue(const QStringList &rcpt = {QStringLiteral("b@test")})
    {
        OutboxItem item;
        item.account = QStringLiteral("acct");
        item.messageId = "<m1@test>";
        item.raw = "Subject: x\r\n\r\nhi\r\n";
        item.envelope.from = QStringLiteral("a@test");
        item.envelope.to = rcpt;
        item.envelope.rcpt = rcpt;
        item.envelope.subject = QStringLiteral("x");
        return m_outbox->enqueue(item, m_now);
    }

    bool startServer(FakeServer &server, const char *script)
    {
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/smtp/") + QLatin1String(script);
        if (!server.loadScript(path) || !server.useLabCertificate(m_lab) || !server.start()) {
            qWarning() << "fake server:" << server.failure();
            return false;
        }
        server.setImplicitTls(true);
        return true;
    }

    // One run of the sender against the server; returns its outcomes.
    QList<OutboxSender::Outcome> runSender(quint16 port, int timeoutMs = 20000)
    {
        OutboxSender sender(account(port), "p", m_store.get());
        sender.setClock([this] { return m_now; });
        sender.setTimeout(timeoutMs);
        QSignalSpy finished(&sender, &OutboxSender::finished);
        sender.start();
        if (!finished.wait(30000))
            qWarning("sender did not finish");
        if (!sender.storeError().isEmpty())
            qWarning() << "store:" << sender.storeError();
        return sender.outcomes();
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void init()
    {
        m_outbox.reset();
        m_store = std::make_unique<tern::store::Store>();
        QVERIFY(m_store->open(m_dir.filePath(QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())))));
        m_outbox = std::make_unique<OutboxStore>(m_store->database());
    }

    void acceptedWithReceipt()
    {
        const qint64 id = enqueue();
        FakeServer server;
        QVERIFY(startServer(server, "outbox-accepted.script"));
        const auto outcomes = runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(outcomes.size(), 1);
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::Sent);
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.receipt.server, QStringLiteral("%1:%2").arg(m_lab.host()).arg(server.port()));
        QCOMPARE(item.receipt.reply, QStringLiteral("250 2.0.0 Ok: queued as 4ABC123"));
        QVERIFY2(item.receipt.tls.startsWith(QLatin1String("TLSv1.")), qPrintable(item.receipt.tls));
        QVERIFY(item.receipt.tls.contains(QLatin1Char(' '))); // version and cipher
        QCOMPARE(item.sentCopy, SentCopyState::Pending);
        QVERIFY(item.error.isEmpty());
    }

    void temporaryFailureBacksOff()
    {
        const qint64 id = enqueue();
        FakeServer first;
        QVERIFY(startServer(first, "outbox-tempfail.script"));
        runSender(first.port());
        QTRY_VERIFY2(first.isScriptDone(), qPrintable(first.failure()));
        OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::FailedTemporary);
        QCOMPARE(item.attempts, 1);
        QCOMPARE(item.nextAttempt, m_now + 60);
        QVERIFY2(item.error.contains(QLatin1String("451 4.3.0 Temporary local problem")), qPrintable(item.error));

        // Before the next attempt is due, a run does not even connect.
        m_now += 59;
        FakeServer early;
        QVERIFY(startServer(early, "outbox-tempfail.script"));
        QVERIFY(runSender(early.port()).isEmpty());
        QVERIFY(early.clientLines().isEmpty());

        // When it is due, it is tried again; a second failure doubles the wait.
        m_now += 1;
        FakeServer second;
        QVERIFY(startServer(second, "outbox-tempfail.script"));
        QCOMPARE(runSender(second.port()).size(), 1);
        QTRY_VERIFY2(second.isScriptDone(), qPrintable(second.failure()));
        item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::FailedTemporary);
        QCOMPARE(item.attempts, 2);
        QCOMPARE(item.nextAttempt, m_now + 120);
    }

    void serviceClosingIsTemporary()
    {
        const qint64 id = enqueue();
        FakeServer server;
        QVERIFY(startServer(server, "outbox-service-closing.script"));
        runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::FailedTemporary);
        QVERIFY2(item.error.contains(QLatin1String("421 4.3.2 Service shutting down")), qPrintable(item.error));
    }

    void refusedRecipientIsPermanentWithReason()
    {
        const qint64 id = enqueue();
        FakeServer server;
        QVERIFY(startServer(server, "outbox-rcpt-refused.script"));
        runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::FailedPermanent);
        QCOMPARE(item.error, QStringLiteral("recipients refused: b@test: 550 5.1.1 <b@test>: Recipient address "
                                            "rejected: User unknown"));
        QVERIFY(m_outbox->due(QStringLiteral("acct"), m_now + 100000).isEmpty()); // never retried on its own
    }

    void oneRefusedRecipientOfTwo()
    {
        const qint64 id = enqueue({QStringLiteral("b@test"), QStringLiteral("c@test")});
        FakeServer server;
        QVERIFY(startServer(server, "outbox-one-rcpt-refused.script"));
        runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::Sent);
        QCOMPARE(item.receipt.reply, QStringLiteral("250 2.0.0 Ok: queued as 4DEF456"));
        QVERIFY2(item.error.contains(QLatin1String("c@test: 550 5.1.1")), qPrintable(item.error));
        QVERIFY(!item.error.contains(QLatin1String("b@test")));
    }

    // RFC 5321 §4.2.5: a 4xx for one recipient means "not now" for that recipient only. The others have the
    // message; that one gets the same message (same bytes, same Message-ID) on a later run of its own, and
    // the permanently refused one is not tried again.
    void recipientToldToTryLaterGetsItAlone()
    {
        const qint64 id = enqueue({QStringLiteral("b@test"), QStringLiteral("c@test"), QStringLiteral("d@test")});
        FakeServer server;
        QVERIFY(startServer(server, "outbox-one-rcpt-later.script"));
        runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        const QList<OutboxItem> items = m_outbox->items(QStringLiteral("acct"));
        QCOMPARE(items.size(), 2);
        const OutboxItem sent = items[0];
        QCOMPARE(sent.id, id);
        QCOMPARE(sent.state, State::Sent);
        QCOMPARE(sent.sentCopy, SentCopyState::Pending); // one Sent copy, made for this item only
        QVERIFY2(sent.error.contains(QLatin1String("d@test: 450 4.2.0")), qPrintable(sent.error));
        const OutboxItem retry = items[1];
        QCOMPARE(retry.state, State::FailedTemporary);
        QCOMPARE(retry.envelope.rcpt, QStringList{QStringLiteral("d@test")});
        QCOMPARE(retry.envelope.to, QStringList{QStringLiteral("d@test")});
        QCOMPARE(retry.messageId, sent.messageId);
        QCOMPARE(retry.raw, sent.raw);
        QCOMPARE(retry.nextAttempt, m_now + 60);
        QCOMPARE(retry.sentCopy, SentCopyState::Done);
        QVERIFY2(retry.error.startsWith(QLatin1String("d@test: the server said to try later")), qPrintable(retry.error));

        m_now += 60;
        FakeServer later;
        QVERIFY(startServer(later, "outbox-later-rcpt-retried.script"));
        QCOMPARE(runSender(later.port()).size(), 1);
        QTRY_VERIFY2(later.isScriptDone(), qPrintable(later.failure()));
        const OutboxItem done = m_outbox->item(retry.id).value();
        QCOMPARE(done.state, State::Sent);
        QCOMPARE(done.receipt.reply, QStringLiteral("250 2.0.0 Ok: queued as 4GHI789"));
        QCOMPARE(done.sentCopy, SentCopyState::Done); // no second copy in Sent
        QCOMPARE(m_outbox->item(id)->state, State::Sent);
    }

    void dropAfterTerminatorIsUncertainAndNeverResent()
    {
        const qint64 id = enqueue();
        FakeServer server;
        QVERIFY(startServer(server, "outbox-drop-after-data.script"));
        runSender(server.port());
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::DeliveryUncertain);
        QVERIFY2(item.error.contains(QLatin1String("may or may not have been delivered")), qPrintable(item.error));

        // A later run, even much later, leaves it alone: no connection at all.
        m_now += 7 * 24 * 3600;
        FakeServer later;
        QVERIFY(startServer(later, "outbox-accepted.script"));
        QVERIFY(runSender(later.port()).isEmpty());
        QVERIFY(later.clientLines().isEmpty());
        item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::DeliveryUncertain);
        QCOMPARE(item.attempts, 1);

        // The user says "send again": the same bytes go out once more.
        QVERIFY(m_outbox->requeue(id, m_now));
        FakeServer again;
        QVERIFY(startServer(again, "outbox-accepted.script"));
        QCOMPARE(runSender(again.port()).size(), 1);
        QTRY_VERIFY2(again.isScriptDone(), qPrintable(again.failure()));
        QCOMPARE(m_outbox->item(id)->state, State::Sent);
        QCOMPARE(m_outbox->item(id)->messageId, QByteArray("<m1@test>"));
    }

    void silenceAfterTerminatorIsUncertain()
    {
        const qint64 id = enqueue();
        FakeServer server;
        QVERIFY(startServer(server, "outbox-silent-after-data.script"));
        runSender(server.port(), 500);
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::DeliveryUncertain);
        QVERIFY2(item.error.contains(QLatin1String("stopped answering")), qPrintable(item.error));
    }

    void sentCopy_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("copied");
        QTest::addColumn<QByteArray>("folder");
        QTest::newRow("creates Sent") << "sent-copy-create.script" << 1 << QByteArray("Sent");
        QTest::newRow("already there") << "sent-copy-present.script" << 1 << QByteArray("Gesendete Objekte");
    }

    void sentCopy()
    {
        QFETCH(QString, script);
        QFETCH(int, copied);
        QFETCH(QByteArray, folder);
        const qint64 id = enqueue();
        QVERIFY(m_outbox->markSending(id, m_now) && m_outbox->markDataSent(id, m_now)
                && m_outbox->markSent(id, Receipt{QStringLiteral("h:1"), QStringLiteral("250 ok"), {}}, {}, m_now));

        FakeServer server;
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/") + script;
        QVERIFY(server.loadScript(path) && server.useLabCertificate(m_lab) && server.start());
        server.setImplicitTls(true);
        tern::accounts::Account a = account(0);
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = tern::accounts::Server{m_lab.host(), server.port(), tern::accounts::Security::Tls, {}, QStringLiteral("u")};
        SentCopier copier(a, "p", m_store.get());
        QSignalSpy finished(&copier, &SentCopier::finished);
        copier.start();
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QVERIFY2(copier.errorString().isEmpty(), qPrintable(copier.errorString()));
        QCOMPARE(copier.copiedCount(), copied);
        QCOMPARE(copier.folder().toUtf8(), folder);
        QCOMPARE(m_outbox->item(id)->sentCopy, SentCopyState::Done);
        QCOMPARE(m_outbox->item(id)->state, State::Sent);
    }

    void untrustedCertificateIsTemporaryWithFingerprint()
    {
        const qint64 id = enqueue();
        FakeServer server;
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/smtp/outbox-accepted.script");
        QVERIFY(server.loadScript(path) && server.useLabCertificate(m_lab, false) && server.start());
        server.setImplicitTls(true);
        runSender(server.port());
        const OutboxItem item = m_outbox->item(id).value();
        QCOMPARE(item.state, State::FailedTemporary);
        const QString fp = QString::fromLatin1(
            server.certificate().digest(QCryptographicHash::Sha256).toHex(':'));
        QVERIFY2(item.error.startsWith(QLatin1String("TLS certificate not trusted: ")), qPrintable(item.error));
        QVERIFY2(item.error.contains(fp, Qt::CaseInsensitive), qPrintable(item.error));
    }
};

QTEST_GUILESS_MAIN(TestOutboxSender)
#include "tst_outbox_sender.moc"
