// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/accountcheck.h"

#include "diagnostics/protocolsink.h"
#include "diagnostics/tracelog.h"

#include "imap/imapclient.h"
#include "pop3/pop3client.h"
#include "sasl/mechanism.h"
#include "smtp/smtpclient.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"

namespace tern::sync {

namespace {

AccountCheck::Error errorFor(Failure::Kind kind)
{
    switch (kind) {
    case Failure::Kind::None:
        return AccountCheck::Error::None;
    case Failure::Kind::Certificate:
        return AccountCheck::Error::Certificate;
    case Failure::Kind::Tls:
        return AccountCheck::Error::Tls;
    case Failure::Kind::Connection:
        return AccountCheck::Error::Connection;
    case Failure::Kind::Authentication:
        return AccountCheck::Error::Authentication;
    case Failure::Kind::Protocol:
        return AccountCheck::Error::Protocol;
    case Failure::Kind::Timeout:
        return AccountCheck::Error::Timeout;
    }
    return AccountCheck::Error::Connection;
}

QString address(const accounts::Server &server)
{
    return QStringLiteral("%1:%2").arg(server.host).arg(server.port);
}

// How the session logged in, from its redacted trace: "AUTH <mechanism> ***" or "USER name".
QString loginFrom(const QByteArray &sentText)
{
    if (sentText.startsWith("AUTH "))
        return QString::fromLatin1(sentText.mid(5).split(' ').value(0));
    if (sentText.startsWith("USER "))
        return QStringLiteral("USER/PASS");
    return {};
}

} // namespace

AccountCheck::AccountCheck(accounts::Account account, QByteArray incomingSecret, QByteArray smtpSecret, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_incomingSecret(std::move(incomingSecret))
    , m_smtpSecret(std::move(smtpSecret))
{
}

AccountCheck::~AccountCheck() = default;

void AccountCheck::start()
{
    if (m_account.incomingProtocol == accounts::IncomingProtocol::Imap)
        startImap();
    else
        startIncoming();
}

void AccountCheck::startIncoming()
{
    m_current = ServerReport{QStringLiteral("incoming"), address(m_account.incoming), {}, {}, {}, {}};
    m_pop3 = new pop3::Pop3Client(pop3Config(m_account, m_incomingSecret), this);
    m_pop3->setServer(m_account.incoming.host, m_account.incoming.port);
    m_pop3->setTlsPolicy(tlsPolicy(m_account));
    m_pop3->setTimeout(m_timeoutMs);
    beginTrace(QStringLiteral("POP3"), m_current.address);
    m_pop3->setTraceSink([this, log = diagnostics::sinkFor(m_traceLog, m_traceSession)](const protocols::TraceEntry &e) {
        if (log)
            log(e);
        if (e.direction == protocols::TraceEntry::Direction::Sent && m_current.login.isEmpty())
            m_current.login = loginFrom(e.text);
    });
    connect(m_pop3, &pop3::Pop3Client::loggedIn, this, [this] {
        m_current.tls = tlsDescription(m_pop3->tlsSession());
        for (const QByteArray &line : m_pop3->capabilities()) {
            m_current.capabilities.append(QString::fromLatin1(line));
            if (line.toUpper().startsWith("SASL "))
                m_current.mechanisms = QString::fromLatin1(line.mid(5)).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        }
        m_pop3->quit();
    });
    connect(m_pop3, &pop3::Pop3Client::finished, this, &AccountCheck::incomingFinished);
    m_pop3->start();
}

void AccountCheck::incomingFinished()
{
    const Failure failure = pop3Failure(*m_pop3, m_current.address);
    endTrace(m_current.tls, m_current.capabilities, failure.message);
    if (failure.kind != Failure::Kind::None) {
        fail(errorFor(failure.kind), failure.message, failure.serverText);
        finish();
        return;
    }
    m_reports.append(m_current);
    startSmtp();
}

void AccountCheck::startImap()
{
    using imap::Session;
    m_current = ServerReport{QStringLiteral("incoming"), address(m_account.incoming), {}, {}, {}, {}};
    m_imap = newImapClient(m_account, m_incomingSecret, m_timeoutMs, this);
    // The mechanisms are offered before login (RFC 3501 §6.2.2: AUTH= capabilities); servers drop them after.
    connect(m_imap, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        if (e.kind != Session::Event::Kind::Ready)
            return;
        m_current.mechanisms.clear();
        for (const QByteArray &cap : m_imap->session().capabilities()) {
            if (cap.startsWith("AUTH="))
                m_current.mechanisms.append(QString::fromLatin1(cap.mid(5)));
        }
    });
    connect(m_imap, &imap::ImapClient::loggedIn, this, [this] {
        m_current.tls = tlsDescription(m_imap->tlsSession());
        for (const QByteArray &cap : m_imap->session().capabilities())
            m_current.capabilities.append(QString::fromLatin1(cap));
        const auto mechanism = m_imap->mechanism();
        m_current.login = mechanism ? QString::fromLatin1(sasl::mechanismName(*mechanism)) : QStringLiteral("LOGIN");
        m_imap->logout();
    });
    connect(m_imap, &imap::ImapClient::finished, this, &AccountCheck::imapFinished);
    m_imap->start();
}

void AccountCheck::imapFinished()
{
    const Failure failure = imapFailure(*m_imap, m_current.address);
    if (failure.kind != Failure::Kind::None) {
        fail(errorFor(failure.kind), failure.message, failure.serverText);
        finish();
        return;
    }
    if (!m_imap->isLoggedIn()) {
        fail(Error::Connection, QStringLiteral("connection to %1 ended before login").arg(m_current.address));
        finish();
        return;
    }
    m_reports.append(m_current);
    startSmtp();
}

void AccountCheck::startSmtp()
{
    m_current = ServerReport{QStringLiteral("smtp"), address(m_account.smtp), {}, {}, {}, {}};
    m_smtp = new smtp::SmtpClient(smtpConfig(m_account, m_smtpSecret), this);
    m_smtp->setServer(m_account.smtp.host, m_account.smtp.port);
    m_smtp->setTlsPolicy(tlsPolicy(m_account));
    m_smtp->setTimeout(m_timeoutMs);
    // SmtpClient keeps its EHLO capabilities to itself; the trace carries the reply (RFC 5321 §4.1.1.1), and
    // the last one read wins: after STARTTLS the list is read again (RFC 3207 §4.2).
    auto afterEhlo = std::make_shared<bool>(false);
    beginTrace(QStringLiteral("SMTP"), m_current.address);
    m_smtp->setTraceSink([this, afterEhlo, log = diagnostics::sinkFor(m_traceLog, m_traceSession)](
                             const protocols::TraceEntry &e) {
        using Direction = protocols::TraceEntry::Direction;
        if (log)
            log(e);
        if (e.direction == Direction::Sent) {
            *afterEhlo = e.text.startsWith("EHLO ");
        } else if (e.direction == Direction::Received && *afterEhlo) {
            *afterEhlo = false;
            m_current.capabilities.clear();
            m_current.mechanisms.clear();
            const QList<QByteArray> lines = e.text.split('\n');
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QString keyword = QString::fromLatin1(lines.at(i).mid(4));
                m_current.capabilities.append(keyword);
                if (keyword.startsWith(QLatin1StringView("AUTH "), Qt::CaseInsensitive))
                    m_current.mechanisms = keyword.mid(5).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            }
        } else if (e.direction == Direction::Event && e.text.startsWith("authenticated with ")) {
            m_current.login = QString::fromLatin1(e.text.mid(19));
        }
    });
    connect(m_smtp, &smtp::SmtpClient::finished, this, &AccountCheck::smtpFinished);
    m_smtp->start();
}

