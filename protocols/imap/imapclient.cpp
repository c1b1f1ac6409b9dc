// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/imapclient.h"

#include "sasl/mechanism.h"

#include <QElapsedTimer>
#include <QTimer>

namespace tern::imap {

using protocols::Connection;
using protocols::ConnectionError;

namespace {

// The shared SASL module (raw bytes, sasl::Authenticator) seen through the session's small interface.
// Shared ownership: the session drops its mechanism when the exchange ends, the client still asks the
// authenticator afterwards whether the server proved itself (SCRAM) and why an exchange failed.
class SaslBridge final : public SaslMechanism
{
public:
    explicit SaslBridge(std::shared_ptr<sasl::Authenticator> auth) : m_auth(std::move(auth)) { }
    QByteArray name() const override { return m_auth->name(); }
    std::optional<QByteArray> initialResponse() override { return m_auth->initialResponse(); }
    std::optional<QByteArray> respond(QByteArrayView challenge) override { return m_auth->respond(challenge); }

private:
    std::shared_ptr<sasl::Authenticator> m_auth;
};

Session::TlsMode tlsMode(ImapClient::Security security)
{
    switch (security) {
    case ImapClient::Security::ImplicitTls:
        return Session::TlsMode::Implicit;
    case ImapClient::Security::StartTls:
        return Session::TlsMode::StartTls;
    case ImapClient::Security::Cleartext:
        break;
    }
    return Session::TlsMode::CleartextAllowed;
}

Session::Options sessionOptions(const ImapClient::Config &config)
{
    Session::Options o;
    o.tls = tlsMode(config.security);
    o.limits = config.limits;
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    o.clock = [clock] { return clock->elapsed(); };
    return o;
}

} // namespace

ImapClient::ImapClient(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_session(sessionOptions(m_config))
    , m_connection(new Connection(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ImapClient::abort);
    // RFC 2177 §3: the session re-issues IDLE before the server's 30-minute limit when asked to tick.
    auto *ticker = new QTimer(this);
    ticker->start(60 * 1000);
    connect(ticker, &QTimer::timeout, this, [this] {
        m_session.tick();
        pump();
    });

    auto activity = [this] {
        if (m_timer->isActive())
            m_timer->start(m_timeoutMs);
    };
    for (auto signal : {&Connection::ready, &Connection::encrypted, &Connection::progress})
        connect(m_connection, signal, m_timer, activity);
    connect(m_connection, &Connection::received, m_timer, activity);

    connect(m_connection, &Connection::ready, this, [this] {
        m_tls = m_connection->tlsSession();
        m_session.trace().event(m_tls.encrypted ? QByteArrayLiteral("connected (TLS)") : QByteArrayLiteral("connected"));
        m_session.connected(m_connection->isEncrypted());
        pump();
    });
    connect(m_connection, &Connection::received, this, [this](const QByteArray &bytes) {
        m_session.receive(bytes);
        pump();
    });
    connect(m_connection, &Connection::encrypted, this, [this] {
        m_tls = m_connection->tlsSession();
        m_session.trace().event(QByteArrayLiteral("TLS established"));
        m_session.tlsEstablished();
        pump();
    });
    connect(m_connection, &Connection::failed, this, [this](ConnectionError error) {
        if (m_connection->certificateInfo())
            fail(Error::Certificate);
        else if (error == ConnectionError::TlsHandshakeFailed)
            fail(Error::TlsHandshake);
        else
            fail(Error::Connection);
        m_session.disconnected();
        pump();
        finish();
    });
    connect(m_connection, &Connection::closed, this, [this] {
        m_session.disconnected();
        pump();
        finish();
    });
}

ImapClient::~ImapClient() = default;

void ImapClient::setServer(const QString &host, quint16 port)
{
    m_host = host;
    m_port = port;
}

void ImapClient::setTlsPolicy(const protocols::TlsPolicy &policy)
{
    m_connection->setTlsPolicy(policy);
}

void ImapClient::start()
{
    m_timer->start(m_timeoutMs);
    m_connection->connectToHost(m_host, m_port, m_config.security == Security::ImplicitTls);
}

void ImapClient::abort()
{
    if (m_finished)
        return;
    m_session.trace().event(QByteArrayLiteral("timeout"));
    fail(Error::Timeout); // before abort(): its closed() must not name another reason
    m_connection->abort();
    finish();
}

void ImapClient::logout()
{
    m_timer->start(m_timeoutMs);
    m_session.logout();
    pump();
}

QByteArray ImapClient::send(Command command)
{
    const QByteArray tag = m_session.send(std::move(command));
    pump();
    return tag;
}

QByteArray ImapClient::select(QByteArrayView mailbox, bool readOnly, const std::optional<commands::QresyncParams> &qresync)
{
    const QByteArray tag = m_session.select(mailbox, readOnly, qresync);
    pump();
    return tag;
}

QByteArray ImapClient::enable(const QList<QByteArray> &capabilities)
{
    const QByteArray tag = m_session.enable(capabilities);
    pump();
    return tag;
}

QByteArray ImapClient::idle()
{
    const QByteArray tag = m_session.idle();
    pump();
    return tag;
}

void ImapClient::stopIdle()
{
    m_session.stopIdle();
    pump();
}

void ImapClient::pump()
{
    if (m_pumping)
        return; // a handler below called into the session: the loop picks its output up
    m_pumping = true;
    for (;;) {
        const QByteArray out = m_session.takeOutgoing();
        if (!out.isEmpty() && !m_finished)
            m_connection->write(out);
        const QList<Session::Event> events = m_session.takeEvents();
        if (events.isEmpty())
            break;
        for (const Session::Event &e : events)
            handle(e);
    }
    m_pumping = false;
}

void ImapClient::handle(const Session::Event &e)
{
    using Kind = Session::Event::Kind;
    switch (e.kind) {
    case Kind::StartTlsHandshake:
        m_connection->startTls();
        return;
    case Kind::Ready:
        authenticate();
        return;
    case Kind::Authenticated:
        // SCRAM: a tagged OK is not enough, the server must have proven it knows the password (RFC 5802 §5.1).
        if (m_auth && !m_auth->isServerVerified()) {
            m_saslError = sasl::Error::ServerSignatureMismatch;
            fail(Error::Sasl);
            m_connection->abort();
            finish();
            return;
        }
        m_auth.reset();
        m_loggedIn = true;
        m_timer->stop();
        Q_EMIT loggedIn();
        return;
    case Kind::CommandFinished:
        if (e.result.error != Session::Error::None || m_lastResult.error == Session::Error::None)
            m_lastResult = e.result;
        if (!m_loggedIn && !m_authTag.isEmpty() && e.result.tag == m_authTag && e.result.error != Session::Error::None) {
            if (m_auth && m_auth->error() != sasl::Error::None) {
                m_saslError = m_auth->error();
                fail(Error::Sasl);
            } else {
                fail(e.result.error == Session::Error::AuthAborted ? Error::Sasl : Error::AuthenticationFailed);
            }
            m_session.logout(); // politely; finished() follows the server's answer
        }
        break;
    case Kind::Closed:
        m_sessionError = e.result.error;
        m_closeText = e.result.text;
        if (e.result.error != Session::Error::None)
            fail(Error::Session);
        // After LOGOUT, or T3's lone LOGOUT that pump() wrote, close politely; after a broken stream
        // (an endless line, a bad literal) drop the link at once rather than keep reading.
        if (e.result.error == Session::Error::None || e.result.error == Session::Error::PreauthWithoutTls)
            m_connection->disconnectFromHost();
        else
            m_connection->abort();
        finish();
        break;
    default:
        break;
    }
    Q_EMIT sessionEvent(e);
}

void ImapClient::authenticate()
{
    QList<QByteArray> offered;
    for (const QByteArray &cap : m_session.capabilities()) {
        if (cap.size() > 5 && cap.first(5).compare("AUTH=", Qt::CaseInsensitive) == 0)
            offered.append(cap.mid(5));
    }
    const bool encrypted = m_session.isTlsActive();
    const bool cleartextOk = m_config.security == Security::Cleartext && m_config.allowPlaintextPasswordOverCleartext;
    sasl::SelectionPolicy policy;
    policy.credential = m_config.credentials.oauthToken.isEmpty() ? sasl::CredentialKind::Password
                                                                  : sasl::CredentialKind::OAuthToken;
    policy.encrypted = encrypted;
    policy.allowPlaintextPasswordOverCleartext = cleartextOk;
    policy.forced = m_config.forcedMechanism;

    if (const auto mechanism = sasl::chooseMechanism(offered, policy)) {
        m_mechanism = mechanism;
        m_auth = sasl::Authenticator::create(*mechanism, m_config.credentials);
        m_authTag = m_session.authenticate(std::make_unique<SaslBridge>(m_auth));
        return;
    }
    // RFC 3501 §6.2.3: LOGIN sends the password itself, so it obeys the same rule as PLAIN.
    const bool loginUsable = !m_config.forcedMechanism && policy.credential == sasl::CredentialKind::Password
        && (encrypted || cleartextOk) && !m_session.hasCapability("LOGINDISABLED");
    if (!loginUsable) {
        fail(Error::NoMechanism);
        m_session.logout();
        return;
    }
    m_authTag = m_session.login(m_config.credentials.username.toUtf8(), m_config.credentials.password.toUtf8());
}

void ImapClient::fail(Error error)
{
    if (m_error == Error::None)
        m_error = error;
}

void ImapClient::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer->stop();
    QTimer::singleShot(0, this, &ImapClient::finished);
}

} // namespace tern::imap
