// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::sync {

// A certificate that failed validation, as the certificate dialog shows it (SECURITY.md T6).
struct CertificateDetails
{
    QString host;
    quint16 port = 0;
    QString subject;
    QString issuer;
    QByteArray sha256; // raw; the pin
    QDateTime effectiveDate;
    QDateTime expiryDate;
    QStringList problems; // why validation failed, one line each (Qt's wording)
    QByteArray pem;

    accounts::CertificatePin pin() const { return {host, port, sha256}; }
};

// Connects to one of the account's servers as far as the TLS handshake (after STARTTLS/STLS where the
// account asks for it) to learn which certificate failed validation. It logs in with nothing: the
// handshake is what fails, and nothing secret is sent before it.
class CertificateProbe : public QObject
{
    Q_OBJECT

public:
    enum class Role { Incoming, Smtp };

    CertificateProbe(accounts::Account account, Role role, QObject *parent = nullptr);
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void start();

    // Empty when the certificate validated (or the server could not be reached).
    std::optional<CertificateDetails> certificate() const { return m_certificate; }

Q_SIGNALS:
    void finished();

private:
    accounts::Account m_account;
    Role m_role;
    int m_timeoutMs = 30 * 1000;
    std::optional<CertificateDetails> m_certificate;
};

} // namespace tern::sync
