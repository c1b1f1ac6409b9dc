// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace tern::sasl {

enum class Mechanism { Plain, Login, CramMd5, ScramSha1, ScramSha256, XOAuth2, OAuthBearer };

// The IANA name as servers advertise it (RFC 4422 §3.1), e.g. "SCRAM-SHA-256".
QByteArray mechanismName(Mechanism mechanism);
std::optional<Mechanism> mechanismFromName(QByteArrayView name);

// Sends the password itself (only base64-wrapped): allowed on an unencrypted link only on explicit request.
bool exposesPassword(Mechanism mechanism);

enum class CredentialKind { Password, OAuthToken };

struct SelectionPolicy
{
    CredentialKind credential = CredentialKind::Password;
    bool encrypted = true;                   // the link is TLS-protected right now
    bool allowPlaintextPasswordOverCleartext = false;
    std::optional<Mechanism> forced;        // the account pins one mechanism
};

// The strongest mechanism both sides support for this kind of credential (SCRAM-SHA-256 > SCRAM-SHA-1 >
// CRAM-MD5 > PLAIN > LOGIN; OAUTHBEARER > XOAUTH2), or nothing. PLAIN/LOGIN over cleartext are never
// chosen unless the policy explicitly allows it. `offered` is the server's list (case-insensitive).
std::optional<Mechanism> chooseMechanism(const QList<QByteArray> &offered, const SelectionPolicy &policy);

} // namespace tern::sasl
