// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QList>
#include <QString>

#include <optional>

namespace tern::accounts {

// Where a set of server settings came from, in the order discovery trusts them (Thunderbird's order:
// what we ship, then what the domain itself publishes, then DNS, then guesses).
enum class DiscoverySource {
    ProviderList,        // bundled with Tern: a provider's published settings
    AutoconfigHost,      // https://autoconfig.<domain>/mail/config-v1.1.xml
    AutoconfigWellKnown, // https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml
    Srv,                 // RFC 6186 / RFC 8314 SRV records
    Mx,                  // the domain's MX belongs to a provider we know
    Guess,               // common host names whose ports answered
};

enum class ServerProtocol { Imap, Pop3, Smtp };

struct ServerSetting
{
    ServerProtocol protocol = ServerProtocol::Imap;
    QString host;
    quint16 port = 0;
    Security security = Security::Tls;
    QString user;           // placeholders already replaced
    QString authentication; // clientConfig's word: "password-cleartext", "password-encrypted", "OAuth2", ...

    Server toServer() const { return Server{host, port, security, {}, user}; }
};

// One source's answer: the servers it names, best first (implicit TLS before STARTTLS, RFC 8314 §5.1).
struct DiscoveredConfig
{
    DiscoverySource source = DiscoverySource::Guess;
    QString origin;       // the URL, DNS names or host names asked, for the user to see
    QString providerName; // "Fastmail", when known
    // Fetched over HTTPS with a valid certificate, or shipped with Tern. DNS answers without DNSSEC and
    // guesses are not (SECURITY.md T9): the UI says so.
    bool verified = false;
    QList<ServerSetting> incoming;
    QList<ServerSetting> outgoing;

    bool offers(IncomingProtocol protocol) const;
    // The best server of that protocol, or nullptr.
    const ServerSetting *bestIncoming(IncomingProtocol protocol) const;
    const ServerSetting *bestOutgoing() const;
    bool isUsable() const { return !incoming.isEmpty() && !outgoing.isEmpty(); }
};

// A step of discovery as the wizard lists it: what was asked and what it gave.
struct DiscoveryStep
{
    DiscoverySource source = DiscoverySource::Guess;
    QString origin;
    bool found = false;
    QString detail; // why nothing was found (a diagnostic, not translated)
};

// Stable: configs of the same source keep their order. Within each config, servers are sorted by security.
QList<DiscoveredConfig> orderedBySource(QList<DiscoveredConfig> configs);
void sortBySecurity(QList<ServerSetting> *servers);

ServerProtocol serverProtocol(IncomingProtocol protocol);

// "user@example.org" -> local part and lower-case domain; false when it is not an address.
bool splitAddress(const QString &address, QString *localPart, QString *domain);

// A DNS name we are willing to connect to: letters, digits, '-', '.', 1..253 characters (no URL tricks).
bool isValidHostName(const QString &host);

} // namespace tern::accounts
