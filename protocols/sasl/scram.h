// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sasl/authenticator.h"

namespace tern::sasl {

// saslname escaping, RFC 5802 §5.1: "=" -> "=3D", "," -> "=2C".
QByteArray scramEscape(const QByteArray &name);

// SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding ("n,,": the TLS layer
// below us does not expose tls-exporter portably). The exchange succeeds only after the server proved
// knowledge of the password with a correct "v=" signature.
class ScramAuthenticator final : public Authenticator
{
public:
    ScramAuthenticator(Mechanism mechanism, const Credentials &credentials);

    // Tests pin the nonce to reproduce the RFC examples; otherwise 24 random bytes, base64.
    void setClientNonce(const QByteArray &nonce) { m_clientNonce = nonce; }

    // Iteration counts beyond this are refused: a hostile server could otherwise burn minutes of CPU.
    static constexpr int kMaxIterations = 1'000'000;

    Mechanism mechanism() const override { return m_mechanism; }
    std::optional<QByteArray> initialResponse() override;
    std::optional<QByteArray> respond(QByteArrayView challenge) override;
    bool isServerVerified() const override { return m_verified; }

private:
    std::optional<QByteArray> clientFinal(QByteArrayView serverFirst);
    std::optional<QByteArray> verifyServerFinal(QByteArrayView serverFinal);

    enum class Step { Start, SentFirst, SentFinal, Done };
    Mechanism m_mechanism;
    Credentials m_c;
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare;
    QByteArray m_expectedServerSignature;
    Step m_step = Step::Start;
    bool m_verified = false;
};

} // namespace tern::sasl
