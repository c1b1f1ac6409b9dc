// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/commands.h"
#include "imap/deflate.h"
#include "imap/responseparser.h"
#include "imap/saslmechanism.h"

#include "common/trace.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <memory>

namespace tern::imap {

// What SELECT/EXAMINE reported (RFC 3501 §6.3.1, RFC 7162 §3.1.2).
struct MailboxInfo
{
    QByteArray name;
    bool readOnly = false;
    QList<QByteArray> flags;
    QList<QByteArray> permanentFlags;
    quint32 exists = 0;
    quint32 recent = 0;
    quint32 uidValidity = 0;
    quint32 uidNext = 0;
    quint32 unseen = 0;
    quint64 highestModSeq = 0;
    bool noModSeq = false;
};

// The IMAP client session, sans-I/O (STYLE.md layer 2): the transport feeds received bytes and reports
// connection and TLS events; the session answers with bytes to write (takeOutgoing()) and typed events
// (takeEvents()). It never touches a socket, a timer or a clock of its own, so tests drive it line by line.
//
// Security rules (SECURITY.md): with TLS required, a missing STARTTLS stops before any login (T1),
// bytes read before the handshake are discarded and capabilities re-read after it (T2), PREAUTH on
// cleartext disconnects (T3), alerts from before TLS are marked untrusted (T4), a refused STARTTLS stops
// (T5). Literal and line limits come from the parser (P1/P2).
class Session
{
public:
    enum class State {
        Greeting,          // connected, waiting for the server's first line
        StartingTls,       // STARTTLS sent, waiting for its OK
        TlsHandshake,      // the transport is negotiating TLS; nothing is read
        NotAuthenticated,  // ready for LOGIN / AUTHENTICATE
        Authenticating,
        Authenticated,
        Selected,
        Idle,              // IDLE accepted; pushes arrive as events
        LoggingOut,
        Closed
    };

    enum class TlsMode {
        Implicit,          // the transport did TLS before connected(true) (RFC 8314)
        StartTls,          // required: upgrade with STARTTLS or stop
        CleartextAllowed,  // the user's explicit choice
    };

    enum class Error {
        None,
        No,                 // tagged NO: the server's text and code say why
        Bad,                // tagged BAD
        TlsUnavailable,     // T1: STARTTLS required but not offered
        StartTlsRefused,    // T5
        PreauthWithoutTls,  // T3
        GreetingBye,        // the server refused the connection
        LoginDisabled,      // LOGINDISABLED advertised (RFC 3501 §6.2.3)
        WrongState,         // the command is not valid in this state
        InvalidArgument,    // an argument cannot be encoded (Command::valid)
        AuthAborted,        // the SASL mechanism gave up
        ParseError,         // the command's tagged response could not be read
        ProtocolError,      // the stream is unreadable (fatal parse error, unexpected response)
        ConnectionClosed,   // the connection ended before the command completed
    };

    struct Result
    {
        QByteArray tag;
        QByteArray command;  // "SELECT", "UID FETCH", ...
        Error error = Error::None;
        ResponseCode code;
        QByteArray text;     // the server's own text
    };

    struct Event
    {
        enum class Kind {
            Ready,             // NotAuthenticated, secure as required, capabilities known
            StartTlsHandshake, // the transport must start the TLS handshake now, then call tlsEstablished()
            Authenticated,     // capabilities refreshed
            Selected,          // mailbox holds what SELECT/EXAMINE reported
            IdleStarted,
            Untagged,          // any untagged data, at any time: EXISTS, EXPUNGE, FETCH, VANISHED, ...
            Alert,             // [ALERT] text; trusted false when it came before TLS (T4)
            ParseError,        // an untagged response that could not be read (the session goes on)
            CommandFinished,
            Closed,            // the transport should close after writing takeOutgoing()
        };
        Event(Kind k = Kind::Untagged) : kind(k) { }
        Kind kind;
        Response response;
        Result result;
        MailboxInfo mailbox;
        bool trusted = true;
    };

    struct Options
    {
        TlsMode tls = TlsMode::StartTls;
        ResponseParser::Limits limits;
        std::function<qint64()> clock;           // monotonic milliseconds; needed for IDLE re-issue
        qint64 idleRefreshMs = 28 * 60 * 1000;   // RFC 2177 §3: servers may drop IDLE after 30 min (29 in practice)
    };