void AccountCheck::smtpFinished()
{
    const Failure failure = smtpFailure(*m_smtp, m_current.address);
    if (failure.kind != Failure::Kind::None) {
        fail(errorFor(failure.kind), failure.message, failure.serverText);
    } else {
        m_current.tls = tlsDescription(m_smtp->tlsSession());
        m_reports.append(m_current);
    }
    endTrace(tlsDescription(m_smtp->tlsSession()), m_current.capabilities, failure.message);
    finish();
}

void AccountCheck::beginTrace(const QString &protocol, const QString &server)
{
    m_traceSession = m_traceLog ? m_traceLog->beginSession(m_account.name, protocol, server) : 0;
}

void AccountCheck::endTrace(const QString &tls, const QStringList &capabilities, const QString &outcome)
{
    if (!m_traceLog || !m_traceSession)
        return;
    if (!tls.isEmpty())
        m_traceLog->setTls(m_traceSession, tls);
    m_traceLog->setCapabilities(m_traceSession, capabilities);
    m_traceLog->endSession(m_traceSession, outcome);
    m_traceSession = 0;
}

void AccountCheck::fail(Error error, const QString &message, const QString &serverText)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
    m_serverText = serverText;
}

void AccountCheck::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_incomingSecret.fill('\0');
    m_smtpSecret.fill('\0');
    QMetaObject::invokeMethod(this, &AccountCheck::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
