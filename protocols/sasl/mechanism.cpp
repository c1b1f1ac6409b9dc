// SPDX-License-Identifier: GPL-3.0-or-later
#include "sasl/mechanism.h"

#include <array>

namespace tern::sasl {

namespace {

struct Entry
{
    Mechanism mechanism;
    const char *name;
};

constexpr std::array<Entry, 7> kMechanisms{{
    {Mechanism::Plain, "PLAIN"},
    {Mechanism::Login, "LOGIN"},
    {Mechanism::CramMd5, "CRAM-MD5"},
    {Mechanism::ScramSha1, "SCRAM-SHA-1"},
    {Mechanism::ScramSha256, "SCRAM-SHA-256"},
    {Mechanism::XOAuth2, "XOAUTH2"},
    {Mechanism::OAuthBearer, "OAUTHBEARER"},
}};

} // namespace

QByteArray mechanismName(Mechanism mechanism)
{
    for (const Entry &e : kMechanisms) {
        if (e.mechanism == mechanism)
            return QByteArray(e.name);
    }
    return {};
}

std::optional<Mechanism> mechanismFromName(QByteArrayView name)
{
    for (const Entry &e : kMechanisms) {
        if (name.compare(QByteArrayView(e.name), Qt::CaseInsensitive) == 0)
            return e.mechanism;
    }
    return std::nullopt;
}

bool exposesPassword(Mechanism mechanism)
{
    return mechanism == Mechanism::Plain || mechanism == Mechanism::Login;
}

std::optional<Mechanism> chooseMechanism(const QList<QByteArray> &offered, const SelectionPolicy &policy)
{
    auto isOffered = [&](Mechanism m) {
        const QByteArray name = mechanismName(m);
        for (const QByteArray &o : offered) {
            if (o.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    };
    auto acceptable = [&](Mechanism m) {
        if (!isOffered(m))
            return false;
        const bool tokenMechanism = m == Mechanism::XOAuth2 || m == Mechanism::OAuthBearer;
        if (tokenMechanism != (policy.credential == CredentialKind::OAuthToken))
            return false;
        // Bearer tokens and cleartext passwords are equally replayable: both need TLS unless allowed.
        if ((exposesPassword(m) || tokenMechanism) && !policy.encrypted
            && !policy.allowPlaintextPasswordOverCleartext)
            return false;
        return true;
    };
    if (policy.forced)
        return acceptable(*policy.forced) ? policy.forced : std::nullopt;
    static constexpr std::array<Mechanism, 7> strongestFirst{
        Mechanism::OAuthBearer, Mechanism::XOAuth2,  Mechanism::ScramSha256, Mechanism::ScramSha1,
        Mechanism::CramMd5,     Mechanism::Plain,    Mechanism::Login,
    };
    for (Mechanism m : strongestFirst) {
        if (acceptable(m))
            return m;
    }
    return std::nullopt;
}

} // namespace tern::sasl
