// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sasl/mechanism.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace tern::sasl {

struct Credentials
{
    QString authorizationId;   // usually empty: act as the authenticated user
    QString username;
    QString password;
    QString oauthToken;        // XOAUTH2 / OAUTHBEARER, obtained by the caller
    QString host;              // OAUTHBEARER's host/port keys (RFC 7628 §3.1)
    quint16 port = 0;
};

enum class Error {
    None,
    MalformedChallenge,        // the server's challenge does not parse
    UnexpectedChallenge,       // more round trips than the mechanism has
    NonceMismatch,             // SCRAM: server nonce does not extend ours (RFC 5802 §5.1)
    IterationCountOutOfRange,  // SCRAM: i=0 or absurdly large (a CPU exhaustion attempt)
    ServerSignatureMismatch,   // SCRAM: the server does not know the password (RFC 5802 §5.1, "v=")
    ServerReportedError,       // SCRAM "e=..." or an OAuth error JSON
    CryptoUnavailable,         // QCA has no provider for the hash (no Initializer alive?)
    ProhibitedCharacter,       // SCRAM: the name or password fails SASLprep (RFC 4013 §2.3/§2.4)
};

// One SASL exchange, sans-I/O (RFC 4422 §3). The protocol wraps the bytes (base64 in SMTP/POP3/IMAP);
// the authenticator deals in raw bytes only.
class Authenticator
{
public:
    virtual ~Authenticator() = default;

    static std::unique_ptr<Authenticator> create(Mechanism mechanism, const Credentials &credentials);

    virtual Mechanism mechanism() const = 0;
    QByteArray name() const { return mechanismName(mechanism()); }

    // The client-first message, sent with the AUTH command when the protocol allows (RFC 4954 §4).
    virtual std::optional<QByteArray> initialResponse() = 0;

    // The answer to one server challenge. On failure the result is empty and error() says why.
    virtual std::optional<QByteArray> respond(QByteArrayView challenge) = 0;

    // Whether the exchange may be accepted by the client now: a SCRAM server must first have proven
    // its signature; other mechanisms have nothing to verify.
    virtual bool isServerVerified() const { return true; }

    // For XOAUTH2/OAUTHBEARER the server sends an error JSON as a challenge; this holds it verbatim.
    QByteArray serverErrorText() const { return m_serverError; }
    Error error() const { return m_error; }

protected:
    std::nullopt_t fail(Error error)
    {
        m_error = error;
        return std::nullopt;
    }
    QByteArray m_serverError;

private:
    Error m_error = Error::None;
};

} // namespace tern::sasl
