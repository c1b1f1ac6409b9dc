// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/certificateprobe.h"

#include "imap/imapclient.h"
#include "pop3/pop3client.h"
#include "smtp/smtpclient.h"
#include "sync/connectionsettings.h"

namespace tern::sync {

namespace {

CertificateDetails detailsFrom(const protocols::CertificateInfo &info, const accounts::Server &server)
{
    CertificateDetails d;
    d.host = server.host;
    d.port = server.port;
    d.subject = info.subject;
    d.issuer = info.issuer;
    d.sha256 = info.sha256Fingerprint;
    d.effectiveDate = info.effectiveDate;
    d.expiryDate = info.expiryDate;
    for (QSslError::SslError e : info.errors)
        d.problems << QSslError(e, info.certificate).errorString();
    d.pem = info.certificate.toPem();
    return d;
}

imap::ImapClient::Security imapSecurity(accounts::Security security)
{
    switch (security) {
    case accounts::Security::Tls: return imap::ImapClient::Security::ImplicitTls;
    case accounts::Security::StartTls: return imap::ImapClient::Security::StartTls;
    case accounts::Security::None: return imap::ImapClient::Security::Cleartext;
    }
    return imap::ImapClient::Security::ImplicitTls;
}

} // namespace

CertificateProbe::CertificateProbe(accounts::Account account, Role role, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_role(role)
{
}

void CertificateProbe::start()
{
    const accounts::Server server = m_role == Role::Smtp ? m_account.smtp : m_account.incoming;
    // Each client reports the certificate that failed validation; the probe only keeps it.
    auto keep = [this, server](auto *client) {
        connect(client, &std::remove_pointer_t<decltype(client)>::finished, this, [this, client, server] {
            if (const auto info = client->certificateInfo())
                m_certificate = detailsFrom(*info, server);
            client->deleteLater();
            Q_EMIT finished();
        });
        client->setServer(server.host, server.port);
        client->setTlsPolicy(tlsPolicy(m_account));
        client->setTimeout(m_timeoutMs);
        client->start();
    };
    if (m_role == Role::Smtp) {
        keep(new smtp::SmtpClient(smtpConfig(m_account, {}), this));
    } else if (m_account.incomingProtocol == accounts::IncomingProtocol::Pop3) {
        keep(new pop3::Pop3Client(pop3Config(m_account, {}), this));
    } else {
        imap::ImapClient::Config config;
        config.security = imapSecurity(server.security);
        config.credentials.username = server.user;
        keep(new imap::ImapClient(config, this));
    }
}

} // namespace tern::sync
