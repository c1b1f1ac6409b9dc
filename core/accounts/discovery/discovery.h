// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/discoveredconfig.h"
#include "accounts/discovery/discoverysettings.h"

#include <QObject>

namespace tern::accounts {

// "Find my servers" as an operation: the bundled provider list at once, then autoconfig (both URLs), SRV
// and MX in parallel, then, when none of them gave a usable answer, guessing host names. Every step is
// reported (steps()) so the user sees where each setting came from and what was asked; configs() are in
// trust order (orderedBySource).
class Discovery : public QObject
{
    Q_OBJECT

public:
    explicit Discovery(QString address, DiscoverySettings settings = {}, QObject *parent = nullptr);
    void start();
    void abort(); // finished() is not emitted after this

    bool isFinished() const { return m_finished; }
    QList<DiscoveredConfig> configs() const { return orderedBySource(m_configs); }
    QList<DiscoveryStep> steps() const { return m_steps; }

Q_SIGNALS:
    void stepFinished(const tern::accounts::DiscoveryStep &step);
    void finished();

private:
    void record(DiscoverySource source, const QString &origin, const std::optional<DiscoveredConfig> &config,
                const QString &error);
    void parallelStepDone();
    void startGuess();
    void finish();

    QString m_address;
    DiscoverySettings m_settings;
    QList<DiscoveredConfig> m_configs;
    QList<DiscoveryStep> m_steps;
    QList<QObject *> m_running;
    int m_pending = 0;
    bool m_guessed = false;
    bool m_finished = false;
};

} // namespace tern::accounts
