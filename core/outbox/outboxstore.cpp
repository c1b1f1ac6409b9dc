// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox's SQL. Each transition names in its WHERE clause the states it may start from.
#include "outbox/outboxstore.h"

#include "store/sqlite.h"

#include <QJsonDocument>

namespace tern::outbox {

using store::Statement;

namespace {

const char kColumns[] = "SELECT id, account, state, envelope, message_id, raw, attempts, next_attempt, receipt, "
                        "error, sent_copy_state, sent_copy_error, created, updated FROM outbox ";

QJsonObject parseObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QString serialize(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

OutboxItem readItem(const Statement &s)
{
    OutboxItem item;
    item.id = s.int64(0);
    item.account = s.text(1);
    // An unknown state (a newer Tern's) is shown as failed-permanent: never sent, never lost.
    item.state = stateFromName(s.text(2)).value_or(State::FailedPermanent);
    item.envelope = Envelope::fromJson(parseObject(s.text(3)));
    item.messageId = s.text(4).toLatin1();
    item.raw = s.blob(5);
    item.attempts = int(s.int64(6));
    item.nextAttempt = s.int64(7);
    const QString receipt = s.text(8);
    if (!receipt.isEmpty())
        item.receipt = Receipt::fromJson(parseObject(receipt));
    item.error = s.text(9);
    item.sentCopy = sentCopyStateFromName(s.text(10)).value_or(SentCopyState::None);
    item.sentCopyError = s.text(11);
    item.created = s.int64(12);
    item.updated = s.int64(13);
    return item;
}

QList<qint64> ids(Statement &s)
{
    QList<qint64> out;
    while (s.next())
        out.append(s.int64(0));
    return out;
}

} // namespace

qint64 OutboxStore::enqueue(const OutboxItem &item, qint64 now)
{
    Statement s = m_db.prepare("INSERT INTO outbox (account, state, envelope, message_id, raw, created, updated) "
                               "VALUES (?1, 'queued', ?2, ?3, ?4, ?5, ?5)");
    s.bind(1, item.account)
        .bind(2, serialize(item.envelope.toJson()))
        .bind(3, QString::fromLatin1(item.messageId))
        .bind(4, item.raw)
        .bind(5, now);
    if (!s.run()) {
        m_error = m_db.error();
        return 0;
    }
    return m_db.lastInsertRowId();
}

std::optional<OutboxItem> OutboxStore::item(qint64 id)
{
    Statement s = m_db.prepare(QByteArray(QByteArray(kColumns) + "WHERE id = ?1"));
    s.bind(1, id);
    if (!s.next()) {
        m_error = s.isDone() ? QStringLiteral("no outbox message %1").arg(id) : m_db.error();
        return std::nullopt;
    }
    return readItem(s);
}

QList<OutboxItem> OutboxStore::items(const QString &account)
{
    Statement s = m_db.prepare(QByteArray(QByteArray(kColumns) + "WHERE account = ?1 ORDER BY id"));
    s.bind(1, account);
    QList<OutboxItem> out;
    while (s.next())
        out.append(readItem(s));
    return out;
}

QList<qint64> OutboxStore::due(const QString &account, qint64 now)
{
    Statement s = m_db.prepare("SELECT id FROM outbox WHERE account = ?1 AND (state = 'queued' OR "
                               "(state = 'failed-temporary' AND next_attempt <= ?2)) ORDER BY id");
    s.bind(1, account).bind(2, now);
    return ids(s);
}

QList<qint64> OutboxStore::pendingCopies(const QString &account)
{
    Statement s = m_db.prepare("SELECT id FROM outbox WHERE account = ?1 AND state = 'sent' AND "
                               "sent_copy_state IN ('pending', 'failed') ORDER BY id");
    s.bind(1, account);
    return ids(s);
}

bool OutboxStore::transition(qint64 id, const char *sql, const QList<QString> &texts, const QList<qint64> &numbers)
{
    // Binding: ?1 the id, then the numbers, then the texts, in order.
    Statement s = m_db.prepare(sql);
    s.bind(1, id);
    int index = 2;
    for (qint64 n : numbers)
        s.bind(index++, n);
    for (const QString &t : texts)
        s.bind(index++, t);
    if (!s.run()) {
        m_error = m_db.error();
        return false;
    }
    if (m_db.changes() != 1) {
        m_error = QStringLiteral("outbox message %1 is not in a state that allows this").arg(id);
        return false;
    }
    return true;
}

bool OutboxStore::markSending(qint64 id, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated = ?2 "
                          "WHERE id = ?1 AND state IN ('queued', 'failed-temporary')", {}, {now});
}

bool OutboxStore::markDataSent(qint64 id, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'data-sent', updated = ?2 WHERE id = ?1 AND state = 'sending'",
                      {}, {now});
}

bool OutboxStore::markSent(qint64 id, const Receipt &receipt, const QString &note, qint64 now)
{
    // A retry for some recipients (markSentAndSplitRetry) starts with its copy done: the first send made it.
    return transition(id, "UPDATE outbox SET state = 'sent', receipt = ?3, error = ?4, next_attempt = 0, "
                          "sent_copy_state = CASE sent_copy_state WHEN 'done' THEN 'done' ELSE 'pending' END, "
                          "updated = ?2 WHERE id = ?1 AND state = 'data-sent'",
                      {serialize(receipt.toJson()), note}, {now});
}

