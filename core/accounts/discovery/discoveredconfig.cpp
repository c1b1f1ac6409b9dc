// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/discoveredconfig.h"

#include <algorithm>

namespace tern::accounts {

namespace {

int securityRank(Security security)
{
    switch (security) {
    case Security::Tls: return 0;
    case Security::StartTls: return 1;
    case Security::None: return 2;
    }
    return 2;
}

} // namespace

ServerProtocol serverProtocol(IncomingProtocol protocol)
{
    return protocol == IncomingProtocol::Imap ? ServerProtocol::Imap : ServerProtocol::Pop3;
}

bool DiscoveredConfig::offers(IncomingProtocol protocol) const
{
    return bestIncoming(protocol) != nullptr;
}

const ServerSetting *DiscoveredConfig::bestIncoming(IncomingProtocol protocol) const
{
    for (const ServerSetting &s : incoming) {
        if (s.protocol == serverProtocol(protocol))
            return &s;
    }
    return nullptr;
}

const ServerSetting *DiscoveredConfig::bestOutgoing() const
{
    return outgoing.isEmpty() ? nullptr : &outgoing.first();
}

void sortBySecurity(QList<ServerSetting> *servers)
{
    std::stable_sort(servers->begin(), servers->end(), [](const ServerSetting &a, const ServerSetting &b) {
        return securityRank(a.security) < securityRank(b.security);
    });
}

QList<DiscoveredConfig> orderedBySource(QList<DiscoveredConfig> configs)
{
    std::stable_sort(configs.begin(), configs.end(), [](const DiscoveredConfig &a, const DiscoveredConfig &b) {
        return int(a.source) < int(b.source);
    });
    for (DiscoveredConfig &c : configs) {
        sortBySecurity(&c.incoming);
        sortBySecurity(&c.outgoing);
    }
    return configs;
}

bool splitAddress(const QString &address, QString *localPart, QString *domain)
{
    const QString trimmed = address.trimmed();
    const qsizetype at = trimmed.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == trimmed.size() - 1)
        return false;
    const QString d = trimmed.mid(at + 1).toLower();
    if (!isValidHostName(d) || !d.contains(QLatin1Char('.')))
        return false;
    *localPart = trimmed.left(at);
    *domain = d;
    return true;
}

bool isValidHostName(const QString &host)
{
    if (host.isEmpty() || host.size() > 253 || host.startsWith(QLatin1Char('.')) || host.startsWith(QLatin1Char('-')))
        return false;
    for (QChar c : host) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
                        || u == u'-' || u == u'.';
        if (!ok)
            return false;
    }
    return !host.contains(QLatin1StringView(".."));
}

} // namespace tern::accounts
