// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/connection.h"
#include "imap/session.h"
#include "sasl/authenticator.h"

#include <QObject>

#include <memory>

class QTimer;

namespace tern::imap {

// An IMAP connection as an operation (STYLE.md layer 3 glue): start() connects, secures the link as the
// configuration requires and logs in with the strongest SASL mechanism both sides support (loggedIn()).
// Commands then go through the session (send(), select(), idle(), ...) and come back as events.
// finished() follows LOGOUT, a failure or the server closing; error() says which, with the session's,
// the SASL module's and the connection's own reasons and the certificate that failed, if any.
class ImapClient : public QObject
{
    Q_OBJECT

public:
    enum class Security {
        ImplicitTls,  // RFC 8314, port 993
        StartTls,     // required: no STARTTLS, no login (SECURITY.md T1)
        Cleartext,    // the user's explicit choice
    };

    enum class Error {
        None,
        Connection,       // connectionError() says why
        Certificate,      // certificateInfo() holds what failed validation (T6)
        TlsHandshake,     // includes TLS < 1.2 (T7)
        Session,          // sessionError(): TLS unavailable, PREAUTH on cleartext, BYE, protocol error, ...
        NoMechanism,      // no mechanism both sides support that is safe on this link
        AuthenticationFailed, // the server said NO to our credentials: lastResult() holds its text
        Sasl,             // the exchange failed on our side: saslError() (e.g. a wrong SCRAM signature)
        Timeout,
    };

    struct Config
    {
        Security security = Security::StartTls;
        sasl::Credentials credentials;
        std::optional<sasl::Mechanism> forcedMechanism;
        bool allowPlaintextPasswordOverCleartext = false; // only with Security::Cleartext
        ResponseParser::Limits limits;
    };

    explicit ImapClient(Config config, QObject *parent = nullptr);
    ~ImapClient() override;

    void setServer(const QString &host, quint16 port);
    void setTlsPolicy(const protocols::TlsPolicy &policy);
    void setTraceSink(protocols::TraceSink sink) { m_session.trace().setSink(std::move(sink)); }
    // No server activity for this long while a command is in flight (not while idling) ends the client.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

    void start();
    // LOGOUT; finished() follows the server's answer.
    void logout();
    // Drops the connection without a word, for a peer that stopped answering (a half-dead link, where
    // LOGOUT would wait as long): finished() follows with Error::Timeout.
    void abort();

    // The protocol itself: commands are queued and pipelined by the session; results arrive as events.
    Session &session() { return m_session; }
    const Session &session() const { return m_session; }
    QByteArray send(Command command);
    QByteArray select(QByteArrayView mailbox, bool readOnly = false,
                      const std::optional<commands::QresyncParams> &qresync = std::nullopt);
    QByteArray enable(const QList<QByteArray> &capabilities);
    QByteArray idle();
    void stopIdle();

    bool isLoggedIn() const { return m_loggedIn; }
    bool isFinished() const { return m_finished; }
    Error error() const { return m_error; }
    Session::Error sessionError() const { return m_sessionError; }
    Session::Result lastResult() const { return m_lastResult; } // the failing command's, or the last one
    QByteArray closeText() const { return m_closeText; } // the server's text when the session closed (BYE, ...)
    sasl::Error saslError() const { return m_saslError; }
    std::optional<sasl::Mechanism> mechanism() const { return m_mechanism; } // empty: LOGIN command
    protocols::ConnectionError connectionError() const { return m_connection->error(); }
    std::optional<protocols::CertificateInfo> certificateInfo() const { return m_connection->certificateInfo(); }
    protocols::TlsSessionInfo tlsSession() const { return m_tls; }

Q_SIGNALS:
    void loggedIn();
    void sessionEvent(const tern::imap::Session::Event &event); // every session event, as it happens
    void finished();

private:
    void pump();
    void handle(const Session::Event &e);
    void authenticate();
    void fail(Error error);
    void finish();

    Config m_config;
    Session m_session;
    protocols::Connection *m_connection;
    QTimer *m_timer;
    protocols::TlsSessionInfo m_tls;
    QString m_host;
    quint16 m_port = 0;
    std::shared_ptr<sasl::Authenticator> m_auth;
    std::optional<sasl::Mechanism> m_mechanism;
    QByteArray m_authTag;
    Error m_error = Error::None;
    Session::Error m_sessionError = Session::Error::None;
    Session::Result m_lastResult;
    QByteArray m_closeText;
    sasl::Error m_saslError = sasl::Error::None;
    bool m_loggedIn = false;
    bool m_finished = false;
    bool m_pumping = false;
    int m_timeoutMs = 5 * 60 * 1000;
};

} // namespace tern::imap
