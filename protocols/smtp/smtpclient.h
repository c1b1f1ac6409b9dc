// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/connection.h"
#include "smtp/session.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace tern::smtp {

// One submission run as an operation: connect, (STARTTLS), authenticate, send every queued message,
// QUIT. Glue between Session (the protocol) and protocols::Connection (the socket); no logic of its own.
class SmtpClient : public QObject
{
    Q_OBJECT

public:
    explicit SmtpClient(SessionConfig config, QObject *parent = nullptr);
    ~SmtpClient() override;

    void setServer(const QString &host, quint16 port);
    void setTlsPolicy(const protocols::TlsPolicy &policy);
    void setTraceSink(protocols::TraceSink sink) { m_session.setTraceSink(std::move(sink)); }
    void addMessage(OutgoingMessage message) { m_session.addMessage(std::move(message)); }

    // No progress for this long ends the session with SessionError::Timeout. RFC 5321 §4.5.3.2 asks for
    // minutes (5 for most replies, 10 after the terminator); one 5-minute default covers the common case.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    // Called synchronously just before a write that carries a message's DATA terminator (or BDAT LAST),
    // with the message's index in the order added. A crash-safe outbox records there, durably, that the
    // message may reach the server from now on (SECURITY.md L1). Returning false aborts the connection
    // before any byte of that payload is written; the message then reports DeliveryUncertain from the
    // session, which the gate's owner knows to be "not sent".
    using TerminatorGate = std::function<bool(int messageIndex)>;
    void setTerminatorGate(TerminatorGate gate) { m_terminatorGate = std::move(gate); }

    void start();

    bool isFinished() const { return m_finished; }
    SessionError error() const { return m_session.error(); }
    std::optional<Reply> errorReply() const { return m_session.errorReply(); }
    sasl::Error saslError() const { return m_session.saslError(); }
    protocols::ConnectionError connectionError() const { return m_connection->error(); }
    std::optional<protocols::CertificateInfo> certificateInfo() const { return m_connection->certificateInfo(); }
    protocols::TlsSessionInfo tlsSession() const { return m_tls; }
    QList<MessageResult> results() const;

Q_SIGNALS:
    void finished();

private:
    void pump();
    void finish();
    void onTimeout();

    Session m_session;
    protocols::Connection *m_connection;
    protocols::TlsSessionInfo m_tls;
    QString m_host;
    quint16 m_port = 0;
    bool m_implicitTls;
    bool m_finished = false;
    int m_timeoutMs = 5 * 60 * 1000;
    QTimer *m_timer;
    TerminatorGate m_terminatorGate;
    int m_terminatorsPassed = 0;
};

} // namespace tern::smtp
