// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/providerlist.h"

#include <QFile>

namespace tern::accounts {

ProviderList ProviderList::bundled(const QString &address)
{
    QFile file(QStringLiteral(":/tern/accounts/providers.xml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return fromXml(file.readAll(), address);
}

ProviderList ProviderList::fromXml(const QByteArray &xml, const QString &address)
{
    AutoconfigParser parser(address);
    ProviderList list;
    if (parser.parse(xml))
        list.m_providers = parser.providers();
    return list;
}

std::optional<ProviderConfig> ProviderList::forDomain(const QString &domain) const
{
    const QString d = domain.toLower();
    for (const ProviderConfig &p : m_providers) {
        if (p.domains.contains(d))
            return p;
    }
    return std::nullopt;
}

std::optional<ProviderConfig> ProviderList::forMxHost(const QString &mxHost) const
{
    QString host = mxHost.toLower();
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    for (const ProviderConfig &p : m_providers) {
        for (const QString &suffix : p.mxSuffixes) {
            // A whole label must match: "evilgoogle.com" is not "google.com".
            if (host == suffix || host.endsWith(QLatin1Char('.') + suffix))
                return p;
        }
    }
    return std::nullopt;
}

DiscoveredConfig toDiscoveredConfig(const ProviderConfig &provider, DiscoverySource source, const QString &origin,
                                    bool verified)
{
    DiscoveredConfig config;
    config.source = source;
    config.origin = origin;
    config.providerName = provider.displayName;
    config.verified = verified;
    config.incoming = provider.incoming;
    config.outgoing = provider.outgoing;
    return config;
}

} // namespace tern::accounts
