// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/trace.h"
#include "pop3/commands.h"
#include "pop3/response.h"
#include "sasl/authenticator.h"

#include <QHash>
#include <QList>

#include <deque>
#include <memory>

namespace tern::pop3 {

enum class Security {
    ImplicitTls, // RFC 8314 §3.3: port 995
    Stls,        // RFC 2595 §4: required; stop if the server does not offer it
    Cleartext,   // only on the user's explicit choice
};

struct SessionConfig
{
    Security security = Security::ImplicitTls;
    sasl::Credentials credentials;
    sasl::CredentialKind credentialKind = sasl::CredentialKind::Password;
    std::optional<sasl::Mechanism> forcedMechanism;
    bool allowPlaintextPasswordOverCleartext = false;
    bool allowApop = false;            // APOP (MD5 of the password) when SASL is not offered
    bool usePipelining = true;
    qint64 maxMessageSize = 64 * 1024 * 1024; // RETR/TOP bodies beyond this are refused, never buffered
};

enum class SessionError {
    None,
    ConnectionLost,
    GreetingRejected,
    MalformedResponse,
    ResponseTooLong,
    MessageTooLarge,            // a RETR/TOP body grew past maxMessageSize (the server lied in LIST)
    TlsRequiredButNotOffered,   // SECURITY.md T1
    StlsRefused,                // T5
    TlsFailed,
    AuthenticationUnavailable,
    AuthenticationFailed,
    SaslFailed,
    Timeout,                    // the server stopped answering while a response was owed
};

// A transaction-state command the caller asks for, RFC 1939 §5/§7.
struct Request
{
    enum class Kind { Stat, List, Uidl, Top, Retr, Dele, Rset, Noop };
    Kind kind = Kind::Noop;
    int message = 0;  // 0 with List/Uidl: all messages
    int lines = 0;    // Top
};

struct Result
{
    Request request;
    enum class Status { Ok, ServerError, Refused } status = Status::Ok;
    QByteArray text;       // the server's words (or empty when refused before sending)
    QByteArray code;       // RFC 2449 §8 response code
    qint64 count = 0;      // Stat
    qint64 size = 0;       // Stat (maildrop) / List n
    QList<std::pair<int, qint64>> sizes;      // List
    QList<std::pair<int, QByteArray>> uids;   // Uidl (UIDL n fills one entry)
    QByteArray message;    // Retr/Top: the message bytes, unstuffed, CRLF line ends
};

// The POP3 client as a state machine without I/O (RFC 1939, 2449, 2595, 5034). The caller queues requests
// once authenticated; DELE only when the caller has stored the message (SECURITY.md L2), and deletions
// take effect only at QUIT.
class Session
{
public:
    enum class State {
        Connecting, Greeting, Capa, Stls, TlsHandshake, Auth, User, Pass, Apop,
        Transaction, Quit, Done, Failed,
    };

    explicit Session(SessionConfig config);
    ~Session();

    void setTraceSink(protocols::TraceSink sink) { m_trace.setSink(std::move(sink)); }

    void connected(bool encrypted);
    void receive(QByteArrayView bytes);
    void tlsEstablished();
    void tlsFailed();
    void connectionLost();
    void timedOut();

    void enqueue(const Request &request);
    void quit(); // QUIT after the queued requests (UPDATE state: DELEs take effect)

    QByteArray takeOutgoing();
    QList<Result> takeResults();
    bool wantsTlsUpgrade() const { return m_state == State::TlsHandshake && !m_tlsActive; }
    bool isAuthenticated() const { return m_authenticated; }
    bool isIdle() const { return m_state == State::Transaction && m_inFlight.empty() && m_queue.empty(); }
    bool isFinished() const { return m_state == State::Done || m_state == State::Failed; }
    State state() const { return m_state; }
    SessionError error() const { return m_error; }
    std::optional<Response> errorResponse() const { return m_errorResponse; }
    sasl::Error saslError() const { return m_saslError; }
    QList<QByteArray> capabilities() const { return m_caps; }
    bool isTlsActive() const { return m_tlsActive; }

private:
    void handle(const Response &response);
    void onGreeting(const Response &r);
    void onCapa(const Response &r);
    void onStls(const Response &r);
    void onAuth(const Response &r);
    void onUser(const Response &r);
    void onPass(const Response &r);
    void onTransaction(const Response &r);
    void afterCapabilities();
    void login();
    void pumpRequests();
    bool hasCapability(QByteArrayView name) const;
    void send(const Command &command);
    void fail(SessionError error, const std::optional<Response> &response = std::nullopt);

    SessionConfig m_config;
    State m_state = State::Connecting;
    ResponseParser m_parser;
    protocols::Trace m_trace;
    QByteArray m_out;
    QList<QByteArray> m_caps;
    QByteArray m_apopStamp;
    bool m_tlsActive = false;
    bool m_authenticated = false;
    bool m_quitRequested = false;
    std::unique_ptr<sasl::Authenticator> m_auth;
    bool m_authCancelled = false;
    std::deque<Request> m_queue;
    std::deque<Request> m_inFlight;
    QHash<int, qint64> m_knownSizes; // from LIST, for refusing oversized RETR before sending it
    QList<Result> m_results;
    SessionError m_error = SessionError::None;
    std::optional<Response> m_errorResponse;
    sasl::Error m_saslError = sasl::Error::None;
};

} // namespace tern::pop3