    explicit Session(Options options);
    ~Session();

    // --- from the transport
    void connected(bool tlsActive);
    void receive(QByteArrayView bytes);
    void tlsEstablished();
    void disconnected();
    // The owner calls this from a timer (once a minute is plenty): re-issues IDLE before the limit.
    void tick();

    // --- to the transport and the owner
    QByteArray takeOutgoing();
    QList<Event> takeEvents();

    // --- commands; each returns its tag ("" if refused at once: a CommandFinished event says why)
    QByteArray login(QByteArrayView user, QByteArrayView password);
    QByteArray authenticate(std::unique_ptr<SaslMechanism> mechanism);
    QByteArray enable(const QList<QByteArray> &capabilities);
    QByteArray select(QByteArrayView mailbox, bool readOnly = false,
                      const std::optional<commands::QresyncParams> &qresync = std::nullopt);
    QByteArray idle();
    void stopIdle();
    QByteArray logout();
    // COMPRESS DEFLATE (RFC 4978) when offered. PERFORMANCE.md: it costs more than it saves on loopback
    // and LAN, so the owner decides by link.
    QByteArray compress();
    bool isCompressing() const { return m_deflate != nullptr; }
    // Any other command, pipelined: LIST, STATUS, UID FETCH/STORE/MOVE, APPEND, SEARCH, ...
    QByteArray send(Command command);

    State state() const { return m_state; }
    bool isTlsActive() const { return m_tlsActive; }
    const QList<QByteArray> &capabilities() const { return m_caps; }
    bool hasCapability(QByteArrayView capability) const;
    bool isEnabled(QByteArrayView capability) const;
    // Mailbox names travel as UTF-8 (UTF8=ACCEPT or IMAP4rev2 enabled), not modified UTF-7.
    bool hasUtf8Names() const;
    EncodeOptions encodeOptions() const;
    const MailboxInfo &mailbox() const { return m_mailbox; }
    protocols::Trace &trace() { return m_trace; }

private:
    enum class Purpose { User, Capability, StartTls, Login, Authenticate, Enable, Select, Idle, Logout, Compress };
    struct Pending;

    QByteArray enqueue(Command command, Purpose purpose, bool exclusive = false);
    void pump();
    void write(const QByteArray &bytes, const QByteArray &trace);
    void refuse(const Command &command, Error error);
    void emitEvent(Event event);
    void close(Error error, const QByteArray &text = {});

    void handle(const Response &r);
    void onGreeting(const Response &r);
    void onStartingTls(const Response &r);
    void onAuthenticating(const Response &r);
    void onIdle(const Response &r);
    void onLoggingOut(const Response &r);
    void onSession(const Response &r);

    void onUntagged(const Response &r);
    void onContinuation(const Response &r);
    void onTagged(const Response &r);
    void finish(Pending &p, const Response &r);
    void afterGreeting();
    void requireCapabilities(std::function<void()> then);
    void secureOrReady();
    void setCapabilities(const QList<QByteArray> &caps);
    bool applySelectData(const Response &r);

    Options m_options;
    ResponseParser m_parser;
    protocols::Trace m_trace;
    State m_state = State::Closed;
    bool m_tlsActive = false;
    QList<QByteArray> m_caps;
    QList<QByteArray> m_enabled;
    std::function<void()> m_afterCapability;
    QByteArray m_out;
    QList<Event> m_events;
    QList<std::shared_ptr<Pending>> m_queue;     // not yet sent
    QList<std::shared_ptr<Pending>> m_inflight;  // sent, awaiting their tagged response
    std::shared_ptr<Pending> m_continuation;     // the one command that may receive "+"
    std::shared_ptr<Pending> m_lastEnqueued;
    std::unique_ptr<SaslMechanism> m_sasl;
    std::unique_ptr<Deflate> m_deflate;
    bool m_compressionStarted = false; // set by COMPRESS's OK; receive() re-reads what followed it
    MailboxInfo m_mailbox;
    MailboxInfo m_selecting;
    bool m_selectInFlight = false;
    qint64 m_idleSince = 0;
    bool m_doneSent = false;
    bool m_reIdle = false;
    State m_stateBeforeIdle = State::Selected;
    quint32 m_nextTag = 1;
    QByteArray m_byeText;
};

} // namespace tern::imap
