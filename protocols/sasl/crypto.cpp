// SPDX-License-Identifier: GPL-3.0-or-later
#include "sasl/crypto.h"

#include <QtCrypto>

namespace tern::sasl {

namespace {

QString hashName(HashAlgorithm algorithm)
{
    switch (algorithm) {
    case HashAlgorithm::Md5:
        return QStringLiteral("md5");
    case HashAlgorithm::Sha1:
        return QStringLiteral("sha1");
    case HashAlgorithm::Sha256:
        return QStringLiteral("sha256");
    }
    return {};
}

QString hmacName(HashAlgorithm algorithm)
{
    return QStringLiteral("hmac(") + hashName(algorithm) + QLatin1Char(')');
}

QByteArray toBytes(QByteArrayView view)
{
    return QByteArray(view.data(), view.size());
}

} // namespace

std::optional<QByteArray> hash(HashAlgorithm algorithm, QByteArrayView data)
{
    const QString name = hashName(algorithm);
    if (!QCA::isSupported(name.toLatin1().constData()))
        return std::nullopt;
    QCA::Hash h(name);
    h.update(toBytes(data));
    return h.final().toByteArray();
}

std::optional<QByteArray> hmac(HashAlgorithm algorithm, QByteArrayView key, QByteArrayView data)
{
    const QString name = hmacName(algorithm);
    if (!QCA::isSupported(name.toLatin1().constData()))
        return std::nullopt;
    QCA::MessageAuthenticationCode mac(name, QCA::SymmetricKey(toBytes(key)));
    mac.update(toBytes(data));
    return mac.final().toByteArray();
}

std::optional<QByteArray> pbkdf2Hmac(HashAlgorithm algorithm, QByteArrayView password, QByteArrayView salt,
                                     int iterations)
{
    const QString name = hmacName(algorithm);
    if (iterations < 1 || !QCA::isSupported(name.toLatin1().constData()))
        return std::nullopt;
    QCA::MessageAuthenticationCode mac(name, QCA::SymmetricKey(toBytes(password)));
    // U1 = HMAC(P, S || INT(1)); Ui = HMAC(P, Ui-1); result = U1 ^ U2 ^ ... ^ Uc.
    QByteArray block = toBytes(salt);
    block.append(QByteArrayView("\0\0\0\1", 4));
    mac.update(block);
    QByteArray u = mac.final().toByteArray();
    QByteArray result = u;
    for (int i = 1; i < iterations; ++i) {
        mac.clear();
        mac.update(u);
        u = mac.final().toByteArray();
        for (qsizetype j = 0; j < result.size(); ++j)
            result[j] = char(result.at(j) ^ u.at(j));
    }
    return result;
}

} // namespace tern::sasl
