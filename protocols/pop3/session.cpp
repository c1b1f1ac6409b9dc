// SPDX-License-Identifier: GPL-3.0-or-later
#include "pop3/session.h"

#include "sasl/crypto.h"

namespace tern::pop3 {

namespace {

// "a b" -> {a, b} as numbers; false when either is not a plain non-negative number.
bool twoNumbers(const QByteArray &text, qint64 &a, qint64 &b)
{
    const QList<QByteArray> words = text.simplified().split(' ');
    if (words.size() < 2)
        return false;
    bool okA = false, okB = false;
    a = words.at(0).toLongLong(&okA);
    b = words.at(1).toLongLong(&okB);
    return okA && okB && a >= 0 && b >= 0;
}

// unique-id, RFC 1939 §7: 1-70 characters in 0x21..0x7E.
bool isValidUid(const QByteArray &uid)
{
    if (uid.isEmpty() || uid.size() > 70)
        return false;
    for (char c : uid) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace

Session::Session(SessionConfig config)
    : m_config(std::move(config))
    , m_parser(64 * 1024, m_config.maxMessageSize + 64 * 1024)
{
}

Session::~Session() = default;

void Session::connected(bool encrypted)
{
    m_tlsActive = encrypted;
    if (m_config.security == Security::ImplicitTls && !encrypted) {
        fail(SessionError::TlsFailed);
        return;
    }
    m_state = State::Greeting;
    m_parser.expect(ResponseKind::SingleLine);
}

void Session::receive(QByteArrayView bytes)
{
    if (isFinished())
        return;
    if (m_state == State::TlsHandshake) {
        m_trace.event("discarded " + QByteArray::number(bytes.size()) + " bytes received before TLS");
        return;
    }
    m_parser.feed(bytes);
    while (!isFinished() && m_state != State::TlsHandshake) {
        std::optional<Response> r = m_parser.next();
        if (!r)
            break;
        QByteArray traced = r->status == Response::Status::Ok ? "+OK " : r->status == Response::Status::Err ? "-ERR " : "+ ";
        traced += r->status == Response::Status::Continuation ? QByteArray("<challenge>") : r->text;
        if (!r->body.isEmpty())
            traced += " <" + QByteArray::number(r->body.size()) + " bytes>";
        m_trace.received(traced);
        handle(*r);
    }
    if (isFinished() || m_state == State::TlsHandshake)
        return;
    switch (m_parser.error()) {
    case ResponseParser::Error::None:
        break;
    case ResponseParser::Error::LineTooLong:
        fail(SessionError::ResponseTooLong);
        break;
    case ResponseParser::Error::BodyTooLarge:
        fail(SessionError::MessageTooLarge);
        break;
    default:
        fail(SessionError::MalformedResponse);
        break;
    }
}

void Session::tlsEstablished()
{
    if (m_state != State::TlsHandshake)
        return;
    m_tlsActive = true;
    m_parser.clear();
    m_caps.clear(); // RFC 2595 §4: capabilities from before TLS are forgotten
    m_trace.event("TLS established");
    m_state = State::Capa;
    send(command::capa());
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
    fail(SessionError::ConnectionLost);
}

void Session::timedOut()
{
    if (isFinished())
        return;
    fail(SessionError::Timeout);
}

void Session::enqueue(const Request &request)
{
    m_queue.push_back(request);
    if (m_state == State::Transaction)
        pumpRequests();
}

void Session::quit()
{
    m_quitRequested = true;
    if (m_state == State::Transaction)
        pumpRequests();
}

QByteArray Session::takeOutgoing()
{
    return std::exchange(m_out, QByteArray());
}

QList<Result> Session::takeResults()
{
    return std::exchange(m_results, {});
}

void Session::send(const Command &command)
{
    m_trace.sent(command.trace);
    m_out += command.bytes;
    m_parser.expect(command.kind);
}

void Session::fail(SessionError error, const std::optional<Response> &response)
{
    m_error = error;
    m_errorResponse = response;
    m_state = State::Failed;
}

bool Session::hasCapability(QByteArrayView name) const
{
    for (const QByteArray &line : m_caps) {
        const QByteArray word = line.split(' ').constFirst();
        if (word.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

void Session::handle(const Response &r)
{
    switch (m_state) {
    case State::Greeting: onGreeting(r); break;
    case State::Capa: onCapa(r); break;
    case State::Stls: onStls(r); break;
    case State::Auth: onAuth(r); break;
    case State::User: onUser(r); break;
    case State::Pass:
    case State::Apop: onPass(r); break;
    case State::Transaction: onTransaction(r); break;
    case State::Quit: m_state = State::Done; break;
    case State::Connecting:
    case State::TlsHandshake:
    case State::Done:
    case State::Failed:
        fail(SessionError::MalformedResponse, r);
        break;
    }
}

void Session::onGreeting(const Response &r)
{
    if (!r.isOk()) {
        fail(SessionError::GreetingRejected, r);
        return;
    }
    m_apopStamp = apopTimestamp(r.text);
    m_state = State::Capa;
    send(command::capa());
}

void Session::onCapa(const Response &r)
{
    // -ERR: a pre-RFC 2449 server. No capabilities known, so no STLS and no SASL.
    m_caps = r.isOk() ? r.bodyLines() : QList<QByteArray>();
    afterCapabilities();
}

void Session::afterCapabilities()
{
    if (m_config.security == Security::Stls && !m_tlsActive) {
        if (!hasCapability("STLS")) {
            fail(SessionError::TlsRequiredButNotOffered); // T1: no USER, PASS or AUTH in cleartext
            return;
        }
        m_state = State::Stls;
        send(command::stls());
        return;
    }
    login();
}

void Session::onStls(const Response &r)
{
    if (!r.isOk()) {
        fail(SessionError::StlsRefused, r); // T5
        return;
    }
    m_parser.clear(); // RFC 2595 §4 / CVE-2011-0411 class: nothing after "+OK" is trusted
    m_state = State::TlsHandshake;
}

void Session::login()
{
    QList<QByteArray> mechanisms;
    for (const QByteArray &line : std::as_const(m_caps)) {
        QList<QByteArray> words = line.simplified().split(' ');
        if (words.constFirst().compare("SASL", Qt::CaseInsensitive) == 0)
            mechanisms = words.mid(1);
    }
    sasl::SelectionPolicy policy;
    policy.credential = m_config.credentialKind;
    policy.encrypted = m_tlsActive;
    policy.allowPlaintextPasswordOverCleartext = m_config.allowPlaintextPasswordOverCleartext;
    policy.forced = m_config.forcedMechanism;
    if (const auto mechanism = sasl::chooseMechanism(mechanisms, policy)) {
        m_auth = sasl::Authenticator::create(*mechanism, m_config.credentials);
        m_state = State::Auth;
        send(command::auth(m_auth->name(), m_auth->initialResponse()));
        return;
    }
    if (m_config.forcedMechanism || m_config.credentialKind != sasl::CredentialKind::Password) {
        fail(SessionError::AuthenticationUnavailable);
        return;
    }
    const QByteArray name = m_config.credentials.username.toUtf8();
    if (m_config.allowApop && !m_apopStamp.isEmpty()) {
        const auto digest = sasl::hash(sasl::HashAlgorithm::Md5, QByteArray(m_apopStamp + m_config.credentials.password.toUtf8()));
        if (!digest) {
            fail(SessionError::SaslFailed);
            return;
        }
        m_state = State::Apop;
        send(command::apop(name, digest->toHex()));
        return;
    }
    if (!m_tlsActive && !m_config.allowPlaintextPasswordOverCleartext) {
        fail(SessionError::AuthenticationUnavailable);
        return;
    }
    m_state = State::User;
    send(command::user(name));
}

void Session::onAuth(const Response &r)
{
    if (r.status == Response::Status::Continuation && !m_authCancelled) {
        const auto challenge = QByteArray::fromBase64Encoding(r.text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        std::optional<QByteArray> answer;
        if (challenge)
            answer = m_auth->respond(challenge.decoded);
        if (!answer) {
            m_saslError = challenge ? m_auth->error() : sasl::Error::MalformedChallenge;
            m_authCancelled = true;
            m_trace.sent("*");
            m_out += "*\r\n"; // RFC 5034 §4: the server answers -ERR
            return;
        }
        m_trace.sent(protocols::Trace::redacted());
        m_out += answer->toBase64() + "\r\n";
        return;
    }
    if (m_authCancelled) {
        fail(SessionError::SaslFailed, r);
        return;
    }
    if (!r.isOk()) {
        fail(SessionError::AuthenticationFailed, r);
        return;
    }
    if (!m_auth->isServerVerified()) {
        m_saslError = sasl::Error::ServerSignatureMismatch;
        fail(SessionError::SaslFailed, r);
        return;
    }
    m_authenticated = true;
    m_state = State::Transaction;
    pumpRequests();
}

void Session::onUser(const Response &r)
{
    if (!r.isOk()) {
        fail(SessionError::AuthenticationFailed, r);
        return;
    }
    m_state = State::Pass;
    send(command::pass(m_config.credentials.password.toUtf8()));
}

void Session::onPass(const Response &r)
{
    if (!r.isOk()) {
        fail(SessionError::AuthenticationFailed, r);
        return;
    }
    m_authenticated = true;
    m_state = State::Transaction;
    pumpRequests();
}

void Session::pumpRequests()
{
    const bool pipelining = m_config.usePipelining && hasCapability("PIPELINING");
    while (!m_queue.empty() && (pipelining || m_inFlight.empty())) {
        const Request req = m_queue.front();
        m_queue.pop_front();
        const bool body = req.kind == Request::Kind::Retr || req.kind == Request::Kind::Top;
        if (body && m_knownSizes.value(req.message, 0) > m_config.maxMessageSize && req.kind == Request::Kind::Retr) {
            // P1: the server said how big it is; refuse before asking for (and buffering) it.
            Result refused;
            refused.request = req;
            refused.status = Result::Status::Refused;
            m_results.append(refused);
            continue;
        }
        switch (req.kind) {
        case Request::Kind::Stat: send(command::stat()); break;
        case Request::Kind::List: send(command::list(req.message)); break;
        case Request::Kind::Uidl: send(command::uidl(req.message)); break;
        case Request::Kind::Top: send(command::top(req.message, req.lines)); break;
        case Request::Kind::Retr: send(command::retr(req.message)); break;
        case Request::Kind::Dele: send(command::dele(req.message)); break;
        case Request::Kind::Rset: send(command::rset()); break;
        case Request::Kind::Noop: send(command::noop()); break;
        }
        m_inFlight.push_back(req);
    }
    if (m_queue.empty() && m_inFlight.empty() && m_quitRequested) {
        m_state = State::Quit;
        send(command::quit());
    }
}

void Session::onTransaction(const Response &r)
{
    if (m_inFlight.empty()) {
        fail(SessionError::MalformedResponse, r);
        return;
    }
    Result result;
    result.request = m_inFlight.front();
    m_inFlight.pop_front();
    result.status = r.isOk() ? Result::Status::Ok : Result::Status::ServerError;
    result.text = r.text;
    result.code = r.code;
    if (r.isOk()) {
        const int n = result.request.message;
        switch (result.request.kind) {
        case Request::Kind::Stat:
            twoNumbers(r.text, result.count, result.size);
            break;
        case Request::Kind::List:
            for (const QByteArray &line : n ? QList<QByteArray>{r.text} : r.bodyLines()) {
                qint64 msg = 0, size = 0;
                if (twoNumbers(line, msg, size) && msg <= std::numeric_limits<int>::max()) {
                    result.sizes.append({int(msg), size});
                    m_knownSizes.insert(int(msg), size);
                }
            }
            if (n && !result.sizes.isEmpty())
                result.size = result.sizes.constFirst().second;
            break;
        case Request::Kind::Uidl:
            for (const QByteArray &line : n ? QList<QByteArray>{r.text} : r.bodyLines()) {
                const QList<QByteArray> words = line.simplified().split(' ');
                bool ok = false;
                const int msg = words.constFirst().toInt(&ok);
                if (ok && words.size() >= 2 && isValidUid(words.at(1)))
                    result.uids.append({msg, words.at(1)});
            }
            break;
        case Request::Kind::Retr:
        case Request::Kind::Top:
            result.message = r.body;
            break;
        case Request::Kind::Dele:
        case Request::Kind::Rset:
        case Request::Kind::Noop:
            break;
        }
    }
    m_results.append(std::move(result));
    pumpRequests();
}

} // namespace tern::pop3
