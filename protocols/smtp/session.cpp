// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/session.h"

#include "smtp/envelope.h"

namespace tern::smtp {

Session::Session(SessionConfig config)
    : m_config(std::move(config))
{
}

Session::~Session() = default;

void Session::addMessage(OutgoingMessage message)
{
    m_queue.push_back(std::move(message));
}

void Session::connected(bool encrypted)
{
    m_tlsActive = encrypted;
    if (m_config.security == Security::ImplicitTls && !encrypted) {
        fail(SessionError::TlsFailed);
        return;
    }
    m_state = State::Greeting;
}

void Session::receive(QByteArrayView bytes)
{
    if (isFinished())
        return;
    if (m_state == State::TlsHandshake) {
        // Plaintext after "220 Ready to start TLS" and before the handshake is an injection attempt
        // (RFC 3207 §4.2, CVE-2011-0411): it is dropped, never parsed.
        m_trace.event("discarded " + QByteArray::number(bytes.size()) + " bytes received before TLS");
        return;
    }
    m_parser.feed(bytes);
    while (!isFinished() && m_state != State::TlsHandshake) {
        std::optional<Reply> reply = m_parser.next();
        if (!reply)
            break;
        // SASL challenges are part of the exchange the trace hides (STYLE.md: redacted at the source).
        m_trace.received(m_state == State::Auth && reply->code == 334 ? QByteArray("334 <challenge>") : reply->wireText());
        handleReply(*reply);
    }
    if (isFinished() || m_state == State::TlsHandshake)
        return;
    if (m_parser.error() == ReplyParser::Error::LineTooLong)
        fail(SessionError::ReplyTooLong);
    else if (m_parser.error() != ReplyParser::Error::None)
        fail(SessionError::MalformedReply);
}

void Session::tlsEstablished()
{
    if (m_state != State::TlsHandshake)
        return;
    m_tlsActive = true;
    m_parser.clear();
    m_caps = Capabilities(); // RFC 3207 §4.2: forget everything learnt before TLS
    m_trace.event("TLS established");
    m_state = State::Ehlo;
    send(command::ehlo(m_config.clientDomain));
}

void Session::tlsFailed()
{
    fail(SessionError::TlsFailed);
}

void Session::connectionLost()
{
    if (isFinished())
        return;
    if (m_state == State::Quit) {
        m_state = State::Done;
        return;
    }
    if (m_current) {
        // L1: once the terminator left, the server may have queued the message; only the reply tells.
        const bool uncertain = m_state == State::Body && m_terminatorSent && !m_abandonBody;
        finishMessage(uncertain ? MessageResult::Outcome::DeliveryUncertain : MessageResult::Outcome::NotSent);
    }
    fail(SessionError::ConnectionLost);
}

void Session::timedOut()
{
    if (isFinished())
        return;
    connectionLost();
    if (m_state == State::Failed)
        m_error = SessionError::Timeout;
}

QByteArray Session::takeOutgoing()
{
    return std::exchange(m_out, QByteArray());
}

void Session::send(const Command &command)
{
    m_trace.sent(command.trace);
    m_out += command.bytes;
}

void Session::fail(SessionError error, const std::optional<Reply> &reply)
{
    if (m_current)
        finishMessage(MessageResult::Outcome::NotSent);
    while (!m_queue.empty()) {
        m_results.append(MessageResult{});
        m_queue.pop_front();
    }
    m_error = error;
    m_errorReply = reply;
    m_state = State::Failed;
}

void Session::handleReply(const Reply &reply)
{
    // RFC 5321 §3.8: 421 may answer any command; the server is closing the channel.
    if (reply.code == 421 && m_state != State::Quit) {
        if (m_state == State::Body)
            m_result.finalReply = reply; // a definite "not accepted": the message was not queued
        fail(SessionError::ServiceClosing, reply);
        return;
    }
    switch (m_state) {
    case State::Greeting: onGreeting(reply); break;
    case State::Ehlo: onEhlo(reply); break;
    case State::Helo: onHelo(reply); break;
    case State::StartTls: onStartTls(reply); break;
    case State::Auth: onAuth(reply); break;
    case State::Envelope: onEnvelope(reply); break;
    case State::Body: onBody(reply); break;
    case State::Rset: onRset(reply); break;
    case State::Quit: onQuit(reply); break;
    case State::Connecting:
    case State::TlsHandshake:
    case State::Done:
    case State::Failed:
        fail(SessionError::MalformedReply, reply); // a reply nobody asked for
        break;
    }
}

void Session::onGreeting(const Reply &reply)
{
    if (reply.code != 220) {
        fail(SessionError::GreetingRejected, reply);
        return;
    }
    m_state = State::Ehlo;
    send(command::ehlo(m_config.clientDomain));
}

void Session::onEhlo(const Reply &reply)
{
    if (reply.isPositiveCompletion()) {
        m_esmtp = true;
        m_caps = Capabilities::fromEhloReply(reply);
        afterHello();
    } else if (reply.isPermanentFailure() && !m_tlsActive && m_config.security == Security::Cleartext) {
        // RFC 5321 §3.2: fall back to HELO only when EHLO is not understood (5xx), and never when TLS is
        // needed: STARTTLS requires EHLO.
        m_state = State::Helo;
        send(command::helo(m_config.clientDomain));
    } else {
        fail(SessionError::HelloRejected, reply);
    }
}

void Session::onHelo(const Reply &reply)
{
    if (!reply.isPositiveCompletion()) {
        fail(SessionError::HelloRejected, reply);
        return;
    }
    m_esmtp = false;
    m_caps = Capabilities();
    afterHello();
}

void Session::afterHello()
{
    if (m_config.security == Security::StartTls && !m_tlsActive) {
        if (!m_caps.has("STARTTLS")) {
            fail(SessionError::TlsRequiredButNotOffered); // T1: nothing else is sent
            return;
        }
        m_state = State::StartTls;
        send(command::startTls());
        return;
    }
    if (m_config.credentials) {
        startAuth();
        return;
    }
    nextMessage();
}

void Session::onStartTls(const Reply &reply)
{
    if (reply.code != 220) {
        fail(SessionError::StartTlsRefused, reply); // T5
        return;
    }
    // Whatever followed the 220 in the same read is attacker-controlled plaintext: drop it.
    m_parser.clear();
    m_state = State::TlsHandshake;
}

void Session::startAuth()
{
    sasl::SelectionPolicy policy;
    policy.credential = m_config.credentialKind;
    policy.encrypted = m_tlsActive;
    policy.allowPlaintextPasswordOverCleartext = m_config.allowPlaintextPasswordOverCleartext;
    policy.forced = m_config.forcedMechanism;
    const auto mechanism = sasl::chooseMechanism(m_caps.authMechanisms(), policy);
    if (!mechanism) {
        fail(SessionError::AuthenticationUnavailable);
        return;
    }
    m_auth = sasl::Authenticator::create(*mechanism, *m_config.credentials);
    m_state = State::Auth;
    send(command::auth(m_auth->name(), m_auth->initialResponse()));
}

void Session::onAuth(const Reply &reply)
{
    if (reply.code == 334 && !m_authCancelled) {
        const QByteArray challengeText = reply.lines.constFirst().trimmed();
        const auto challenge =
            QByteArray::fromBase64Encoding(challengeText, QByteArray::AbortOnBase64DecodingErrors);
        std::optional<QByteArray> response;
        if (challenge)
            response = m_auth->respond(challenge.decoded);
        if (!response) {
            m_saslError = challenge ? m_auth->error() : sasl::Error::MalformedChallenge;
            m_authCancelled = true;
            send(command::authCancel()); // RFC 4954 §4: the server answers with 501
            return;
        }
        send(command::authResponse(*response));
        return;
    }
    if (m_authCancelled) {
        fail(SessionError::SaslFailed, reply);
        return;
    }
    if (reply.code == 235) {
        // SCRAM: a server that skips its proof could be anyone holding a stolen verifier.
        if (!m_auth->isServerVerified()) {
            m_saslError = sasl::Error::ServerSignatureMismatch;
            fail(SessionError::SaslFailed, reply);
            return;
        }
        m_trace.event("authenticated with " + m_auth->name());
        nextMessage();
        return;
    }
    fail(SessionError::AuthenticationFailed, reply);
}

void Session::nextMessage()
{
    if (m_queue.empty()) {
        m_state = State::Quit;
        send(command::quit());
        return;
    }
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    m_result = MessageResult{};
    const MessageResult::Refusal refusal = checkEnvelope(*m_current, m_caps);
    if (refusal != MessageResult::Refusal::None) {
        m_result.refusal = refusal;
        finishMessage(MessageResult::Outcome::Refused);
        nextMessage();
        return;
    }
    startMessage();
}

void Session::startMessage()
{
    m_state = State::Envelope;
    m_nextRcpt = 0;
    m_terminatorSent = false;
    m_abandonBody = false;
    if (!pipelining()) {
        sendEnvelopeStep();
        return;
    }
    // RFC 2920 §3.1: MAIL, every RCPT and DATA in one group (DATA must be last); BDAT waits for the
    // RCPT replies so a message is never streamed to a transaction without recipients.
    send(command::mailFrom(m_current->from, mailParameters(*m_current, m_caps)));
    m_pending.push_back(Pending::Mail);
    for (const Recipient &r : std::as_const(m_current->recipients)) {
        send(command::rcptTo(r.address, rcptParameters(r, m_caps)));
        m_pending.push_back(Pending::Rcpt);
    }
    m_nextRcpt = m_current->recipients.size();
    if (!chunking()) {
        send(command::data());
        m_pending.push_back(Pending::Data);
    }
}

void Session::sendEnvelopeStep()
{
    if (!m_result.mailReply) {
        send(command::mailFrom(m_current->from, mailParameters(*m_current, m_caps)));
        m_pending.push_back(Pending::Mail);
    } else if (m_nextRcpt < m_current->recipients.size()) {
        const Recipient &r = m_current->recipients.at(m_nextRcpt++);
        send(command::rcptTo(r.address, rcptParameters(r, m_caps)));
        m_pending.push_back(Pending::Rcpt);
    }
}

void Session::onEnvelope(const Reply &reply)
{
    if (m_pending.empty()) {
        fail(SessionError::MalformedReply, reply);
        return;
    }
    const Pending what = m_pending.front();
    m_pending.pop_front();
    switch (what) {
    case Pending::Rset:
        if (!reply.isPositiveCompletion())
            fail(SessionError::ResetRejected, reply);
        return;
    case Pending::Mail:
        m_result.mailReply = reply;
        break;
    case Pending::Rcpt:
        m_result.recipients.append(RecipientResult{m_current->recipients.at(m_result.recipients.size()).address, reply});
        break;
    case Pending::Data:
        if (reply.code == 354) {
            m_state = State::Body;
            sendBody();
        } else {
            m_result.finalReply = reply;
            finishMessage(MessageResult::Outcome::Rejected);
            nextMessageAfterReset();
        }
        return;
    }
    const bool mailOk = m_result.mailReply->isPositiveCompletion();
    if (!pipelining() && mailOk && m_nextRcpt < m_current->recipients.size()) {
        sendEnvelopeStep();
        return;
    }
    if (!m_pending.empty())
        return; // more pipelined replies to come
    const bool anyAccepted = std::any_of(m_result.recipients.cbegin(), m_result.recipients.cend(),
                                         [](const RecipientResult &r) { return r.isAccepted(); });
    if (!mailOk || !anyAccepted) {
        finishMessage(MessageResult::Outcome::Rejected);
        nextMessageAfterReset();
        return;
    }
    if (chunking()) {
        m_state = State::Body;
        sendBody();
    } else {
        send(command::data());
        m_pending.push_back(Pending::Data);
    }
}

void Session::sendBody()
{
    const bool anyAccepted = std::any_of(m_result.recipients.cbegin(), m_result.recipients.cend(),
                                         [](const RecipientResult &r) { return r.isAccepted(); });
    if (!anyAccepted || !m_result.mailReply || !m_result.mailReply->isPositiveCompletion()) {
        // RFC 2920 §3.1: a server may still answer DATA with 354 after every RCPT failed; end the empty
        // message at once. Nothing of ours is delivered.
        m_abandonBody = true;
        m_out += ".\r\n";
        m_trace.sent(".");
        return;
    }
    send(chunking() ? command::bdatLast(m_current->data) : command::dataPayload(m_current->data));
    m_terminatorSent = true;
    ++m_terminatorsQueued;
}

void Session::onBody(const Reply &reply)
{
    m_result.finalReply = reply;
    if (m_abandonBody)
        finishMessage(MessageResult::Outcome::Rejected);
    else
        finishMessage(reply.isPositiveCompletion() ? MessageResult::Outcome::Accepted
                                                   : MessageResult::Outcome::Rejected);
    nextMessageAfterReset();
}

void Session::nextMessageAfterReset()
{
    if (m_queue.empty()) {
        nextMessage(); // QUIT
        return;
    }
    // RSET between messages (RFC 5321 §4.1.1.5): start each transaction from a known-clean state.
    m_pending.clear();
    if (pipelining() && checkEnvelope(m_queue.front(), m_caps) == MessageResult::Refusal::None) {
        // RFC 2920 §3.1: RSET may lead the next command group, saving a round trip per message. Only
        // when the next message will really be sent, so the group never ends in a QUIT.
        send(command::rset());
        m_pending.push_back(Pending::Rset);
        nextMessage();
        return;
    }
    m_state = State::Rset;
    send(command::rset());
}

void Session::onRset(const Reply &reply)
{
    if (!reply.isPositiveCompletion()) {
        fail(SessionError::ResetRejected, reply);
        return;
    }
    nextMessage();
}

void Session::onQuit(const Reply &)
{
    m_state = State::Done;
}

void Session::finishMessage(MessageResult::Outcome outcome)
{
    m_result.outcome = outcome;
    m_results.append(std::move(m_result));
    m_result = MessageResult{};
    m_current.reset();
}

} // namespace tern::smtp
