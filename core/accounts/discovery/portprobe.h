// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/discoveredconfig.h"
#include "accounts/discovery/discoverysettings.h"

#include <QObject>

#include <optional>

namespace tern::accounts {

// The last resort: imap./pop./pop3./smtp./mail.<domain> and the domain itself, on the implicit-TLS ports
// first and the STARTTLS ports next (RFC 8314 §5.1). A port that accepts a TCP connection makes a guess;
// cleartext is never guessed (SECURITY.md T8). "Test connection" is what proves a guess.
class PortProbe : public QObject
{
    Q_OBJECT

public:
    PortProbe(QString address, DiscoverySettings settings, QObject *parent = nullptr);
    void start();

    std::optional<DiscoveredConfig> result() const { return m_result; }
    QString origin() const;
    QString errorString() const { return m_error; }

    struct Attempt
    {
        ServerProtocol protocol;
        QString host;
        quint16 port;
        Security security;
        bool open = false;
    };
    // In preference order per protocol.
    static QList<Attempt> attemptsFor(const QString &domain, const DiscoverySettings &settings);

Q_SIGNALS:
    void finished();

private:
    void complete();

    QString m_address;
    QString m_domain;
    DiscoverySettings m_settings;
    QList<Attempt> m_attempts;
    int m_pending = 0;
    std::optional<DiscoveredConfig> m_result;
    QString m_error;
};

} // namespace tern::accounts
