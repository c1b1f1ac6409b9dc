// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/discovery.h"

#include "accounts/discovery/autoconfigfetch.h"
#include "accounts/discovery/dnsdiscovery.h"
#include "accounts/discovery/portprobe.h"
#include "accounts/discovery/providerlist.h"

#include <algorithm>
#include <functional>

namespace tern::accounts {

Discovery::Discovery(QString address, DiscoverySettings settings, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address).trimmed())
    , m_settings(std::move(settings))
{
}

void Discovery::record(DiscoverySource source, const QString &origin, const std::optional<DiscoveredConfig> &config,
                       const QString &error)
{
    DiscoveryStep step{source, origin, config.has_value(), config ? QString() : error};
    if (config)
        m_configs.append(*config);
    m_steps.append(step);
    Q_EMIT stepFinished(step);
}

void Discovery::start()
{
    QString local;
    QString domain;
    if (!splitAddress(m_address, &local, &domain)) {
        record(DiscoverySource::ProviderList, m_address, std::nullopt, QStringLiteral("not an e-mail address"));
        QMetaObject::invokeMethod(this, &Discovery::finish, Qt::QueuedConnection);
        return;
    }
    if (m_settings.useProviderList) {
        const auto provider = ProviderList::bundled(m_address).forDomain(domain);
        record(DiscoverySource::ProviderList, domain,
               provider ? std::optional(toDiscoveredConfig(*provider, DiscoverySource::ProviderList, domain, true))
                        : std::nullopt,
               QStringLiteral("%1 is not in Tern's list of providers").arg(domain));
    }
    QList<std::function<void()>> starters;
    if (m_settings.useAutoconfig) {
        for (DiscoverySource source : {DiscoverySource::AutoconfigHost, DiscoverySource::AutoconfigWellKnown}) {
            auto *fetch = new AutoconfigFetch(source, m_address, m_settings, this);
            connect(fetch, &AutoconfigFetch::finished, this, [this, fetch, source] {
                record(source, fetch->url().toString(), fetch->result(), fetch->errorString());
                parallelStepDone();
            });
            m_running << fetch;
            starters.append([fetch] { fetch->start(); });
        }
    }
    if (m_settings.useDns) {
        auto *srv = new SrvDiscovery(m_address, m_settings, this);
        connect(srv, &SrvDiscovery::finished, this, [this, srv] {
            record(DiscoverySource::Srv, srv->origin(), srv->result(), srv->errorString());
            parallelStepDone();
        });
        auto *mx = new MxDiscovery(m_address, m_settings, this);
        connect(mx, &MxDiscovery::finished, this, [this, mx, domain] {
            const QString asked = mx->mxHost().isEmpty() ? domain : mx->mxHost();
            record(DiscoverySource::Mx, QStringLiteral("MX ") + asked, mx->result(), mx->errorString());
            parallelStepDone();
        });
        m_running << srv << mx;
        starters.append([srv] { srv->start(); });
        starters.append([mx] { mx->start(); });
    }
    m_pending = int(m_running.size());
    if (m_pending == 0) {
        QMetaObject::invokeMethod(this, &Discovery::startGuess, Qt::QueuedConnection);
        return;
    }
    for (const auto &start : starters)
        start(); // each reports finished() asynchronously, never from inside start()
}

void Discovery::parallelStepDone()
{
    if (--m_pending == 0)
        startGuess();
}

void Discovery::startGuess()
{
    const bool haveUsable = std::any_of(m_configs.cbegin(), m_configs.cend(),
                                        [](const DiscoveredConfig &c) { return c.isUsable(); });
    const bool guess = m_settings.alwaysGuess || (m_settings.guessWhenNothingFound && !haveUsable);
    if (!guess || m_guessed) {
        finish();
        return;
    }
    m_guessed = true;
    auto *probe = new PortProbe(m_address, m_settings, this);
    connect(probe, &PortProbe::finished, this, [this, probe] {
        record(DiscoverySource::Guess, probe->origin(), probe->result(), probe->errorString());
        finish();
    });
    m_running << probe;
    probe->start();
}

void Discovery::abort()
{
    m_finished = true;
    for (QObject *step : std::as_const(m_running))
        step->disconnect(this);
    qDeleteAll(m_running);
    m_running.clear();
}

void Discovery::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace tern::accounts
