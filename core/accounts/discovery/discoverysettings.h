// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace tern::accounts {

// Everything discovery reaches outside the process, so that tests can point all of it at 127.0.0.1.
// The defaults are the real world: system resolver, port 443, the system's CAs, the well-known mail ports.
struct DiscoverySettings
{
    // Host name -> address to connect to instead of resolving it (tests: "autoconfig.lab.test" ->
    // "127.0.0.1"). TLS still verifies the certificate against the original host name.
    QHash<QString, QString> hostOverrides;
    quint16 httpsPort = 443;
    QList<QSslCertificate> caCertificates; // trusted in addition to the system store

    QHostAddress nameserver; // null: the system's resolver
    quint16 nameserverPort = 53;

    // The ports the last resort probes, best first within each protocol (RFC 8314: implicit TLS first).
    quint16 imapTlsPort = 993;
    quint16 imapStartTlsPort = 143;
    quint16 pop3TlsPort = 995;
    quint16 pop3StartTlsPort = 110;
    quint16 smtpTlsPort = 465;
    quint16 smtpStartTlsPort = 587;

    bool useProviderList = true;
    bool useAutoconfig = true;
    bool useDns = true;
    bool guessWhenNothingFound = true;
    bool alwaysGuess = false; // tests of the guess itself

    int timeoutMs = 10 * 1000;

    QString connectHost(const QString &host) const { return hostOverrides.value(host.toLower(), host); }
};

} // namespace tern::accounts
