// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/autoconfigparser.h"

#include <QList>
#include <QString>
#include <optional>

namespace tern::accounts {

// The providers Tern ships settings for (providers.xml, a clientConfig document compiled into the binary).
class ProviderList
{
public:
    // The bundled list, with placeholders filled in for this address.
    static ProviderList bundled(const QString &address);
    // Any clientConfig document (tests); an unreadable one gives an empty list.
    static ProviderList fromXml(const QByteArray &xml, const QString &address);

    const QList<ProviderConfig> &providers() const { return m_providers; }
    std::optional<ProviderConfig> forDomain(const QString &domain) const;
    // The provider whose MX host names end with the given host (RFC 5321 §5.1: the lowest preference wins,
    // the caller picks it).
    std::optional<ProviderConfig> forMxHost(const QString &mxHost) const;

private:
    QList<ProviderConfig> m_providers;
};

DiscoveredConfig toDiscoveredConfig(const ProviderConfig &provider, DiscoverySource source, const QString &origin,
                                    bool verified);

} // namespace tern::accounts
