// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/trace.h"
#include "sasl/authenticator.h"
#include "smtp/capabilities.h"
#include "smtp/commands.h"
#include "smtp/message.h"
#include "smtp/reply.h"

#include <QList>

#include <deque>
#include <memory>

namespace tern::smtp {

enum class Security {
    ImplicitTls, // RFC 8314 §3.3: TLS from the first byte (port 465)
    StartTls,    // RFC 3207: required; the session stops if the server does not offer it
    Cleartext,   // only on the user's explicit choice
};

struct SessionConfig
{
    Security security = Security::ImplicitTls;
    QByteArray clientDomain = "[127.0.0.1]";   // EHLO argument
    std::optional<sasl::Credentials> credentials; // none: submit without AUTH
    sasl::CredentialKind credentialKind = sasl::CredentialKind::Password;
    std::optional<sasl::Mechanism> forcedMechanism;
    bool allowPlaintextPasswordOverCleartext = false;
    bool usePipelining = true;
    bool useChunking = true;
};

enum class SessionError {
    None,
    ConnectionLost,
    GreetingRejected,
    MalformedReply,
    ReplyTooLong,
    HelloRejected,
    TlsRequiredButNotOffered,  // SECURITY.md T1
    StartTlsRefused,           // T5: never falls back to cleartext
    TlsFailed,                 // reported by the transport
    AuthenticationUnavailable, // credentials given, server offers no AUTH we can use safely
    AuthenticationFailed,      // 535 and friends: the server's text says why
    SaslFailed,                // the client side refused the exchange: see saslError()
    ServiceClosing,            // 421 at any point, RFC 5321 §3.8
    ResetRejected,             // RSET between messages refused: the transaction state is unknown
    Timeout,                   // the server stopped answering (RFC 5321 §4.5.3.2)
};

// The SMTP client as a state machine without I/O: feed it what the server sent, take what it wants
// written. The transport reports connected(), tlsEstablished() and connectionLost(); the session asks for
// a TLS upgrade through wantsTlsUpgrade(). Synchronous and deterministic, so tests drive it line by line.
class Session
{
public:
    enum class State {
        Connecting, Greeting, Ehlo, Helo, StartTls, TlsHandshake, Auth,
        Envelope, Body, Rset, Quit, Done, Failed,
    };

    explicit Session(SessionConfig config);
    ~Session();

    void setTraceSink(protocols::TraceSink sink) { m_trace.setSink(std::move(sink)); }
    void addMessage(OutgoingMessage message);

    // Transport events.
    void connected(bool encrypted);
    void receive(QByteArrayView bytes);
    void tlsEstablished();
    void tlsFailed();
    void connectionLost();
    void timedOut(); // like connectionLost(), reported as Timeout; the transport is closed by the caller

    QByteArray takeOutgoing();
    bool wantsTlsUpgrade() const { return m_state == State::TlsHandshake && !m_tlsActive; }
    bool isFinished() const { return m_state == State::Done || m_state == State::Failed; }
    State state() const { return m_state; }

    SessionError error() const { return m_error; }
    std::optional<Reply> errorReply() const { return m_errorReply; } // the server's words, if any
    sasl::Error saslError() const { return m_saslError; }
    const Capabilities &capabilities() const { return m_caps; }
    bool isTlsActive() const { return m_tlsActive; }
    QList<MessageResult> results() const { return m_results; }
    // How many DATA/BDAT LAST payloads (each ending in the terminator) have been queued for writing so far:
    // a transport can tell from it that the next write carries a terminator (see SmtpClient's gate).
    int terminatorsQueued() const { return m_terminatorsQueued; }

private:
    enum class Pending { Rset, Mail, Rcpt, Data };

    void handleReply(const Reply &reply);
    void onGreeting(const Reply &reply);
    void onEhlo(const Reply &reply);
    void onHelo(const Reply &reply);
    void onStartTls(const Reply &reply);
    void onAuth(const Reply &reply);
    void onEnvelope(const Reply &reply);
    void onBody(const Reply &reply);
    void onRset(const Reply &reply);
    void onQuit(const Reply &reply);

    void afterHello();
    void startAuth();
    void nextMessage();
    void nextMessageAfterReset();
    void startMessage();
    void sendEnvelopeStep();
    void sendBody();
    void finishMessage(MessageResult::Outcome outcome);
    void send(const Command &command);
    void fail(SessionError error, const std::optional<Reply> &reply = std::nullopt);

    bool pipelining() const { return m_config.usePipelining && m_caps.has("PIPELINING"); }
    bool chunking() const { return m_config.useChunking && m_caps.has("CHUNKING"); }

    SessionConfig m_config;
    State m_state = State::Connecting;
    ReplyParser m_parser;
    protocols::Trace m_trace;
    QByteArray m_out;
    Capabilities m_caps;
    bool m_tlsActive = false;
    bool m_esmtp = true;

    std::unique_ptr<sasl::Authenticator> m_auth;
    bool m_authCancelled = false;

    std::deque<OutgoingMessage> m_queue;
    std::optional<OutgoingMessage> m_current;
    MessageResult m_result;
    std::deque<Pending> m_pending;  // replies still owed for the envelope commands sent
    qsizetype m_nextRcpt = 0;       // recipients sent so far (without pipelining)
    bool m_terminatorSent = false;
    int m_terminatorsQueued = 0;
    bool m_abandonBody = false;     // a 354 arrived though nothing was accepted: send an empty message

    QList<MessageResult> m_results;
    SessionError m_error = SessionError::None;
    std::optional<Reply> m_errorReply;
    sasl::Error m_saslError = sasl::Error::None;
};

} // namespace tern::smtp
