// SPDX-License-Identifier: GPL-3.0-or-later
#include "pop3/pop3client.h"

#include <QTimer>

namespace tern::pop3 {

using protocols::Connection;
using protocols::ConnectionError;

Pop3Client::Pop3Client(SessionConfig config, QObject *parent)
    : QObject(parent)
    , m_session(config)
    , m_connection(new Connection(this))
    , m_implicitTls(config.security == Security::ImplicitTls)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_finished)
            return;
        m_session.timedOut();
        m_connection->abort();
        finish();
    });
    auto activity = [this] {
        if (!m_session.isIdle())
            m_timer->start(m_timeoutMs);
    };
    for (auto signal : {&Connection::ready, &Connection::encrypted, &Connection::progress})
        connect(m_connection, signal, m_timer, activity);
    connect(m_connection, &Connection::received, m_timer, activity);
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

Pop3Client::~Pop3Client() = default;

void Pop3Client::setServer(const QString &host, quint16 port)
{
    m_host = host;
    m_port = port;
}

void Pop3Client::setTlsPolicy(const protocols::TlsPolicy &policy)
{
    m_connection->setTlsPolicy(policy);
}

void Pop3Client::start()
{
    m_timer->start(m_timeoutMs);
    m_connection->connectToHost(m_host, m_port, m_implicitTls);
}

void Pop3Client::enqueue(const Request &request)
{
    m_session.enqueue(request);
    m_wasIdle = false;
    pump();
}

void Pop3Client::quit()
{
    m_session.quit();
    pump();
}

void Pop3Client::pump()
{
    const QByteArray out = m_session.takeOutgoing();
    if (!out.isEmpty())
        m_connection->write(out);
    m_results.append(m_session.takeResults());
    if (m_session.wantsTlsUpgrade()) {
        m_connection->startTls();
        return;
    }
    if (m_session.isFinished()) {
        if (m_session.state() == Session::State::Done)
            m_connection->disconnectFromHost();
        else
            m_connection->abort();
        finish();
        return;
    }
    if (m_session.isIdle())
        m_timer->stop();
    else if (!m_timer->isActive())
        m_timer->start(m_timeoutMs);
    if (m_session.isAuthenticated() && !m_loggedIn) {
        m_loggedIn = true;
        QTimer::singleShot(0, this, &Pop3Client::loggedIn);
    }
    if (m_session.isIdle() && !m_wasIdle && m_loggedIn) {
        m_wasIdle = true;
        QTimer::singleShot(0, this, &Pop3Client::idle);
    }
}

void Pop3Client::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer->stop();
    m_results.append(m_session.takeResults());
    QTimer::singleShot(0, this, &Pop3Client::finished);
}

} // namespace tern::pop3
