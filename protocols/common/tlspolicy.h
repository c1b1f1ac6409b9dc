// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSsl>
#include <QSslCertificate>
#include <QSslError>
#include <QString>

namespace tern::protocols {

// How a connection decides whom to trust. Validation is always on (chain + hostname, RFC 6125); the only
// way past a failed validation is a pin of the exact leaf certificate the user saw (SECURITY.md T6).
struct TlsPolicy
{
    struct Pin
    {
        QString host;
        quint16 port = 0;
        QByteArray sha256;
    };

    QList<QSslCertificate> extraCaCertificates; // trusted in addition to the system store
    QByteArray pinnedSha256;                    // raw SHA-256 of the DER leaf certificate, or empty
    QString peerVerifyName;                     // the name to check; empty: the host connected to
    QList<Pin> pins; // pins for given endpoints: only the one for the host and port connected to applies
};

// What a UI needs to show about a certificate that failed validation, and what a pin stores.
struct CertificateInfo
{
    QByteArray sha256Fingerprint; // raw bytes; toHex(':') for display
    QString subject;
    QString issuer;
    QDateTime effectiveDate;
    QDateTime expiryDate;
    QList<QSslError::SslError> errors;
    QSslCertificate certificate;

    static CertificateInfo from(const QSslCertificate &certificate, const QList<QSslError> &errors = {});
};

// The TLS parameters of a session, kept with a sent message as its transport receipt.
struct TlsSessionInfo
{
    bool encrypted = false;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;
    QString cipher;
    QByteArray peerSha256;
    bool pinned = false; // accepted through a user's pin rather than normal validation
};

} // namespace tern::protocols
