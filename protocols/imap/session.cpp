// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/session.h"

#include "imap/session_p.h"

namespace tern::imap {

Session::Session(Options options)
    : m_options(std::move(options))
    , m_parser(m_options.limits)
{
}

Session::~Session() = default;

// ------------------------------------------------------------------------------------ transport side

void Session::connected(bool tlsActive)
{
    m_tlsActive = tlsActive;
    m_state = State::Greeting;
}

void Session::receive(QByteArrayView bytes)
{
    if (m_state == State::TlsHandshake || m_state == State::Closed)
        return; // nothing read between STARTTLS's OK and the handshake may count (T2)
    if (m_deflate) {
        const auto plain = m_deflate->decompress(bytes);
        if (!plain) {
            close(Error::ProtocolError);
            return;
        }
        m_parser.feed(*plain);
    } else {
        m_parser.feed(bytes);
    }
    while (m_state != State::TlsHandshake && m_state != State::Closed) {
        const auto r = m_parser.next();
        if (!r)
            break;
        if (m_trace.isEnabled())
            m_trace.received(m_parser.lastLine().toByteArray());
        handle(*r);
        if (std::exchange(m_compressionStarted, false)) {
            // RFC 4978 §3: everything after the OK's CRLF is already compressed.
            const QByteArray rest = m_parser.takeBuffered();
            if (!rest.isEmpty()) {
                receive(rest);
                return;
            }
        }
    }
}

void Session::tlsEstablished()
{
    if (m_state != State::TlsHandshake)
        return;
    m_tlsActive = true;
    m_parser.clear();
    m_caps.clear(); // RFC 3501 §6.2.1: capabilities from before TLS are void (T2)
    m_state = State::NotAuthenticated;
    requireCapabilities([this] { emitEvent({Event::Kind::Ready}); });
}

void Session::disconnected()
{
    close(m_state == State::LoggingOut ? Error::None : Error::ConnectionClosed, m_byeText);
}

void Session::tick()
{
    if (m_state != State::Idle || m_doneSent || !m_options.clock)
        return;
    if (m_options.clock() - m_idleSince >= m_options.idleRefreshMs) {
        m_reIdle = true;
        stopIdle();
    }
}

QByteArray Session::takeOutgoing()
{
    return std::exchange(m_out, {});
}

QList<Session::Event> Session::takeEvents()
{
    return std::exchange(m_events, {});
}

// ------------------------------------------------------------------------------------------ commands

QByteArray Session::login(QByteArrayView user, QByteArrayView password)
{
    Command c = commands::login(user, password, encodeOptions());
    if (m_state != State::NotAuthenticated || (!m_tlsActive && m_options.tls != TlsMode::CleartextAllowed)) {
        refuse(c, Error::WrongState); // never a password before TLS when TLS is required (T1)
        return {};
    }
    if (hasCapability("LOGINDISABLED")) {
        refuse(c, Error::LoginDisabled);
        return {};
    }
    return enqueue(std::move(c), Purpose::Login, true);
}

QByteArray Session::authenticate(std::unique_ptr<SaslMechanism> mechanism)
{
    const QByteArray name = mechanism->name();
    std::optional<QByteArray> ir = mechanism->initialResponse();
    const bool saslIr = ir && hasCapability("SASL-IR");
    Command c = commands::authenticate(name, saslIr ? std::optional(ir->toBase64()) : std::nullopt);
    if (m_state != State::NotAuthenticated || (!m_tlsActive && m_options.tls != TlsMode::CleartextAllowed)) {
        refuse(c, Error::WrongState);
        return {};
    }
    m_sasl = std::move(mechanism);
    const QByteArray tag = enqueue(std::move(c), Purpose::Authenticate, true);
    if (m_lastEnqueued && !saslIr)
        m_lastEnqueued->initialResponse = ir;
    return tag;
}

QByteArray Session::enable(const QList<QByteArray> &capabilities)
{
    return enqueue(commands::enable(capabilities), Purpose::Enable);
}

QByteArray Session::select(QByteArrayView mailbox, bool readOnly, const std::optional<commands::QresyncParams> &qresync)
{
    Command c = commands::select(mailbox, readOnly, encodeOptions(), !qresync && hasCapability("CONDSTORE"), qresync);
    // RFC 7162 §3.2.5: the QRESYNC parameter only after ENABLE QRESYNC.
    if ((m_state != State::Authenticated && m_state != State::Selected && m_state != State::Idle)
        || (qresync && !isEnabled("QRESYNC"))) {
        refuse(c, Error::WrongState);
        return {};
    }
    const QByteArray tag = enqueue(std::move(c), Purpose::Select);
    if (m_lastEnqueued)
        m_lastEnqueued->mailbox = mailbox.toByteArray();
    return tag;
}

QByteArray Session::idle()
{
    if (m_state != State::Authenticated && m_state != State::Selected) {
        refuse(commands::idle(), Error::WrongState);
        return {};
    }
    m_doneSent = false;
    return enqueue(commands::idle(), Purpose::Idle, true);
}

void Session::stopIdle()
{
    if (m_doneSent)
        return;
    const bool idlePending = std::any_of(m_inflight.cbegin(), m_inflight.cend(),
                                         [](const auto &p) { return p->purpose == Purpose::Idle; });
    if (m_state != State::Idle && !idlePending)
        return;
    m_doneSent = true;
    if (m_state == State::Idle) // otherwise DONE goes out when the "+" arrives
        write(commands::idleDone(), QByteArrayLiteral("DONE"));
}

QByteArray Session::logout()
{
    return enqueue(commands::logout(), Purpose::Logout, true);
}

QByteArray Session::compress()
{
    if ((m_state != State::Authenticated && m_state != State::Selected) || m_deflate
        || !hasCapability("COMPRESS=DEFLATE")) {
        refuse(commands::compress(), Error::WrongState);
        return {};
    }
    return enqueue(commands::compress(), Purpose::Compress, true);
}

QByteArray Session::send(Command command)
{
    if (m_state == State::Greeting || m_state == State::StartingTls || m_state == State::TlsHandshake) {
        refuse(command, Error::WrongState);
        return {};
    }
    return enqueue(std::move(command), Purpose::User);
}

bool Session::hasCapability(QByteArrayView capability) const
{
    return std::any_of(m_caps.cbegin(), m_caps.cend(),
                       [&](const QByteArray &c) { return c.compare(capability, Qt::CaseInsensitive) == 0; });
}

bool Session::isEnabled(QByteArrayView capability) const
{
    return std::any_of(m_enabled.cbegin(), m_enabled.cend(),
                       [&](const QByteArray &c) { return c.compare(capability, Qt::CaseInsensitive) == 0; });
}

bool Session::hasUtf8Names() const
{
    // RFC 6855 §3 (UTF8=ACCEPT), and RFC 9051 §5.1 and appendix E item 8: once IMAP4rev2 is enabled,
    // mailbox names are UTF-8 on the wire and modified UTF-7 is gone.
    return isEnabled("UTF8=ACCEPT") || isEnabled("IMAP4REV2");
}

EncodeOptions Session::encodeOptions() const
{
    EncodeOptions o;
    o.literalPlus = hasCapability("LITERAL+");
    o.literalMinus = hasCapability("LITERAL-") || hasCapability("IMAP4REV2"); // RFC 9051 §2.3 includes LITERAL-
    o.utf8Accepted = hasUtf8Names();
    return o;
}

// ----------------------------------------------------------------------------------- sending/queueing

QByteArray Session::enqueue(Command command, Purpose purpose, bool exclusive)
{
    m_lastEnqueued.reset();
    if (m_state == State::Closed || m_state == State::LoggingOut) {
        refuse(command, Error::ConnectionClosed);
        return {};
    }
    if (!command.valid) {
        refuse(command, Error::InvalidArgument);
        return {};
    }
    auto p = std::make_shared<Pending>();
    p->tag = 'A' + QByteArray::number(m_nextTag++);
    p->parts = command.tagged(p->tag);
    p->command = std::move(command);
    p->purpose = purpose;
    p->exclusive = exclusive || p->parts.size() > 1;
    m_queue.append(p);
    m_lastEnqueued = p;
    if (m_state == State::Idle)
        stopIdle(); // a command while idling: leave IDLE first (RFC 2177 §3)
    pump();
    return p->tag;
}

void Session::pump()
{
    while (!m_queue.isEmpty() && !m_continuation && m_state != State::Closed) {
        const auto &next = m_queue.first();
        const bool exclusiveInFlight = std::any_of(m_inflight.cbegin(), m_inflight.cend(),
                                                   [](const auto &p) { return p->exclusive; });
        if (exclusiveInFlight || (next->exclusive && !m_inflight.isEmpty()))
            return;
        auto p = m_queue.takeFirst();
        m_inflight.append(p);
        write(p->parts.first(), p->command.taggedTrace(p->tag));
        p->sent = 1;
        if (p->parts.size() > 1 || p->purpose == Purpose::Authenticate || p->purpose == Purpose::Idle)
            m_continuation = p;
        switch (p->purpose) {
        case Purpose::StartTls:
            m_state = State::StartingTls;
            break;
        case Purpose::Login:
        case Purpose::Authenticate:
            m_state = State::Authenticating;
            break;
        case Purpose::Select:
            m_selectInFlight = true;
            m_selecting = MailboxInfo{};
            break;
        case Purpose::Logout:
            m_state = State::LoggingOut;
            break;
        default:
            break;
        }
    }
}

void Session::write(const QByteArray &bytes, const QByteArray &trace)
{
    m_out.append(m_deflate ? m_deflate->compress(bytes) : bytes);
    if (m_trace.isEnabled() && !trace.isEmpty())
        m_trace.sent(trace);
}

void Session::refuse(const Command &command, Error error)
{
    Event e{Event::Kind::CommandFinished};
    e.result.command = command.name;
    e.result.error = error;
    emitEvent(std::move(e));
}

void Session::emitEvent(Event event)
{
    m_events.append(std::move(event));
}

void Session::close(Error error, const QByteArray &text)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_parser.clear();
    m_continuation.reset();
    m_sasl.reset();
    auto pending = m_inflight + m_queue;
    m_inflight.clear();
    m_queue.clear();
    for (const auto &p : pending) {
        Event e{Event::Kind::CommandFinished};
        e.result = {p->tag, p->command.name, error == Error::None ? Error::ConnectionClosed : error, {}, text};
        emitEvent(std::move(e));
    }
    Event closed{Event::Kind::Closed};
    closed.result.error = error;
    closed.result.text = text;
    emitEvent(std::move(closed));
}

} // namespace tern::imap
