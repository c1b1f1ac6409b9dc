// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/connection.h"
#include "pop3/session.h"

#include <QObject>
#include <QTimer>

namespace tern::pop3 {

// A POP3 connection as an operation: start() connects and logs in (loggedIn()); requests queued with
// enqueue() produce results (idle() when none is outstanding); quit() ends with QUIT and finished().
class Pop3Client : public QObject
{
    Q_OBJECT

public:
    explicit Pop3Client(SessionConfig config, QObject *parent = nullptr);
    ~Pop3Client() override;

    void setServer(const QString &host, quint16 port);
    void setTlsPolicy(const protocols::TlsPolicy &policy);
    void setTraceSink(protocols::TraceSink sink) { m_session.setTraceSink(std::move(sink)); }

    // No progress for this long while a response is owed ends the session with SessionError::Timeout.
    // An idle authenticated connection (nothing queued) does not time out here; the server may end it.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    void start();
    void enqueue(const Request &request);
    void quit();

    QList<Result> takeResults() { return std::exchange(m_results, {}); }
    bool isFinished() const { return m_finished; }
    SessionError error() const { return m_session.error(); }
    std::optional<Response> errorResponse() const { return m_session.errorResponse(); }
    sasl::Error saslError() const { return m_session.saslError(); }
    protocols::ConnectionError connectionError() const { return m_connection->error(); }
    std::optional<protocols::CertificateInfo> certificateInfo() const { return m_connection->certificateInfo(); }
    protocols::TlsSessionInfo tlsSession() const { return m_tls; }
    // The CAPA lines (RFC 2449 §5) of the current session; after STLS, the list read over TLS.
    QList<QByteArray> capabilities() const { return m_session.capabilities(); }

Q_SIGNALS:
    void loggedIn();
    void idle();
    void finished();

private:
    void pump();
    void finish();

    Session m_session;
    protocols::Connection *m_connection;
    protocols::TlsSessionInfo m_tls;
    QList<Result> m_results;
    QString m_host;
    quint16 m_port = 0;
    bool m_implicitTls;
    bool m_loggedIn = false;
    bool m_wasIdle = false;
    bool m_finished = false;
    int m_timeoutMs = 5 * 60 * 1000;
    QTimer *m_timer;
};

} // namespace tern::pop3
