// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace tern::accounts {

enum class Security { Tls, StartTls, None }; // Tls = implicit TLS (RFC 8314), the default for new accounts
enum class IncomingProtocol { Imap, Pop3 };

struct Identity
{
    QString name;
    QString address;
    QString signature;
};

struct Server
{
    QString host;
    quint16 port = 0;
    Security security = Security::Tls;
    QString authMechanism; // empty: the strongest both sides support
    QString user;
};

// A certificate the user accepted although it failed validation: that exact leaf (SHA-256 of its DER) for that
// host and port only (SECURITY.md T6).
struct CertificatePin
{
    QString host;
    quint16 port = 0;
    QByteArray sha256; // raw bytes
};

struct Options
{
    bool pop3LeaveOnServer = true;
    int pop3DeleteAfterDays = 0; // 0: never
    bool imapIdle = true;
    QStringList offlineFolders = {QStringLiteral("INBOX")};
    int checkIntervalMinutes = 10;
};

// One mail account as the user configured it. Secrets are never part of it: see SecretStore.
struct Account
{
    QString name;
    QList<Identity> identities;
    IncomingProtocol incomingProtocol = IncomingProtocol::Imap;
    Server incoming;
    Server smtp;
    Options options;
    QString caFile; // one extra trusted CA for this account's servers (`--ca-file`)
    QList<CertificatePin> pinnedCertificates;

    // Replaces any pin for the same host and port.
    void pinCertificate(const CertificatePin &pin);

    // Empty when the account can be used; otherwise what is wrong, one reason per entry.
    QStringList validate() const;

    QJsonObject toJson() const;
    static Account fromJson(const QJsonObject &json);

    // The keys under which this account's secrets are stored.
    QString incomingSecretKey() const { return name + QStringLiteral("/incoming"); }
    QString smtpSecretKey() const { return name + QStringLiteral("/smtp"); }
};

QString securityName(Security security);
bool parseSecurity(const QString &text, Security *security);
QString protocolName(IncomingProtocol protocol);
bool parseProtocol(const QString &text, IncomingProtocol *protocol);

} // namespace tern::accounts
