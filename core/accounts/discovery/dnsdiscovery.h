// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/discoveredconfig.h"
#include "accounts/discovery/discoverysettings.h"
#include "accounts/discovery/providerlist.h"

#include <QObject>

#include <optional>

class QDnsLookup;

namespace tern::accounts {

// RFC 6186 (with RFC 8314's _submissions and implicit TLS first): the six SRV names of a domain.
class SrvDiscovery : public QObject
{
    Q_OBJECT

public:
    SrvDiscovery(QString address, DiscoverySettings settings, QObject *parent = nullptr);
    void start();

    std::optional<DiscoveredConfig> result() const { return m_result; }
    QString origin() const;
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    void lookupFinished(QDnsLookup *lookup, const QString &service);
    void complete();

    QString m_address;
    QString m_domain;
    DiscoverySettings m_settings;
    int m_pending = 0;
    bool m_allAuthentic = true;
    QList<std::pair<int, ServerSetting>> m_found; // SRV priority, server
    std::optional<DiscoveredConfig> m_result;
    QString m_error;
};

// The domain's MX -> a provider in the bundled list (e.g. a company domain hosted by a known provider).
class MxDiscovery : public QObject
{
    Q_OBJECT

public:
    MxDiscovery(QString address, DiscoverySettings settings, QObject *parent = nullptr);
    void start();

    std::optional<DiscoveredConfig> result() const { return m_result; }
    QString mxHost() const { return m_mxHost; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    QString m_address;
    QString m_domain;
    DiscoverySettings m_settings;
    QString m_mxHost;
    std::optional<DiscoveredConfig> m_result;
    QString m_error;
};

} // namespace tern::accounts
