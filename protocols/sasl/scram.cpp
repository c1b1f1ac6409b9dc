// SPDX-License-Identifier: GPL-3.0-or-later
#include "sasl/scram.h"

#include "sasl/crypto.h"
#include "sasl/saslprep.h"

#include <QRandomGenerator>

namespace tern::sasl {

namespace {

constexpr QByteArrayView kGs2Header("n,,");

// Attributes of a SCRAM message, RFC 5802 §5.1: "a=value" separated by ",". Returns nothing when any
// attribute is not of that shape.
std::optional<QList<std::pair<char, QByteArray>>> attributes(QByteArrayView message)
{
    QList<std::pair<char, QByteArray>> out;
    for (QByteArrayView part : QByteArray(message.toByteArray()).split(',')) {
        if (part.size() < 2 || part.at(1) != '=' || !((part.at(0) >= 'a' && part.at(0) <= 'z')
                                                       || (part.at(0) >= 'A' && part.at(0) <= 'Z')))
            return std::nullopt;
        out.append({part.at(0), part.mid(2).toByteArray()});
    }
    return out;
}

QByteArray xorBytes(const QByteArray &a, const QByteArray &b)
{
    QByteArray out(a.size(), Qt::Uninitialized);
    for (qsizetype i = 0; i < a.size(); ++i)
        out[i] = char(a.at(i) ^ b.at(i));
    return out;
}

} // namespace

QByteArray scramEscape(const QByteArray &name)
{
    QByteArray out;
    out.reserve(name.size());
    for (char c : name) {
        if (c == '=')
            out += "=3D";
        else if (c == ',')
            out += "=2C";
        else
            out += c;
    }
    return out;
}

ScramAuthenticator::ScramAuthenticator(Mechanism mechanism, const Credentials &credentials)
    : m_mechanism(mechanism)
    , m_c(credentials)
{
    QByteArray random(24, Qt::Uninitialized);
    QRandomGenerator::system()->generate(random.begin(), random.end());
    m_clientNonce = random.toBase64();
}

std::optional<QByteArray> ScramAuthenticator::initialResponse()
{
    if (m_step != Step::Start)
        return fail(Error::UnexpectedChallenge);
    // RFC 5802 §5.1: the user name is prepared with SASLprep, like the password below.
    const std::optional<QString> user = saslPrep(m_c.username);
    if (!user)
        return fail(Error::ProhibitedCharacter);
    m_clientFirstBare = "n=" + scramEscape(user->toUtf8()) + ",r=" + m_clientNonce;
    m_step = Step::SentFirst;
    QByteArray gs2 = m_c.authorizationId.isEmpty()
                         ? kGs2Header.toByteArray()
                         : "n,a=" + scramEscape(m_c.authorizationId.toUtf8()) + ',';
    return gs2 + m_clientFirstBare;
}

std::optional<QByteArray> ScramAuthenticator::respond(QByteArrayView challenge)
{
    switch (m_step) {
    case Step::Start:
        // The server asked for the client-first message with an empty challenge.
        if (!challenge.isEmpty())
            return fail(Error::UnexpectedChallenge);
        return initialResponse();
    case Step::SentFirst:
        return clientFinal(challenge);
    case Step::SentFinal:
        return verifyServerFinal(challenge);
    case Step::Done:
        break;
    }
    return fail(Error::UnexpectedChallenge);
}

std::optional<QByteArray> ScramAuthenticator::clientFinal(QByteArrayView serverFirst)
{
    const auto attrs = attributes(serverFirst);
    if (!attrs || attrs->size() < 3)
        return fail(Error::MalformedChallenge);
    if (attrs->at(0).first == 'm')
        return fail(Error::MalformedChallenge); // mandatory extension we do not know (RFC 5802 §5.1)
    if (attrs->at(0).first != 'r' || attrs->at(1).first != 's' || attrs->at(2).first != 'i')
        return fail(Error::MalformedChallenge);
    const QByteArray nonce = attrs->at(0).second;
    if (!nonce.startsWith(m_clientNonce) || nonce.size() == m_clientNonce.size())
        return fail(Error::NonceMismatch);
    const auto salt = QByteArray::fromBase64Encoding(attrs->at(1).second, QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || salt.decoded.isEmpty())
        return fail(Error::MalformedChallenge);
    bool ok = false;
    const qlonglong iterations = attrs->at(2).second.toLongLong(&ok);
    if (!ok)
        return fail(Error::MalformedChallenge);
    if (iterations < 1 || iterations > kMaxIterations)
        return fail(Error::IterationCountOutOfRange);

    const HashAlgorithm algorithm = m_mechanism == Mechanism::ScramSha256 ? HashAlgorithm::Sha256 : HashAlgorithm::Sha1;
    const std::optional<QString> password = saslPrep(m_c.password); // Normalize(), RFC 5802 §2.2
    if (!password)
        return fail(Error::ProhibitedCharacter);
    const auto salted = pbkdf2Hmac(algorithm, password->toUtf8(), salt.decoded, int(iterations));
    if (!salted)
        return fail(Error::CryptoUnavailable);
    const QByteArray gs2 = m_c.authorizationId.isEmpty() ? kGs2Header.toByteArray()
                                                         : "n,a=" + scramEscape(m_c.authorizationId.toUtf8()) + ',';
    const QByteArray withoutProof = "c=" + gs2.toBase64() + ",r=" + nonce;
    const QByteArray authMessage = m_clientFirstBare + ',' + serverFirst.toByteArray() + ',' + withoutProof;

    const auto clientKey = hmac(algorithm, *salted, "Client Key");
    const auto serverKey = hmac(algorithm, *salted, "Server Key");
    if (!clientKey || !serverKey)
        return fail(Error::CryptoUnavailable);
    const auto storedKey = hash(algorithm, *clientKey);
    const auto clientSignature = storedKey ? hmac(algorithm, *storedKey, authMessage) : std::nullopt;
    const auto serverSignature = hmac(algorithm, *serverKey, authMessage);
    if (!clientSignature || !serverSignature)
        return fail(Error::CryptoUnavailable);
    m_expectedServerSignature = *serverSignature;
    m_step = Step::SentFinal;
    return withoutProof + ",p=" + xorBytes(*clientKey, *clientSignature).toBase64();
}

std::optional<QByteArray> ScramAuthenticator::verifyServerFinal(QByteArrayView serverFinal)
{
    m_step = Step::Done;
    const auto attrs = attributes(serverFinal);
    if (!attrs || attrs->isEmpty())
        return fail(Error::MalformedChallenge);
    if (attrs->at(0).first == 'e') {
        m_serverError = attrs->at(0).second;
        return fail(Error::ServerReportedError);
    }
    if (attrs->at(0).first != 'v')
        return fail(Error::MalformedChallenge);
    const auto signature = QByteArray::fromBase64Encoding(attrs->at(0).second, QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || signature.decoded != m_expectedServerSignature)
        return fail(Error::ServerSignatureMismatch);
    m_verified = true;
    // The protocol still wants a response to this last challenge (SMTP/IMAP: an empty line).
    return QByteArray();
}

} // namespace tern::sasl
