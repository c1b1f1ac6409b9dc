// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/failure.h"

#include "imap/imapclient.h"
#include "pop3/pop3client.h"
#include "smtp/smtpclient.h"
#include "sync/connectionsettings.h"

#include <QStringList>

namespace tern::sync {

namespace {

Failure make(Failure::Kind kind, const QString &message, const QString &serverText = {})
{
    return Failure{kind, message, serverText};
}

// What went wrong, whatever the protocol: each protocol maps its own session error to one of these, and the
// one-line messages of the tern-cli contract are worded once, below.
enum class Reason {
    AuthenticationFailed, SaslFailed, NoSafeMechanism, TlsNotOffered, TlsRefused, TlsFailed, Timeout,
    SessionRefused, Malformed, Lost
};

Failure describe(Reason reason, const QString &where, const QString &text, const QString &startTls,
                 const QString &responseWord)
{
    switch (reason) {
    case Reason::AuthenticationFailed:
        return make(Failure::Kind::Authentication, QStringLiteral("authentication failed: server said %1").arg(text), text);
    case Reason::SaslFailed:
        return make(Failure::Kind::Authentication, QStringLiteral("authentication failed: %1 sent an invalid SASL reply").arg(where));
    case Reason::NoSafeMechanism:
        return make(Failure::Kind::Authentication,
                    QStringLiteral("authentication failed: %1 offers no login method that is safe here").arg(where));
    case Reason::TlsNotOffered:
        return make(Failure::Kind::Tls, QStringLiteral("TLS required but %1 does not offer %2").arg(where, startTls));
    case Reason::TlsRefused:
        return make(Failure::Kind::Tls, QStringLiteral("%1 refused %2: server said %3").arg(where, startTls, text), text);
    case Reason::TlsFailed:
        return make(Failure::Kind::Tls, QStringLiteral("TLS handshake with %1 failed").arg(where));
    case Reason::Timeout:
        return make(Failure::Kind::Timeout, QStringLiteral("%1 stopped answering").arg(where));
    case Reason::SessionRefused:
        return make(Failure::Kind::Connection, QStringLiteral("%1 refused the session: server said %2").arg(where, text), text);
    case Reason::Malformed:
        return make(Failure::Kind::Protocol, QStringLiteral("%1 sent a malformed or oversized %2").arg(where, responseWord));
    case Reason::Lost:
        break;
    }
    return make(Failure::Kind::Connection, QStringLiteral("connection to %1 failed or was lost").arg(where));
}

Reason reasonOf(pop3::SessionError e)
{
    using pop3::SessionError;
    switch (e) {
    case SessionError::AuthenticationFailed: return Reason::AuthenticationFailed;
    case SessionError::SaslFailed: return Reason::SaslFailed;
    case SessionError::AuthenticationUnavailable: return Reason::NoSafeMechanism;
    case SessionError::TlsRequiredButNotOffered: return Reason::TlsNotOffered;
    case SessionError::StlsRefused: return Reason::TlsRefused;
    case SessionError::TlsFailed: return Reason::TlsFailed;
    case SessionError::Timeout: return Reason::Timeout;
    case SessionError::GreetingRejected: return Reason::SessionRefused;
    case SessionError::MalformedResponse:
    case SessionError::ResponseTooLong:
    case SessionError::MessageTooLarge: return Reason::Malformed;
    default: return Reason::Lost;
    }
}

Reason reasonOf(smtp::SessionError e)
{
    using smtp::SessionError;
    switch (e) {
    case SessionError::AuthenticationFailed: return Reason::AuthenticationFailed;
    case SessionError::SaslFailed: return Reason::SaslFailed;
    case SessionError::AuthenticationUnavailable: return Reason::NoSafeMechanism;
    case SessionError::TlsRequiredButNotOffered: return Reason::TlsNotOffered;
    case SessionError::StartTlsRefused: return Reason::TlsRefused;
    case SessionError::TlsFailed: return Reason::TlsFailed;
    case SessionError::Timeout: return Reason::Timeout;
    case SessionError::GreetingRejected:
    case SessionError::HelloRejected:
    case SessionError::ServiceClosing: return Reason::SessionRefused;
    case SessionError::MalformedReply:
    case SessionError::ReplyTooLong: return Reason::Malformed;
    default: return Reason::Lost;
    }
}

Reason reasonOf(imap::ImapClient::Error e, imap::Session::Error session)
{
    using Error = imap::ImapClient::Error;
    using imap::Session;
    switch (e) {
    case Error::AuthenticationFailed: return Reason::AuthenticationFailed;
    case Error::Sasl: return Reason::SaslFailed;
    case Error::NoMechanism: return Reason::NoSafeMechanism;
    case Error::TlsHandshake: return Reason::TlsFailed;
    case Error::Timeout: return Reason::Timeout;
    case Error::Session:
        break;
    default: return Reason::Lost;
    }
    switch (session) {
    // PREAUTH on cleartext (SECURITY.md T3): the server never let STARTTLS happen.
    case Session::Error::TlsUnavailable:
    case Session::Error::PreauthWithoutTls: return Reason::TlsNotOffered;
    case Session::Error::StartTlsRefused: return Reason::TlsRefused;
    case Session::Error::LoginDisabled: return Reason::NoSafeMechanism;
    case Session::Error::GreetingBye: return Reason::SessionRefused;
    case Session::Error::ParseError:
    case Session::Error::ProtocolError: return Reason::Malformed;
    default: return Reason::Lost;
    }
}

} // namespace

Failure pop3Failure(const pop3::Pop3Client &client, const QString &where)
{
    using pop3::SessionError;
    const SessionError e = client.error();
    if (e == SessionError::None)
        return {};
    if (const auto cert = client.certificateInfo())
        return make(Failure::Kind::Certificate, certificateMessage(*cert));
    const QString text = client.errorResponse() ? QString::fromUtf8(client.errorResponse()->text) : QString();
    return describe(reasonOf(e), where, text, QStringLiteral("STLS"), QStringLiteral("response"));
}

Failure smtpFailure(const smtp::SmtpClient &client, const QString &where)
{
    using smtp::SessionError;
    const SessionError e = client.error();
    if (e == SessionError::None)
        return {};
    if (const auto cert = client.certificateInfo())
        return make(Failure::Kind::Certificate, certificateMessage(*cert));
    QString text;
    if (const auto reply = client.errorReply()) {
        QStringList lines;
        for (const QByteArray &line : reply->lines)
            lines.append(QString::fromUtf8(line));
        text = QStringLiteral("%1 %2").arg(reply->code).arg(lines.join(QLatin1Char(' ')));
    }
    return describe(reasonOf(e), where, text, QStringLiteral("STARTTLS"), QStringLiteral("reply"));
}

Failure imapFailure(const imap::ImapClient &client, const QString &where)
{
    using Error = imap::ImapClient::Error;
    const Error e = client.error();
    if (e == Error::None)
        return {};
    if (const auto cert = client.certificateInfo(); cert && e == Error::Certificate)
        return make(Failure::Kind::Certificate, certificateMessage(*cert));
    // The failing command's text (a NO to LOGIN, a refused STARTTLS), or the BYE that closed the session.
    QString text = QString::fromUtf8(client.lastResult().text);
    if (e == Error::Session && !client.closeText().isEmpty())
        text = QString::fromUtf8(client.closeText());
    return describe(reasonOf(e, client.sessionError()), where, text, QStringLiteral("STARTTLS"),
                    QStringLiteral("response"));
}

} // namespace tern::sync
