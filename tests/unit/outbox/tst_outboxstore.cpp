// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox state machine over a real store: every transition from the states it allows and none other,
// crash recovery (sending -> queued, data-sent -> delivery-uncertain), due times, the user's decisions, and
// the retry schedule.
#include "outbox/outboxsender.h"
#include "outbox/outboxstore.h"
#include "store/schema.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern::outbox;

namespace {

OutboxItem sample(const QString &account = QStringLiteral("acct"), const QByteArray &id = "<1@test>")
{
    OutboxItem item;
    item.account = account;
    item.messageId = id;
    item.raw = "Message-ID: " + id + "\r\nSubject: x\r\n\r\nhi\r\n";
    item.envelope.from = QStringLiteral("a@test");
    item.envelope.to = {QStringLiteral("B <b@test>")};
    item.envelope.bcc = {QStringLiteral("hidden@test")};
    item.envelope.rcpt = {QStringLiteral("b@test"), QStringLiteral("hidden@test")};
    item.envelope.subject = QStringLiteral("x");
    return item;
}

} // namespace

class TestOutboxStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<tern::store::Store> m_store;
    std::unique_ptr<OutboxStore> m_outbox;

    State stateOf(qint64 id) { return m_outbox->item(id).value().state; }

    // A message brought to `state` through the transitions a run makes.
    qint64 messageIn(State state)
    {
        const qint64 id = m_outbox->enqueue(sample(), 100);
        if (state == State::Queued)
            return id;
        m_outbox->markSending(id, 101);
        if (state == State::Sending)
            return id;
        if (state == State::FailedTemporary) {
            m_outbox->markFailedTemporary(id, QStringLiteral("451 later"), 500, 102);
            return id;
        }
        if (state == State::FailedPermanent) {
            m_outbox->markFailedPermanent(id, QStringLiteral("550 no"), 102);
            return id;
        }
        m_outbox->markDataSent(id, 102);
        if (state == State::Sent)
            m_outbox->markSent(id, Receipt{QStringLiteral("h:1"), QStringLiteral("250 ok"), QStringLiteral("TLSv1.3")}, {}, 103);
        else if (state == State::DeliveryUncertain)
            m_outbox->markUncertain(id, QStringLiteral("lost"), 103);
        return id;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_outbox.reset();
        m_store = std::make_unique<tern::store::Store>();
        QVERIFY2(m_store->open(m_dir.filePath(QStringLiteral("%1.sqlite").arg(QString::fromLatin1(QTest::currentTestFunction())))),
                 qPrintable(m_store->error()));
        m_outbox = std::make_unique<OutboxStore>(m_store->database());
    }

    void enqueueKeepsEverything()
    {
        const OutboxItem in = sample();
        const qint64 id = m_outbox->enqueue(in, 1000);
        QVERIFY(id > 0);
        const OutboxItem out = m_outbox->item(id).value();
        QCOMPARE(out.state, State::Queued);
        QCOMPARE(out.account, in.account);
        QCOMPARE(out.messageId, in.messageId);
        QCOMPARE(out.raw, in.raw);
        QCOMPARE(out.envelope.to, in.envelope.to);
        QCOMPARE(out.envelope.bcc, in.envelope.bcc);
        QCOMPARE(out.envelope.rcpt, in.envelope.rcpt);
        QCOMPARE(out.envelope.subject, in.envelope.subject);
        QCOMPARE(out.attempts, 0);
        QCOMPARE(out.sentCopy, SentCopyState::None);
        QCOMPARE(out.created, qint64(1000));
        QCOMPARE(m_outbox->items(QStringLiteral("acct")).size(), 1);
        QVERIFY(m_outbox->items(QStringLiteral("other")).isEmpty());
    }

    void sendingToSent()
    {
        const qint64 id = m_outbox->enqueue(sample(), 100);
        QVERIFY(m_outbox->markSending(id, 101));
        QCOMPARE(stateOf(id), State::Sending);
        QCOMPARE(m_outbox->item(id)->attempts, 1);
        QVERIFY(m_outbox->markDataSent(id, 102));
        QCOMPARE(stateOf(id), State::DataSent);
        const Receipt receipt{QStringLiteral("mx:465"), QStringLiteral("250 2.0.0 queued as X"), QStringLiteral("TLSv1.3 AES")};
        QVERIFY(m_outbox->markSent(id, receipt, {}, 103));
        const OutboxItem sent = m_outbox->item(id).value();
        QCOMPARE(sent.state, State::Sent);
        QCOMPARE(sent.receipt.server, receipt.server);
        QCOMPARE(sent.receipt.reply, receipt.reply);
        QCOMPARE(sent.receipt.tls, receipt.tls);
        QCOMPARE(sent.sentCopy, SentCopyState::Pending);
        QCOMPARE(m_outbox->pendingCopies(QStringLiteral("acct")), QList<qint64>{id});
        QVERIFY(m_outbox->setSentCopy(id, SentCopyState::Done, {}, 104));
        QVERIFY(m_outbox->pendingCopies(QStringLiteral("acct")).isEmpty());
    }

    void transitionsOnlyFromAllowedStates_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<QByteArray>("transition");
        QTest::addColumn<bool>("allowed");
        const QList<std::pair<State, QList<QByteArray>>> allowed{
            {State::Queued, {"sending", "discard"}},
            {State::Sending, {"data-sent", "failed-temporary", "failed-permanent"}},
            {State::DataSent, {"sent", "failed-temporary", "failed-permanent", "uncertain"}},
            {State::Sent, {"copy", "discard"}},
            {State::FailedTemporary, {"sending", "requeue", "discard"}},
            {State::FailedPermanent, {"requeue", "discard"}},
            {State::DeliveryUncertain, {"requeue", "sent-by-user", "discard"}},
        };
        const QList<QByteArray> all{"sending", "data-sent", "sent", "failed-temporary", "failed-permanent", "uncertain",
                              "requeue", "sent-by-user", "discard", "copy"};
        for (const auto &[from, ok] : allowed) {
            for (const QByteArray &t : all)
                QTest::addRow("%s %s", qPrintable(stateName(from)), t.constData()) << int(from) << t << ok.contains(t);
        }
    }

    void transitionsOnlyFromAllowedStates()
    {
        QFETCH(int, from);
        QFETCH(QByteArray, transition);
        QFETCH(bool, allowed);
        const qint64 id = messageIn(State(from));
        QCOMPARE(stateOf(id), State(from));
        const Receipt r{QStringLiteral("h:1"), QStringLiteral("250 ok"), {}};
        bool done = false;
        if (transition == "sending") done = m_outbox->markSending(id, 200);
        else if (transition == "data-sent") done = m_outbox->markDataSent(id, 200);
        else if (transition == "sent") done = m_outbox->markSent(id, r, {}, 200);
        else if (transition == "failed-temporary") done = m_outbox->markFailedTemporary(id, QStringLiteral("e"), 300, 200);
        else if (transition == "failed-permanent") done = m_outbox->markFailedPermanent(id, QStringLiteral("e"), 200);
        else if (transition == "uncertain") done = m_outbox->markUncertain(id, QStringLiteral("e"), 200);
        else if (transition == "requeue") done = m_outbox->requeue(id, 200);
        else if (transition == "sent-by-user") done = m_outbox->markSentByUser(id, 200);
        else if (transition == "discard") done = m_outbox->discard(id);
        else if (transition == "copy") done = m_outbox->setSentCopy(id, SentCopyState::Done, {}, 200);
        QCOMPARE(done, allowed);
        if (!allowed) // a refused transition changes nothing
            QCOMPARE(stateOf(id), State(from));
    }

    void recoveryAfterCrash()
    {
        const qint64 queued = messageIn(State::Queued);
        const qint64 sending = messageIn(State::Sending);
        const qint64 dataSent = messageIn(State::DataSent);
        const qint64 sent = messageIn(State::Sent);
        const qint64 uncertain = messageIn(State::DeliveryUncertain);
        const qint64 temporary = messageIn(State::FailedTemporary);

        QCOMPARE(m_outbox->recover(1000), 2);
        QCOMPARE(stateOf(queued), State::Queued);
        QCOMPARE(stateOf(sending), State::Queued);       // nothing of it was on the wire: send it
        QCOMPARE(stateOf(dataSent), State::DeliveryUncertain); // it may have arrived: the user decides
        QVERIFY(!m_outbox->item(dataSent)->error.isEmpty());
        QCOMPARE(stateOf(sent), State::Sent);
        QCOMPARE(stateOf(uncertain), State::DeliveryUncertain);
        QCOMPARE(stateOf(temporary), State::FailedTemporary);
        // Recovery is idempotent.
        QCOMPARE(m_outbox->recover(1001), 0);
        // A run sends the queued ones and the due retry, never the uncertain ones.
        QCOMPARE(m_outbox->due(QStringLiteral("acct"), 1000), (QList<qint64>{queued, sending, temporary}));
    }

    void dueWaitsForNextAttempt()
    {
        const qint64 id = messageIn(State::FailedTemporary); // next attempt at 500
        QVERIFY(m_outbox->due(QStringLiteral("acct"), 499).isEmpty());
        QCOMPARE(m_outbox->due(QStringLiteral("acct"), 500), QList<qint64>{id});
        QCOMPARE(m_outbox->item(id)->nextAttempt, qint64(500));
        QCOMPARE(m_outbox->item(id)->error, QStringLiteral("451 later"));
    }

    void sendAgainKeepsMessageAndId()
    {
        const qint64 id = messageIn(State::DeliveryUncertain);
        const OutboxItem before = m_outbox->item(id).value();
        QVERIFY(m_outbox->requeue(id, 300));
        const OutboxItem after = m_outbox->item(id).value();
        QCOMPARE(after.state, State::Queued);
        QCOMPARE(after.messageId, before.messageId);
        QCOMPARE(after.raw, before.raw);
        QCOMPARE(after.attempts, before.attempts);
        QVERIFY(after.error.isEmpty());
        QCOMPARE(m_outbox->due(QStringLiteral("acct"), 300), QList<qint64>{id});
    }

    void markSentByUserMakesTheSentCopy()
    {
        const qint64 id = messageIn(State::DeliveryUncertain);
        QVERIFY(m_outbox->markSentByUser(id, 300));
        QCOMPARE(stateOf(id), State::Sent);
        QCOMPARE(m_outbox->item(id)->sentCopy, SentCopyState::Pending);
        QVERIFY(!m_outbox->item(id)->receipt.reply.isEmpty());
    }

    void discardRemoves()
    {
        const qint64 id = messageIn(State::FailedPermanent);
        QVERIFY(m_outbox->discard(id));
        QVERIFY(!m_outbox->item(id));
        QVERIFY(m_outbox->items(QStringLiteral("acct")).isEmpty());
    }

    void retrySchedule_data()
    {
        QTest::addColumn<int>("attempts");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("first") << 1 << qint64(60);
        QTest::newRow("second") << 2 << qint64(120);
        QTest::newRow("third") << 3 << qint64(240);
        QTest::newRow("ninth") << 9 << qint64(60 * 256);
        QTest::newRow("capped") << 10 << qint64(6 * 3600);
        QTest::newRow("far") << 1000 << qint64(6 * 3600);
    }

    void retrySchedule()
    {
        QFETCH(int, attempts);
        QFETCH(qint64, delay);
        QCOMPARE(OutboxSender::retryDelay(attempts), delay);
    }

    void stateNamesRoundTrip()
    {
        for (State s : {State::Queued, State::Sending, State::DataSent, State::Sent, State::FailedTemporary,
                        State::FailedPermanent, State::DeliveryUncertain})
            QCOMPARE(stateFromName(stateName(s)), std::optional(s));
        QCOMPARE(stateFromName(QStringLiteral("bogus")), std::nullopt);
    }

    void upgradeKeepsQueuedMessages()
    {
        // A message queued by a Tern whose outbox had no message_id/sent_copy_error columns (schema 2).
        const QString path = m_dir.filePath(QStringLiteral("upgrade.sqlite"));
        {
            tern::store::Store old;
            QVERIFY(old.open(path));
            OutboxStore queue(old.database());
            QVERIFY(queue.enqueue(sample(), 100) > 0);
            QVERIFY(old.database().exec("DROP INDEX outbox_account_state"));
            QVERIFY(old.database().exec("ALTER TABLE outbox DROP COLUMN message_id"));
            QVERIFY(old.database().exec("ALTER TABLE outbox DROP COLUMN sent_copy_error"));
            QVERIFY(old.database().exec("PRAGMA user_version = 2"));
        }
        tern::store::Store upgraded;
        QVERIFY2(upgraded.open(path), qPrintable(upgraded.error()));
        OutboxStore queue(upgraded.database());
        const QList<OutboxItem> items = queue.items(QStringLiteral("acct"));
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().state, State::Queued);
        QCOMPARE(items.first().raw, sample().raw);
        QVERIFY(items.first().messageId.isEmpty()); // unknown then; the Sent copy then skips the search
        QVERIFY(upgraded.integrityCheck());
    }
};

QTEST_GUILESS_MAIN(TestOutboxStore)
#include "tst_outboxstore.moc"
