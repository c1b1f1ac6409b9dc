// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/smtpclient.h"

#include <QTimer>

namespace tern::smtp {

using protocols::Connection;
using protocols::ConnectionError;

SmtpClient::SmtpClient(SessionConfig config, QObject *parent)
    : QObject(parent)
    , m_session(config)
    , m_connection(new Connection(this))
    , m_implicitTls(config.security == Security::ImplicitTls)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SmtpClient::onTimeout);
    // Every sign of life from the link restarts the clock.
    for (auto signal : {&Connection::ready, &Connection::encrypted, &Connection::progress})
        connect(m_connection, signal, m_timer, [this] { m_timer->start(m_timeoutMs); });
    connect(m_connection, &Connection::received, m_timer, [this] { m_timer->start(m_timeoutMs); });
    connect(m_connection, &Connection::ready, this, [this] {
        m_tls = m_connection->tlsSession();
        m_session.connected(m_connection->isEncrypted());
        pump();
    });
    connect(m_connection, &Connection::received, this, [this](const QByteArray &bytes) {
        m_session.receive(bytes);
        pump();
    });
    connect(m_connection, &Connection::encrypted, this, [this] {
        m_tls = m_connection->tlsSession();
        m_session.tlsEstablished();
        pump();
    });
    connect(m_connection, &Connection::failed, this, [this](ConnectionError) {
        if (m_connection->certificateInfo() || m_connection->error() == ConnectionError::TlsHandshakeFailed)
            m_session.tlsFailed();
        else
            m_session.connectionLost();
        finish();
    });
    connect(m_connection, &Connection::closed, this, [this] {
        m_session.connectionLost();
        finish();
    });
}

SmtpClient::~SmtpClient() = default;

void SmtpClient::setServer(const QString &host, quint16 port)
{
    m_host = host;
    m_port = port;
}

void SmtpClient::setTlsPolicy(const protocols::TlsPolicy &policy)
{
    m_connection->setTlsPolicy(policy);
}

QList<MessageResult> SmtpClient::results() const
{
    QList<MessageResult> results = m_session.results();
    for (MessageResult &r : results)
        r.tls = m_tls;
    return results;
}

void SmtpClient::start()
{
    m_timer->start(m_timeoutMs);
    m_connection->connectToHost(m_host, m_port, m_implicitTls);
}

void SmtpClient::onTimeout()
{
    if (m_finished)
        return;
    m_session.timedOut();
    m_connection->abort();
    finish();
}

void SmtpClient::pump()
{
    const QByteArray out = m_session.takeOutgoing();
    if (m_session.terminatorsQueued() > m_terminatorsPassed) {
        // One message per DATA phase: the payload just queued is the message whose index is the number
        // of results already final.
        m_terminatorsPassed = m_session.terminatorsQueued();
        if (m_terminatorGate && !m_terminatorGate(int(m_session.results().size()))) {
            m_connection->abort();
            m_session.connectionLost();
            finish();
            return;
        }
    }
    if (!out.isEmpty())
        m_connection->write(out);
    if (m_session.wantsTlsUpgrade()) {
        m_connection->startTls();
        return;
    }
    if (!m_session.isFinished())
        return;
    if (m_session.state() == Session::State::Done)
        m_connection->disconnectFromHost();
    else
        m_connection->abort();
    finish();
}

void SmtpClient::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer->stop();
    // Queued: callers may delete the client from the slot; the socket's own signal is still on the stack.
    QTimer::singleShot(0, this, &SmtpClient::finished);
}

} // namespace tern::smtp
