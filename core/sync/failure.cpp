// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/failure.h"

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

Failure authFailed(const QString &text)
{
    return make(Failure::Kind::Authentication, QStringLiteral("authentication failed: server said %1").arg(text), text);
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
    switch (e) {
    case SessionError::AuthenticationFailed:
        return authFailed(text);
    case SessionError::SaslFailed:
        return make(Failure::Kind::Authentication, QStringLiteral("authentication failed: %1 sent an invalid SASL reply").arg(where));
    case SessionError::AuthenticationUnavailable:
        return make(Failure::Kind::Authentication,
                    QStringLiteral("authentication failed: %1 offers no login method that is safe here").arg(where));
    case SessionError::TlsRequiredButNotOffered:
        return make(Failure::Kind::Tls, QStringLiteral("TLS required but %1 does not offer STLS").arg(where));
    case SessionError::StlsRefused:
        return make(Failure::Kind::Tls, QStringLiteral("%1 refused STLS: server said %2").arg(where, text), text);
    case SessionError::TlsFailed:
        return make(Failure::Kind::Tls, QStringLiteral("TLS handshake with %1 failed").arg(where));
    case SessionError::Timeout:
        return make(Failure::Kind::Timeout, QStringLiteral("%1 stopped answering").arg(where));
    case SessionError::GreetingRejected:
        return make(Failure::Kind::Connection, QStringLiteral("%1 refused the session: server said %2").arg(where, text), text);
    case SessionError::MalformedResponse:
    case SessionError::ResponseTooLong:
    case SessionError::MessageTooLarge:
        return make(Failure::Kind::Protocol, QStringLiteral("%1 sent a malformed or oversized response").arg(where));
    default:
        return make(Failure::Kind::Connection, QStringLiteral("connection to %1 failed or was lost").arg(where));
    }
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
    switch (e) {
    case SessionError::AuthenticationFailed:
        return authFailed(text);
    case SessionError::SaslFailed:
        return make(Failure::Kind::Authentication, QStringLiteral("authentication failed: %1 sent an invalid SASL reply").arg(where));
    case SessionError::AuthenticationUnavailable:
        return make(Failure::Kind::Authentication,
                    QStringLiteral("authentication failed: %1 offers no login method that is safe here").arg(where));
    case SessionError::TlsRequiredButNotOffered:
        return make(Failure::Kind::Tls, QStringLiteral("TLS required but %1 does not offer STARTTLS").arg(where));
    case SessionError::StartTlsRefused:
        return make(Failure::Kind::Tls, QStringLiteral("%1 refused STARTTLS: server said %2").arg(where, text), text);
    case SessionError::TlsFailed:
        return make(Failure::Kind::Tls, QStringLiteral("TLS handshake with %1 failed").arg(where));
    case SessionError::Timeout:
        return make(Failure::Kind::Timeout, QStringLiteral("%1 stopped answering").arg(where));
    case SessionError::GreetingRejected:
    case SessionError::HelloRejected:
    case SessionError::ServiceClosing:
        return make(Failure::Kind::Connection, QStringLiteral("%1 refused the session: server said %2").arg(where, text), text);
    case SessionError::MalformedReply:
    case SessionError::ReplyTooLong:
        return make(Failure::Kind::Protocol, QStringLiteral("%1 sent a malformed or oversized reply").arg(where));
    default:
        return make(Failure::Kind::Connection, QStringLiteral("connection to %1 failed or was lost").arg(where));
    }
}

} // namespace tern::sync
