// SPDX-License-Identifier: GPL-3.0-or-later
// The session's response handling: one handler per state, then the shared tagged/untagged/continuation
// paths every connected state uses.
#include "imap/session.h"

#include "imap/session_p.h"

namespace tern::imap {

void Session::handle(const Response &r)
{
    if (r.kind == Response::Kind::Error) {
        if (r.error.fatal) {
            close(Error::ProtocolError);
            return;
        }
        // A tagged response we could not read still ends its command (STYLE.md: an error value).
        for (qsizetype i = 0; !r.error.tag.isEmpty() && i < m_inflight.size(); ++i) {
            if (m_inflight[i]->tag == r.error.tag) {
                auto p = m_inflight.takeAt(i);
                if (m_continuation == p)
                    m_continuation.reset();
                Event e{Event::Kind::CommandFinished};
                e.result = {p->tag, p->command.name, Error::ParseError, {}, r.error.excerpt};
                emitEvent(std::move(e));
                pump();
                return;
            }
        }
        Event e{Event::Kind::ParseError};
        e.response = r;
        emitEvent(std::move(e));
        return;
    }
    switch (m_state) {
    case State::Greeting:
        onGreeting(r);
        break;
    case State::StartingTls:
        onStartingTls(r);
        break;
    case State::Authenticating:
        onAuthenticating(r);
        break;
    case State::Idle:
        onIdle(r);
        break;
    case State::LoggingOut:
        onLoggingOut(r);
        break;
    case State::NotAuthenticated:
    case State::Authenticated:
    case State::Selected:
        onSession(r);
        break;
    case State::TlsHandshake:
    case State::Closed:
        break;
    }
}

void Session::onGreeting(const Response &r)
{
    // RFC 3501 §7.1: the greeting is OK, PREAUTH or BYE.
    if (r.kind != Response::Kind::UntaggedStatus) {
        close(Error::ProtocolError);
        return;
    }
    const StatusText &s = r.status;
    if (s.code.kind == ResponseCode::Kind::Capability)
        setCapabilities(s.code.list);
    switch (s.status) {
    case Status::Ok:
        m_state = State::NotAuthenticated;
        requireCapabilities([this] { secureOrReady(); });
        break;
    case Status::PreAuth:
        if (!m_tlsActive && m_options.tls != TlsMode::CleartextAllowed) {
            // T3: an attacker can answer PREAUTH to keep the connection in cleartext. Say goodbye, nothing else.
            write("A0 LOGOUT\r\n", "A0 LOGOUT");
            close(Error::PreauthWithoutTls, s.text);
            return;
        }
        m_state = State::Authenticated;
        requireCapabilities([this] { emitEvent({Event::Kind::Authenticated}); });
        break;
    case Status::Bye:
        close(Error::GreetingBye, s.text);
        break;
    default:
        close(Error::ProtocolError, s.text);
        break;
    }
}

void Session::secureOrReady()
{
    const bool required = m_options.tls != TlsMode::CleartextAllowed;
    if (required && !m_tlsActive) {
        // T1: no STARTTLS (stripped by an attacker, or never offered) means stop before any credentials.
        if (m_options.tls == TlsMode::Implicit || !hasCapability("STARTTLS")) {
            close(Error::TlsUnavailable);
            return;
        }
        enqueue(commands::startTls(), Purpose::StartTls, true);
        return;
    }
    emitEvent({Event::Kind::Ready});
}

void Session::onStartingTls(const Response &r)
{
    // Before the handshake the server is not authenticated: only the tagged STARTTLS answer matters.
    if (r.kind == Response::Kind::UntaggedStatus && r.status.status == Status::Bye) {
        close(Error::ConnectionClosed, r.status.text);
        return;
    }
    if (r.kind == Response::Kind::UntaggedStatus && r.status.code.kind == ResponseCode::Kind::Alert) {
        Event e{Event::Kind::Alert};
        e.response = r;
        e.trusted = false; // T4
        emitEvent(std::move(e));
        return;
    }
    if (r.kind != Response::Kind::Tagged || m_inflight.isEmpty() || m_inflight.first()->tag != r.tag)
        return;
    if (r.status.status != Status::Ok) {
        close(Error::StartTlsRefused, r.status.text); // T5: never continue in cleartext
        return;
    }
    m_inflight.clear();
    m_continuation.reset();
    m_parser.clear(); // T2: whatever followed the OK in the same read was sent before TLS
    m_caps.clear();
    m_state = State::TlsHandshake;
    emitEvent({Event::Kind::StartTlsHandshake});
}

void Session::onAuthenticating(const Response &r)
{
    if (r.kind != Response::Kind::Continuation || !m_continuation || m_continuation->purpose != Purpose::Authenticate) {
        onSession(r);
        return;
    }
    // RFC 3501 §6.2.2: each "+" carries a base64 challenge; the answer is one base64 line, "*" aborts.
    Pending &p = *m_continuation;
    std::optional<QByteArray> answer;
    if (p.initialResponse) {
        answer = std::exchange(p.initialResponse, std::nullopt);
    } else if (m_sasl) {
        const auto challenge = QByteArray::fromBase64Encoding(r.continuation, QByteArray::AbortOnBase64DecodingErrors);
        if (challenge)
            answer = m_sasl->respond(*challenge);
    }
    if (!answer) {
        p.aborted = true;
        write("*\r\n", "*");
        return;
    }
    write(answer->toBase64() + "\r\n", protocols::Trace::redacted());
}

void Session::onIdle(const Response &r)
{
    // RFC 2177: while idling the server pushes untagged data; the tagged OK ends IDLE after DONE.
    onSession(r);
}

void Session::onLoggingOut(const Response &r)
{
    if (r.kind == Response::Kind::UntaggedStatus && r.status.status == Status::Bye) {
        m_byeText = r.status.text; // expected here (RFC 3501 §6.1.3), not a failure
        return;
    }
    onSession(r);
}

void Session::onSession(const Response &r)
{
    switch (r.kind) {
    case Response::Kind::Tagged:
        onTagged(r);
        break;
    case Response::Kind::Continuation:
        onContinuation(r);
        break;
    case Response::Kind::Untagged:
    case Response::Kind::UntaggedStatus:
        onUntagged(r);
        break;
    case Response::Kind::Error:
        break;
    }
}

void Session::onContinuation(const Response &)
{
    if (!m_continuation)
        return; // a stray "+": nothing is waiting for it
    auto p = m_continuation;
    if (p->purpose == Purpose::Idle) {
        m_continuation.reset();
        m_stateBeforeIdle = m_state;
        m_state = State::Idle;
        m_idleSince = m_options.clock ? m_options.clock() : 0;
        emitEvent({Event::Kind::IdleStarted});
        if (m_doneSent) // stopIdle() or a new command came while we waited for "+"
            write(commands::idleDone(), QByteArrayLiteral("DONE"));
        return;
    }
    // The next piece of a command with synchronizing literals (RFC 3501 §7.5).
    if (p->sent < p->parts.size())
        write(p->parts[p->sent++], {});
    if (p->sent >= p->parts.size()) {
        m_continuation.reset();
        pump();
    }
}

void Session::onTagged(const Response &r)
{
    for (qsizetype i = 0; i < m_inflight.size(); ++i) {
        if (m_inflight[i]->tag != r.tag)
            continue;
        auto p = m_inflight.takeAt(i);
        if (m_continuation == p)
            m_continuation.reset();
        finish(*p, r);
        pump();
        return;
    }
}

void Session::finish(Pending &p, const Response &r)
{
    const bool ok = r.status.status == Status::Ok;
    Event e{Event::Kind::CommandFinished};
    e.result = {p.tag, p.command.name, ok ? Error::None : r.status.status == Status::No ? Error::No : Error::Bad,
                r.status.code, r.status.text};
    if (p.aborted)
        e.result.error = Error::AuthAborted;
    switch (p.purpose) {
    case Purpose::Capability:
        if (!ok) {
            close(Error::ProtocolError, r.status.text);
            return;
        }
        if (auto then = std::exchange(m_afterCapability, {}))
            then();
        return; // internal: no event
    case Purpose::Login:
    case Purpose::Authenticate:
        m_sasl.reset();
        if (!ok) {
            m_state = State::NotAuthenticated;
            break;
        }
        // RFC 3501 §6.2.2/§6.2.3: capabilities may change after login; take them from the OK or ask.
        m_caps.clear();
        if (r.status.code.kind == ResponseCode::Kind::Capability)
            setCapabilities(r.status.code.list);
        m_state = State::Authenticated;
        emitEvent(std::move(e));
        requireCapabilities([this] { emitEvent({Event::Kind::Authenticated}); });
        return;
    case Purpose::Select:
        m_selectInFlight = false;
        if (!ok) {
            m_state = State::Authenticated; // RFC 3501 §6.3.1: a failed SELECT leaves nothing selected
            break;
        }
        m_selecting.name = p.mailbox;
        m_selecting.readOnly = r.status.code.kind == ResponseCode::Kind::ReadOnly;
        m_mailbox = m_selecting;
        m_state = State::Selected;
        {
            Event selected{Event::Kind::Selected};
            selected.mailbox = m_mailbox;
            emitEvent(std::move(selected));
        }
        break;
    case Purpose::Idle:
        m_state = m_stateBeforeIdle;
        m_doneSent = false;
        if (ok && std::exchange(m_reIdle, false) && m_queue.isEmpty()) {
            idle(); // RFC 2177 §3: re-issue before the server's inactivity timer
            return;
        }
        break;
    case Purpose::Logout:
        emitEvent(std::move(e));
        close(Error::None, m_byeText);
        return;
    case Purpose::User:
        if (ok && (p.command.name == "CLOSE" || p.command.name == "UNSELECT"))
            m_state = State::Authenticated;
        break;
    case Purpose::Compress:
        if (ok) {
            m_deflate = std::make_unique<Deflate>();
            m_compressionStarted = true;
        }
        break;
    case Purpose::Enable:
    case Purpose::StartTls:
        break;
    }
    emitEvent(std::move(e));
}

void Session::onUntagged(const Response &r)
{
    if (r.kind == Response::Kind::UntaggedStatus) {
        const ResponseCode &code = r.status.code;
        if (r.status.status == Status::Bye)
            m_byeText = r.status.text; // the connection will close; pending commands fail with this text
        if (code.kind == ResponseCode::Kind::Capability)
            setCapabilities(code.list);
        if (code.kind == ResponseCode::Kind::Alert) {
            Event e{Event::Kind::Alert};
            e.response = r;
            e.trusted = m_tlsActive || m_options.tls == TlsMode::CleartextAllowed; // T4
            emitEvent(std::move(e));
            return;
        }
    } else if (const auto *caps = r.get<CapabilityData>()) {
        setCapabilities(caps->capabilities); // the session's own state: read it with capabilities()
        return;
    } else if (const auto *enabled = r.get<EnabledData>()) {
        for (const QByteArray &c : enabled->capabilities) {
            if (!isEnabled(c))
                m_enabled.append(c);
        }
        // RFC 6855 §3, RFC 9051 §5.1: from now on names are UTF-8, in both directions.
        m_parser.setUtf8Accepted(hasUtf8Names());
        return;
    } else if (const auto *exists = r.get<ExistsData>()) {
        if (!m_selectInFlight)
            m_mailbox.exists = exists->count;
    } else if (r.get<ExpungeData>()) {
        if (!m_selectInFlight && m_mailbox.exists > 0)
            --m_mailbox.exists;
    }
    if (applySelectData(r))
        return;
    Event e{Event::Kind::Untagged};
    e.response = r;
    emitEvent(std::move(e));
}

bool Session::applySelectData(const Response &r)
{
    // While SELECT/EXAMINE runs, the mailbox's status data is folded into the Selected event.
    if (!m_selectInFlight)
        return false;
    MailboxInfo &m = m_selecting;
    if (const auto *f = r.get<FlagsData>()) {
        m.flags = f->flags;
        return true;
    }
    if (const auto *e = r.get<ExistsData>()) {
        m.exists = e->count;
        return true;
    }
    if (const auto *rc = r.get<RecentData>()) {
        m.recent = rc->count;
        return true;
    }
    if (r.kind != Response::Kind::UntaggedStatus || r.status.status != Status::Ok)
        return false;
    const ResponseCode &c = r.status.code;
    using K = ResponseCode::Kind;
    switch (c.kind) {
    case K::UidValidity: m.uidValidity = quint32(c.number); return true;
    case K::UidNext: m.uidNext = quint32(c.number); return true;
    case K::Unseen: m.unseen = quint32(c.number); return true;
    case K::HighestModSeq: m.highestModSeq = c.number; return true;
    case K::NoModSeq: m.noModSeq = true; return true;
    case K::PermanentFlags: m.permanentFlags = c.list; return true;
    default: return false;
    }
}

void Session::requireCapabilities(std::function<void()> then)
{
    if (!m_caps.isEmpty()) {
        then();
        return;
    }
    m_afterCapability = std::move(then);
    enqueue(commands::capability(), Purpose::Capability);
}

void Session::setCapabilities(const QList<QByteArray> &caps)
{
    m_caps = caps;
}

} // namespace tern::imap
