// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tern::imap {

// One SASL mechanism as the IMAP session drives it (RFC 4422 §3, RFC 3501 §6.2.2). The shared SASL module
// implements this; the session does the base64 framing, SASL-IR (RFC 4959) and the "*" abort.
class SaslMechanism
{
public:
    virtual ~SaslMechanism() = default;

    virtual QByteArray name() const = 0;                            // "PLAIN", "SCRAM-SHA-256", ...
    // The client-first message, or nothing if the mechanism starts with a server challenge.
    virtual std::optional<QByteArray> initialResponse() = 0;
    // Decoded challenge in, raw response out; nothing aborts the exchange (the session sends "*").
    virtual std::optional<QByteArray> respond(QByteArrayView challenge) = 0;
};

} // namespace tern::imap
