// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/dnsdiscovery.h"

#include <QDnsLookup>
#include <QTimer>

#include <algorithm>

namespace tern::accounts {

namespace {

struct Service
{
    const char *name;
    ServerProtocol protocol;
    Security security;
};

// RFC 6186 §3.1-3.3 and RFC 8314 §5.1: "_imap" and "_pop3" are STARTTLS here (never cleartext: the user
// chooses that by hand); "_submission" likewise.
constexpr Service services[] = {
    {"_imaps._tcp.", ServerProtocol::Imap, Security::Tls},
    {"_imap._tcp.", ServerProtocol::Imap, Security::StartTls},
    {"_pop3s._tcp.", ServerProtocol::Pop3, Security::Tls},
    {"_pop3._tcp.", ServerProtocol::Pop3, Security::StartTls},
    {"_submissions._tcp.", ServerProtocol::Smtp, Security::Tls},
    {"_submission._tcp.", ServerProtocol::Smtp, Security::StartTls},
};

QDnsLookup *makeLookup(QDnsLookup::Type type, const QString &name, const DiscoverySettings &settings, QObject *parent)
{
    auto *lookup = new QDnsLookup(type, name, parent);
    if (!settings.nameserver.isNull())
        lookup->setNameserver(settings.nameserver, settings.nameserverPort);
    return lookup;
}

QString stripDot(QString host)
{
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    return host.toLower();
}

} // namespace

SrvDiscovery::SrvDiscovery(QString address, DiscoverySettings settings, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_settings(std::move(settings))
{
    QString local;
    splitAddress(m_address, &local, &m_domain);
}

QString SrvDiscovery::origin() const
{
    return QStringLiteral("_imaps._tcp.%1, _imap._tcp, _pop3s._tcp, _pop3._tcp, _submissions._tcp, _submission._tcp")
        .arg(m_domain);
}

void SrvDiscovery::start()
{
    if (m_domain.isEmpty()) {
        m_error = QStringLiteral("not an e-mail address");
        QMetaObject::invokeMethod(this, &SrvDiscovery::finished, Qt::QueuedConnection);
        return;
    }
    for (const Service &service : services) {
        const QString name = QLatin1StringView(service.name) + m_domain;
        QDnsLookup *lookup = makeLookup(QDnsLookup::SRV, name, m_settings, this);
        connect(lookup, &QDnsLookup::finished, this, [this, lookup, name] { lookupFinished(lookup, name); });
        ++m_pending;
        lookup->lookup();
    }
}

void SrvDiscovery::lookupFinished(QDnsLookup *lookup, const QString &name)
{
    lookup->deleteLater();
    const Service *service = nullptr;
    for (const Service &s : services) {
        if (name.startsWith(QLatin1StringView(s.name)))
            service = &s;
    }
    if (lookup->error() == QDnsLookup::NoError && service) {
        m_allAuthentic = m_allAuthentic && lookup->isAuthenticData();
        for (const QDnsServiceRecord &record : lookup->serviceRecords()) {
            const QString target = stripDot(record.target());
            // RFC 6186 §4: a target of "." says the service is not offered at this domain.
            if (target.isEmpty() || !isValidHostName(target) || record.port() == 0)
                continue;
            ServerSetting server;
            server.protocol = service->protocol;
            server.host = target;
            server.port = record.port();
            server.security = service->security;
            server.user = m_address.trimmed(); // RFC 6186 §5: the whole address first
            m_found.append({int(record.priority()), server});
        }
    } else if (lookup->error() != QDnsLookup::NotFoundError && m_error.isEmpty()) {
        m_error = lookup->errorString();
    }
    if (--m_pending == 0)
        complete();
}

void SrvDiscovery::complete()
{
    // RFC 6186 §3.4: lower priority first; then implicit TLS before STARTTLS at equal priority (RFC 8314).
    std::stable_sort(m_found.begin(), m_found.end(), [](const auto &a, const auto &b) {
        if (a.second.security != b.second.security)
            return a.second.security == Security::Tls;
        return a.first < b.first;
    });
    DiscoveredConfig config;
    config.source = DiscoverySource::Srv;
    config.origin = origin();
    config.verified = false; // even DNSSEC-signed data is only as good as the resolver we asked
    for (const auto &[priority, server] : m_found)
        (server.protocol == ServerProtocol::Smtp ? config.outgoing : config.incoming).append(server);
    if (!config.incoming.isEmpty() || !config.outgoing.isEmpty()) {
        m_result = config;
        m_error.clear();
    } else if (m_error.isEmpty()) {
        m_error = QStringLiteral("no SRV records");
    }
    Q_EMIT finished();
}

MxDiscovery::MxDiscovery(QString address, DiscoverySettings settings, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_settings(std::move(settings))
{
    QString local;
    splitAddress(m_address, &local, &m_domain);
}

void MxDiscovery::start()
{
    if (m_domain.isEmpty()) {
        m_error = QStringLiteral("not an e-mail address");
        QMetaObject::invokeMethod(this, &MxDiscovery::finished, Qt::QueuedConnection);
        return;
    }
    QDnsLookup *lookup = makeLookup(QDnsLookup::MX, m_domain, m_settings, this);
    connect(lookup, &QDnsLookup::finished, this, [this, lookup] {
        lookup->deleteLater();
        if (lookup->error() != QDnsLookup::NoError) {
            m_error = lookup->errorString();
            Q_EMIT finished();
            return;
        }
        QList<QDnsMailExchangeRecord> records = lookup->mailExchangeRecords();
        // RFC 5321 §5.1: the lowest preference is the primary exchanger.
        std::stable_sort(records.begin(), records.end(), [](const auto &a, const auto &b) {
            return a.preference() < b.preference();
        });
        const ProviderList providers = ProviderList::bundled(m_address);
        for (const QDnsMailExchangeRecord &record : records) {
            const QString host = stripDot(record.exchange());
            if (const auto provider = providers.forMxHost(host)) {
                m_mxHost = host;
                m_result = toDiscoveredConfig(*provider, DiscoverySource::Mx, QStringLiteral("MX %1").arg(host), false);
                break;
            }
        }
        if (!m_result)
            m_error = records.isEmpty() ? QStringLiteral("no MX records")
                                        : QStringLiteral("MX %1 is no provider Tern knows").arg(stripDot(records.first().exchange()));
        Q_EMIT finished();
    });
    lookup->lookup();
}

} // namespace tern::accounts
