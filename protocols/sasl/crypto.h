// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tern::sasl {

// The hash functions SASL mechanisms need, all computed through QCA (qca-ossl). A QCA::Initializer must be
// alive (the application's main() or the test object owns it); without one every call returns nothing.
enum class HashAlgorithm { Md5, Sha1, Sha256 };

std::optional<QByteArray> hash(HashAlgorithm algorithm, QByteArrayView data);
std::optional<QByteArray> hmac(HashAlgorithm algorithm, QByteArrayView key, QByteArrayView data);

// PBKDF2 with HMAC (RFC 8018 §5.2), single output block: SCRAM's Hi() (RFC 5802 §2.2). Built from QCA's
// hmac because qca-ossl offers pbkdf2 only with SHA-1 and SCRAM-SHA-256 needs it with SHA-256.
std::optional<QByteArray> pbkdf2Hmac(HashAlgorithm algorithm, QByteArrayView password, QByteArrayView salt,
                                     int iterations);

} // namespace tern::sasl
