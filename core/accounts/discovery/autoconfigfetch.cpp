// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/autoconfigfetch.h"

#include "accounts/discovery/autoconfigparser.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrlQuery>

namespace tern::accounts {

AutoconfigFetch::AutoconfigFetch(DiscoverySource source, QString address, DiscoverySettings settings, QObject *parent)
    : QObject(parent)
    , m_source(source)
    , m_address(std::move(address))
    , m_settings(std::move(settings))
    , m_url(urlFor(source, m_address))
{
}

QUrl AutoconfigFetch::urlFor(DiscoverySource source, const QString &address)
{
    QString local;
    QString domain;
    if (!splitAddress(address, &local, &domain))
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    if (source == DiscoverySource::AutoconfigHost) {
        // Thunderbird's autoconfig protocol: the address lets a host serve per-user settings.
        url.setHost(QStringLiteral("autoconfig.") + domain);
        url.setPath(QStringLiteral("/mail/config-v1.1.xml"));
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("emailaddress"), address.trimmed());
        url.setQuery(query);
    } else {
        url.setHost(domain);
        url.setPath(QStringLiteral("/.well-known/autoconfig/mail/config-v1.1.xml"));
    }
    return url;
}

void AutoconfigFetch::start()
{
    if (!m_url.isValid()) {
        finish(QStringLiteral("not an e-mail address"));
        return;
    }
    const AutoconfigParser::Limits limits;
    m_manager = new QNetworkAccessManager(this);
    if (!m_settings.hostOverrides.isEmpty())
        m_manager->setProxy(QNetworkProxy::NoProxy); // an override means "exactly there"

    const QString host = m_url.host();
    QUrl target = m_url;
    target.setHost(m_settings.connectHost(host));
    target.setPort(m_settings.httpsPort == 443 ? -1 : m_settings.httpsPort);

    QNetworkRequest request(target);
    request.setPeerVerifyName(host); // RFC 6125: the name we meant, whatever address we connect to
    request.setRawHeader("Host", host.toLatin1());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(m_settings.timeoutMs);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!m_settings.caCertificates.isEmpty())
        ssl.addCaCertificates(m_settings.caCertificates);
    request.setSslConfiguration(ssl);

    m_reply = m_manager->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this, limits] {
        const qint64 length = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (length > limits.maxBytes) {
            m_error = QStringLiteral("the document is larger than %1 bytes").arg(limits.maxBytes);
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::readyRead, this, [this, limits] {
        m_body += m_reply->read(limits.maxBytes + 1 - m_body.size());
        if (m_body.size() > limits.maxBytes) {
            m_error = QStringLiteral("the document is larger than %1 bytes").arg(limits.maxBytes);
            m_reply->abort();
        }
    });
    connect(m_reply, &QNetworkReply::finished, this, &AutoconfigFetch::replyFinished);
}

void AutoconfigFetch::replyFinished()
{
    m_reply->deleteLater();
    if (!m_error.isEmpty()) {
        finish(m_error);
        return;
    }
    if (m_reply->error() != QNetworkReply::NoError) {
        finish(m_reply->errorString());
        return;
    }
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        finish(QStringLiteral("HTTP status %1").arg(status));
        return;
    }
    m_body += m_reply->readAll();
    AutoconfigParser parser(m_address);
    if (!parser.parse(m_body)) {
        finish(parser.error());
        return;
    }
    QString local;
    QString domain;
    splitAddress(m_address, &local, &domain);
    // A document may describe several providers; the one for this domain, else the first.
    ProviderConfig chosen = parser.providers().first();
    for (const ProviderConfig &p : parser.providers()) {
        if (p.domains.contains(domain)) {
            chosen = p;
            break;
        }
    }
    DiscoveredConfig config;
    config.source = m_source;
    config.origin = m_url.toString();
    config.providerName = chosen.displayName;
    config.verified = true; // HTTPS with a certificate valid for the host we asked
    config.incoming = chosen.incoming;
    config.outgoing = chosen.outgoing;
    if (config.incoming.isEmpty() && config.outgoing.isEmpty()) {
        finish(QStringLiteral("the document names no IMAP, POP3 or SMTP server"));
        return;
    }
    m_result = config;
    finish();
}

void AutoconfigFetch::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    QMetaObject::invokeMethod(this, &AutoconfigFetch::finished, Qt::QueuedConnection);
}

} // namespace tern::accounts
