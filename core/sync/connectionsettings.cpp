// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/connectionsettings.h"
#include "sync/tlspreload.h"

#include "sasl/mechanism.h"

namespace tern::sync {

pop3::SessionConfig pop3Config(const accounts::Account &account, const QByteArray &secret)
{
    pop3::SessionConfig config;
    switch (account.incoming.security) {
    case accounts::Security::Tls:
        config.security = pop3::Security::ImplicitTls;
        break;
    case accounts::Security::StartTls:
        config.security = pop3::Security::Stls;
        break;
    case accounts::Security::None:
        config.security = pop3::Security::Cleartext;
        config.allowPlaintextPasswordOverCleartext = true;
        break;
    }
    config.credentials.username = account.incoming.user;
    config.credentials.password = QString::fromUtf8(secret);
    return config;
}

smtp::SessionConfig smtpConfig(const accounts::Account &account, const QByteArray &secret)
{
    smtp::SessionConfig config;
    switch (account.smtp.security) {
    case accounts::Security::Tls:
        config.security = smtp::Security::ImplicitTls;
        break;
    case accounts::Security::StartTls:
        config.security = smtp::Security::StartTls;
        break;
    case accounts::Security::None:
        config.security = smtp::Security::Cleartext;
        config.allowPlaintextPasswordOverCleartext = true;
        break;
    }
    sasl::Credentials credentials;
    credentials.username = account.smtp.user;
    credentials.password = QString::fromUtf8(secret);
    config.credentials = credentials;
    return config;
}

imap::ImapClient::Config imapConfig(const accounts::Account &account, const QByteArray &secret)
{
    imap::ImapClient::Config config;
    switch (account.incoming.security) {
    case accounts::Security::Tls:
        config.security = imap::ImapClient::Security::ImplicitTls;
        break;
    case accounts::Security::StartTls:
        config.security = imap::ImapClient::Security::StartTls;
        break;
    case accounts::Security::None:
        config.security = imap::ImapClient::Security::Cleartext;
        config.allowPlaintextPasswordOverCleartext = true;
        break;
    }
    config.credentials.username = account.incoming.user;
    config.credentials.password = QString::fromUtf8(secret);
    // The account may pin a mechanism (issue 6: "auth mechanism or automatic").
    if (!account.incoming.authMechanism.isEmpty())
        config.forcedMechanism = sasl::mechanismFromName(account.incoming.authMechanism.toLatin1());
    return config;
}

imap::ImapClient *newImapClient(const accounts::Account &account, const QByteArray &secret, int timeoutMs,
                                QObject *parent)
{
    auto *client = new imap::ImapClient(imapConfig(account, secret), parent);
    client->setServer(account.incoming.host, account.incoming.port);
    client->setTlsPolicy(tlsPolicy(account));
    client->setTimeout(timeoutMs);
    return client;
}

protocols::TlsPolicy tlsPolicy(const accounts::Account &account)
{
    protocols::TlsPolicy policy;
    if (!account.caFile.isEmpty())
        policy.extraCaCertificates = QSslCertificate::fromPath(account.caFile, QSsl::Pem);
    for (const accounts::CertificatePin &pin : account.pinnedCertificates)
        policy.pins.append({pin.host, pin.port, pin.sha256});
    return policy;
}

QString certificateMessage(const protocols::CertificateInfo &certificate)
{
    return QStringLiteral("TLS certificate not trusted: %1, SHA-256 %2")
        .arg(certificate.subject, QString::fromLatin1(certificate.sha256Fingerprint.toHex(':')));
}

QString tlsDescription(const protocols::TlsSessionInfo &tls)
{
    if (!tls.encrypted)
        return QStringLiteral("no TLS");
    QString version;
    switch (tls.protocol) {
    case QSsl::TlsV1_2:
        version = QStringLiteral("TLSv1.2");
        break;
    case QSsl::TlsV1_3:
        version = QStringLiteral("TLSv1.3");
        break;
    default:
        version = QStringLiteral("TLS (protocol %1)").arg(int(tls.protocol));
        break;
    }
    return tls.cipher.isEmpty() ? version : version + QLatin1Char(' ') + tls.cipher;
}

void preloadTls()
{
    protocols::Connection::preloadTls();
}

} // namespace tern::sync
