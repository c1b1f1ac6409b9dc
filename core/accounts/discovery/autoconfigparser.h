// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/discoveredconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace tern::accounts {

// One <emailProvider> of a Thunderbird clientConfig document (config-v1.1.xml, the autoconfig format).
struct ProviderConfig
{
    QString id;
    QStringList domains;
    QString displayName;
    QStringList mxSuffixes; // Tern's bundled list only: MX host names that mean this provider
    QList<ServerSetting> incoming;
    QList<ServerSetting> outgoing;
};

// Parses clientConfig XML from a server we do not control: bounded in size, depth, count and text length;
// DTDs (and so entity tricks) refused; unknown elements and server types (exchange, jmap, ...) skipped;
// %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% replaced from the address. A server with an invalid
// host, port or socket type is left out rather than guessed at.
class AutoconfigParser
{
public:
    struct Limits
    {
        qsizetype maxBytes = 64 * 1024;
        int maxDepth = 8;
        int maxProviders = 64;
        int maxServers = 16; // per provider and direction
        qsizetype maxText = 512;
    };

    explicit AutoconfigParser(QString address = {});
    void setLimits(const Limits &limits) { m_limits = limits; }

    // False (and error()) when the document is not a usable clientConfig.
    bool parse(const QByteArray &xml);

    QList<ProviderConfig> providers() const { return m_providers; }
    QString error() const { return m_error; }

    QString substitute(QString text) const;

private:
    QString m_address;
    QString m_localPart;
    QString m_domain;
    Limits m_limits;
    QList<ProviderConfig> m_providers;
    QString m_error;
};

} // namespace tern::accounts