qint64 OutboxStore::markSentAndSplitRetry(qint64 id, const Receipt &receipt, const QString &note,
                                         const QStringList &retryRecipients, qint64 nextAttempt, qint64 now)
{
    store::Transaction tx(m_db);
    const auto original = item(id);
    if (!tx.isActive() || !original || !markSent(id, receipt, note, now))
        return 0;
    // The retry's envelope lists only who it is for; the message bytes (and so To/Cc as the others saw them)
    // are unchanged, and a Bcc recipient stays out of them (SECURITY.md D6).
    Envelope envelope = original->envelope;
    envelope.rcpt = retryRecipients;
    auto only = [&retryRecipients](QStringList list) {
        list.removeIf([&retryRecipients](const QString &a) { return !retryRecipients.contains(a, Qt::CaseInsensitive); });
        return list;
    };
    envelope.to = only(envelope.to);
    envelope.cc = only(envelope.cc);
    envelope.bcc = only(envelope.bcc);
    Statement s = m_db.prepare("INSERT INTO outbox (account, state, envelope, message_id, raw, next_attempt, error, "
                               "sent_copy_state, created, updated) "
                               "VALUES (?1, 'failed-temporary', ?2, ?3, ?4, ?5, ?6, 'done', ?7, ?7)");
    s.bind(1, original->account)
        .bind(2, serialize(envelope.toJson()))
        .bind(3, QString::fromLatin1(original->messageId))
        .bind(4, original->raw)
        .bind(5, nextAttempt)
        .bind(6, QStringLiteral("%1: the server said to try later; the other recipients have the message (%2)")
                     .arg(retryRecipients.join(QStringLiteral(", ")), note))
        .bind(7, now);
    if (!s.run()) {
        m_error = m_db.error();
        return 0;
    }
    const qint64 retry = m_db.lastInsertRowId();
    if (!tx.commit()) {
        m_error = m_db.error();
        return 0;
    }
    return retry;
}

bool OutboxStore::markFailedTemporary(qint64 id, const QString &error, qint64 nextAttempt, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'failed-temporary', error = ?4, next_attempt = ?3, "
                          "updated = ?2 WHERE id = ?1 AND state IN ('sending', 'data-sent')",
                      {error}, {now, nextAttempt});
}

bool OutboxStore::markFailedPermanent(qint64 id, const QString &error, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'failed-permanent', error = ?3, next_attempt = 0, "
                          "updated = ?2 WHERE id = ?1 AND state IN ('sending', 'data-sent')", {error}, {now});
}

bool OutboxStore::markUncertain(qint64 id, const QString &error, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'delivery-uncertain', error = ?3, next_attempt = 0, "
                          "updated = ?2 WHERE id = ?1 AND state = 'data-sent'", {error}, {now});
}

bool OutboxStore::requeue(qint64 id, qint64 now)
{
    return transition(id, "UPDATE outbox SET state = 'queued', error = '', next_attempt = 0, updated = ?2 "
                          "WHERE id = ?1 AND state IN ('failed-temporary', 'failed-permanent', 'delivery-uncertain')",
                      {}, {now});
}

bool OutboxStore::markSentByUser(qint64 id, qint64 now)
{
    const Receipt receipt{QString(), QStringLiteral("marked as sent by the user"), QString()};
    return transition(id, "UPDATE outbox SET state = 'sent', receipt = ?3, "
                          "sent_copy_state = CASE sent_copy_state WHEN 'done' THEN 'done' ELSE 'pending' END, "
                          "updated = ?2 WHERE id = ?1 AND state = 'delivery-uncertain'",
                      {serialize(receipt.toJson())}, {now});
}

bool OutboxStore::discard(qint64 id)
{
    return transition(id, "DELETE FROM outbox WHERE id = ?1 AND state NOT IN ('sending', 'data-sent')", {}, {});
}

bool OutboxStore::setSentCopy(qint64 id, SentCopyState state, const QString &error, qint64 now)
{
    return transition(id, "UPDATE outbox SET sent_copy_state = ?3, sent_copy_error = ?4, updated = ?2 "
                          "WHERE id = ?1 AND state = 'sent'", {sentCopyStateName(state), error}, {now});
}

int OutboxStore::recover(qint64 now)
{
    store::Transaction tx(m_db);
    Statement back = m_db.prepare("UPDATE outbox SET state = 'queued', updated = ?1 WHERE state = 'sending'");
    back.bind(1, now);
    if (!tx.isActive() || !back.run()) {
        m_error = m_db.error();
        return -1;
    }
    const int requeued = m_db.changes();
    Statement uncertain = m_db.prepare(
        "UPDATE outbox SET state = 'delivery-uncertain', updated = ?1, error = ?2 WHERE state = 'data-sent'");
    uncertain.bind(1, now).bind(2, QStringLiteral("interrupted after the message may have reached the server"));
    if (!uncertain.run()) {
        m_error = m_db.error();
        return -1;
    }
    const int uncertainCount = m_db.changes();
    if (!tx.commit()) {
        m_error = m_db.error();
        return -1;
    }
    return requeued + uncertainCount;
}

} // namespace tern::outbox
