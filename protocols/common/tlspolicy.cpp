// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/tlspolicy.h"

#include <QCryptographicHash>

namespace tern::protocols {

CertificateInfo CertificateInfo::from(const QSslCertificate &certificate, const QList<QSslError> &errors)
{
    CertificateInfo info;
    info.certificate = certificate;
    info.sha256Fingerprint = certificate.digest(QCryptographicHash::Sha256);
    info.subject = certificate.subjectDisplayName();
    if (info.subject.isEmpty())
        info.subject = certificate.subjectInfo(QSslCertificate::CommonName).join(QLatin1Char(','));
    info.issuer = certificate.issuerDisplayName();
    info.effectiveDate = certificate.effectiveDate();
    info.expiryDate = certificate.expiryDate();
    for (const QSslError &e : errors)
        info.errors.append(e.error());
    return info;
}

} // namespace tern::protocols
