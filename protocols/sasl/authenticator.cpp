// SPDX-License-Identifier: GPL-3.0-or-later
#include "sasl/authenticator.h"

#include "sasl/crypto.h"
#include "sasl/scram.h"

namespace tern::sasl {

namespace {

// PLAIN, RFC 4616 §2: [authzid] NUL authcid NUL passwd, all in one initial response.
class PlainAuthenticator final : public Authenticator
{
public:
    explicit PlainAuthenticator(const Credentials &c) : m_c(c) {}
    Mechanism mechanism() const override { return Mechanism::Plain; }
    std::optional<QByteArray> initialResponse() override
    {
        m_sent = true;
        return m_c.authorizationId.toUtf8() + '\0' + m_c.username.toUtf8() + '\0' + m_c.password.toUtf8();
    }
    std::optional<QByteArray> respond(QByteArrayView challenge) override
    {
        // A server that does not take initial responses sends an empty challenge first (RFC 4954 §4).
        if (!challenge.isEmpty() || m_sent)
            return fail(Error::UnexpectedChallenge);
        return initialResponse();
    }

private:
    Credentials m_c;
    bool m_sent = false;
};

// LOGIN (draft-murchison-sasl-login): the server prompts twice; the prompt text is not standardised, so
// the answer depends only on the step, never on the prompt's wording.
class LoginAuthenticator final : public Authenticator
{
public:
    explicit LoginAuthenticator(const Credentials &c) : m_c(c) {}
    Mechanism mechanism() const override { return Mechanism::Login; }
    std::optional<QByteArray> initialResponse() override { return std::nullopt; }
    std::optional<QByteArray> respond(QByteArrayView) override
    {
        switch (m_step++) {
        case 0:
            return m_c.username.toUtf8();
        case 1:
            return m_c.password.toUtf8();
        default:
            return fail(Error::UnexpectedChallenge);
        }
    }

private:
    Credentials m_c;
    int m_step = 0;
};

// CRAM-MD5, RFC 2195 §2: user SP lowercase-hex(HMAC-MD5(password, challenge)).
class CramMd5Authenticator final : public Authenticator
{
public:
    explicit CramMd5Authenticator(const Credentials &c) : m_c(c) {}
    Mechanism mechanism() const override { return Mechanism::CramMd5; }
    std::optional<QByteArray> initialResponse() override { return std::nullopt; }
    std::optional<QByteArray> respond(QByteArrayView challenge) override
    {
        if (m_done)
            return fail(Error::UnexpectedChallenge);
        if (challenge.isEmpty())
            return fail(Error::MalformedChallenge);
        const auto digest = hmac(HashAlgorithm::Md5, m_c.password.toUtf8(), challenge);
        if (!digest)
            return fail(Error::CryptoUnavailable);
        m_done = true;
        return m_c.username.toUtf8() + ' ' + digest->toHex();
    }

private:
    Credentials m_c;
    bool m_done = false;
};

// XOAUTH2 (Google's and Microsoft's): user=U ^A auth=Bearer T ^A ^A. On failure the server sends a JSON
// error as a challenge and expects an empty response before its final error reply.
// OAUTHBEARER, RFC 7628 §3.1: gs2-header ^A host=H ^A port=P ^A auth=Bearer T ^A ^A; on failure the
// client answers the error challenge with a single ^A (§3.2.3).
class BearerAuthenticator final : public Authenticator
{
public:
    BearerAuthenticator(Mechanism m, const Credentials &c) : m_mechanism(m), m_c(c) {}
    Mechanism mechanism() const override { return m_mechanism; }
    std::optional<QByteArray> initialResponse() override
    {
        m_sent = true;
        const QByteArray token = m_c.oauthToken.toUtf8();
        if (m_mechanism == Mechanism::XOAuth2)
            return "user=" + m_c.username.toUtf8() + "\x01" "auth=Bearer " + token + "\x01\x01";
        QByteArray gs2 = "n,a=" + scramEscape(m_c.username.toUtf8()) + ',';
        QByteArray message = gs2 + '\x01';
        if (!m_c.host.isEmpty())
            message += "host=" + m_c.host.toUtf8() + '\x01';
        if (m_c.port)
            message += "port=" + QByteArray::number(m_c.port) + '\x01';
        return message + "auth=Bearer " + token + "\x01\x01";
    }
    std::optional<QByteArray> respond(QByteArrayView challenge) override
    {
        if (!m_sent && challenge.isEmpty())
            return initialResponse();
        if (!m_serverError.isEmpty())
            return fail(Error::UnexpectedChallenge);
        m_serverError = challenge.toByteArray();
        if (m_mechanism == Mechanism::XOAuth2)
            return QByteArray();
        return QByteArray("\x01");
    }

private:
    Mechanism m_mechanism;
    Credentials m_c;
    bool m_sent = false;
};

} // namespace

std::unique_ptr<Authenticator> Authenticator::create(Mechanism mechanism, const Credentials &credentials)
{
    switch (mechanism) {
    case Mechanism::Plain:
        return std::make_unique<PlainAuthenticator>(credentials);
    case Mechanism::Login:
        return std::make_unique<LoginAuthenticator>(credentials);
    case Mechanism::CramMd5:
        return std::make_unique<CramMd5Authenticator>(credentials);
    case Mechanism::ScramSha1:
    case Mechanism::ScramSha256:
        return std::make_unique<ScramAuthenticator>(mechanism, credentials);
    case Mechanism::XOAuth2:
    case Mechanism::OAuthBearer:
        return std::make_unique<BearerAuthenticator>(mechanism, credentials);
    }
    return nullptr;
}

} // namespace tern::sasl
