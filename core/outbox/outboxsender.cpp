// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox/outboxsender.h"

#include "diagnostics/protocolsink.h"
#include "diagnostics/tracelog.h"
#include "outbox/crashpoint.h"
#include "outbox/smtpoutcome.h"
#include "smtp/smtpclient.h"
#include "store/store.h"
#include "sync/connectionsettings.h"

#include <QDateTime>
#include <QTimer>

namespace tern::outbox {

OutboxSender::OutboxSender(accounts::Account account, QByteArray smtpSecret, store::Store *store, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_secret(std::move(smtpSecret))
    , m_store(store)
    , m_outbox(store->database())
    , m_clock([] { return QDateTime::currentSecsSinceEpoch(); })
{
}

OutboxSender::~OutboxSender() = default;

qint64 OutboxSender::retryDelay(int attempts)
{
    constexpr qint64 first = 60;
    constexpr qint64 limit = 6 * 60 * 60;
    qint64 delay = first;
    for (int i = 1; i < attempts && delay < limit; ++i)
        delay *= 2;
    return std::min(delay, limit);
}

void OutboxSender::start()
{
    m_queue = m_outbox.due(m_account.name, now());
    QTimer::singleShot(0, this, &OutboxSender::sendNext);
}

void OutboxSender::sendNext()
{
    if (m_queue.isEmpty() || !m_storeError.isEmpty()) {
        Q_EMIT finished();
        return;
    }
    m_current = m_queue.takeFirst();
    const auto item = m_outbox.item(m_current);
    // The commit of `sending` comes before any connection, so before MAIL FROM. If it fails (or another
    // run took the message), nothing of it is sent.
    if (!item || !m_outbox.markSending(m_current, now())) {
        if (item && (item->state == State::Queued || item->state == State::FailedTemporary))
            m_storeError = m_outbox.error();
        QTimer::singleShot(0, this, &OutboxSender::sendNext);
        return;
    }
    m_currentAttempts = item->attempts + 1;
    crashPoint("sending");

    smtp::OutgoingMessage message;
    message.from = item->envelope.from.toUtf8();
    for (const QString &rcpt : item->envelope.rcpt)
        message.recipients.append(smtp::Recipient{rcpt.toUtf8(), 0, false, {}});
    message.data = item->raw;

    m_gateRefused = false;
    m_client = new smtp::SmtpClient(sync::smtpConfig(m_account, m_secret), this);
    m_client->setServer(m_account.smtp.host, m_account.smtp.port);
    m_client->setTlsPolicy(sync::tlsPolicy(m_account));
    m_client->setTimeout(m_timeoutMs);
    if (m_traceLog) {
        m_traceSession = m_traceLog->beginSession(m_account.name, QStringLiteral("SMTP"),
                                                  m_account.smtp.host + QLatin1Char(':') + QString::number(m_account.smtp.port));
        m_client->setTraceSink(diagnostics::sinkFor(m_traceLog, m_traceSession));
    }
    m_client->addMessage(std::move(message));
    m_client->setTerminatorGate([this](int) {
        if (!m_outbox.markDataSent(m_current, now())) {
            m_gateRefused = true;
            return false;
        }
        crashPoint("before-terminator");
        return true;
    });
    connect(m_client, &smtp::SmtpClient::finished, this, &OutboxSender::onClientFinished);
    m_client->start();
}

void OutboxSender::onClientFinished()
{
    smtp::SmtpClient *client = std::exchange(m_client, nullptr);
    client->deleteLater();
    const QString where = m_account.smtp.host + QLatin1Char(':') + QString::number(m_account.smtp.port);
    SmtpOutcome outcome = classify(*client, where);
    if (m_traceLog && m_traceSession) {
        m_traceLog->setTls(m_traceSession, sync::tlsDescription(client->tlsSession()));
        m_traceLog->endSession(m_traceSession, outcome.error.isEmpty() ? stateName(outcome.state) : outcome.error);
        m_traceSession = 0;
    }
    if (m_gateRefused) {
        // The marker could not be written, so the payload was never written either: not sent.
        outcome = {State::FailedTemporary, QStringLiteral("cannot update the outbox: %1").arg(m_outbox.error()), {}, {}};
        m_storeError = m_outbox.error();
    }

    bool stored = false;
    const qint64 t = now();
    switch (outcome.state) {
    case State::Sent:
        crashPoint("after-reply");
        if (outcome.retryRecipients.isEmpty())
            stored = m_outbox.markSent(m_current, outcome.receipt, outcome.error, t);
        else // a 4xx for some recipients: they get the same message later, on their own (RFC 5321 §4.2.5)
            stored = m_outbox.markSentAndSplitRetry(m_current, outcome.receipt, outcome.error, outcome.retryRecipients,
                                                    t + retryDelay(0), t) != 0;
        crashPoint("sent");
        break;
    case State::FailedTemporary:
        stored = m_outbox.markFailedTemporary(m_current, outcome.error, t + retryDelay(m_currentAttempts), t);
        break;
    case State::FailedPermanent:
        stored = m_outbox.markFailedPermanent(m_current, outcome.error, t);
        break;
    case State::DeliveryUncertain:
        stored = m_outbox.markUncertain(m_current, outcome.error, t);
        break;
    default:
        break;
    }
    record(Outcome{m_current, outcome.state, outcome.error, outcome.receipt}, stored);
    QTimer::singleShot(0, this, &OutboxSender::sendNext);
}

void OutboxSender::record(const Outcome &outcome, bool stored)
{
    if (!stored && m_storeError.isEmpty())
        m_storeError = m_outbox.error();
    m_outcomes.append(outcome);
}

} // namespace tern::outbox
