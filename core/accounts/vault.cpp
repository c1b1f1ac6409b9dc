// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/vault.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QtCrypto>

#include <openssl/evp.h>

namespace tern::accounts {

namespace {
const QString kFormat = QStringLiteral("tern-vault-1");
const QString kCheckKey = QStringLiteral("\x01vault-check");
constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;
} // namespace

Vault::Vault(const QString &path)
    : m_path(path)
{
}

QByteArray Vault::deriveKey(const QByteArray &password, const QByteArray &salt, int iterations)
{
    QByteArray key(32, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(password.constData(), int(password.size()),
                                     reinterpret_cast<const unsigned char *>(salt.constData()), int(salt.size()),
                                     iterations, EVP_sha256(), int(key.size()),
                                     reinterpret_cast<unsigned char *>(key.data()));
    return ok == 1 ? key : QByteArray();
}

bool Vault::open(const QByteArray &primaryPassword)
{
    m_key.clear();
    if (!QCA::isSupported("aes256-gcm")) {
        m_error = QStringLiteral("AES-256-GCM is not available (is the qca-ossl plugin installed?)");
        return false;
    }
    if (primaryPassword.isEmpty()) {
        m_error = QStringLiteral("the primary password is empty");
        return false;
    }
    QFile file(m_path);
    if (!file.exists()) {
        const QByteArray salt = QCA::Random::randomArray(16).toByteArray();
        m_doc = QJsonObject{{QStringLiteral("format"), kFormat},
                            {QStringLiteral("kdf"), QStringLiteral("pbkdf2-hmac-sha256")},
                            {QStringLiteral("iterations"), kIterations},
                            {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())},
                            {QStringLiteral("entries"), QJsonObject()}};
        m_key = deriveKey(primaryPassword, salt, kIterations);
        const auto check = seal(kCheckKey, QByteArrayLiteral("ok"));
        if (m_key.isEmpty() || !check) {
            m_key.clear();
            return false;
        }
        m_doc.insert(QStringLiteral("check"), *check);
        return save();
    }
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    m_doc = doc.object();
    const int iterations = m_doc.value(QStringLiteral("iterations")).toInt();
    const QByteArray salt = QByteArray::fromBase64(m_doc.value(QStringLiteral("salt")).toString().toLatin1());
    if (m_doc.value(QStringLiteral("format")).toString() != kFormat || salt.size() < 16
        || iterations < kMinIterations) {
        m_error = QStringLiteral("%1 is not a Tern vault or is damaged").arg(m_path);
        return false;
    }
    m_key = deriveKey(primaryPassword, salt, iterations);
    if (m_key.isEmpty() || unseal(kCheckKey, m_doc.value(QStringLiteral("check")).toObject()) != QByteArray("ok")) {
        m_key.clear();
        m_error = QStringLiteral("the primary password is wrong, or the vault is damaged");
        return false;
    }
    return true;
}

std::optional<QJsonObject> Vault::seal(const QString &key, const QByteArray &plain)
{
    const QCA::InitializationVector nonce(kNonceSize);
    QCA::Cipher cipher(QStringLiteral("aes256"), QCA::Cipher::GCM, QCA::Cipher::NoPadding, QCA::Encode,
                       QCA::SymmetricKey(m_key), nonce, QCA::AuthTag(kTagSize));
    QByteArray sealed = cipher.update(QCA::MemoryRegion(key.toUtf8() + '\0' + plain)).toByteArray();
    sealed += cipher.final().toByteArray();
    if (!cipher.ok()) {
        m_error = QStringLiteral("encryption failed");
        return std::nullopt;
    }
    sealed += cipher.tag().toByteArray();
    return QJsonObject{{QStringLiteral("nonce"), QString::fromLatin1(nonce.toByteArray().toBase64())},
                       {QStringLiteral("data"), QString::fromLatin1(sealed.toBase64())}};
}

std::optional<QByteArray> Vault::unseal(const QString &key, const QJsonObject &box)
{
    const QByteArray nonce = QByteArray::fromBase64(box.value(QStringLiteral("nonce")).toString().toLatin1());
    const QByteArray data = QByteArray::fromBase64(box.value(QStringLiteral("data")).toString().toLatin1());
    if (nonce.size() != kNonceSize || data.size() < kTagSize)
        return std::nullopt;
    QCA::Cipher cipher(QStringLiteral("aes256"), QCA::Cipher::GCM, QCA::Cipher::NoPadding, QCA::Decode,
                       QCA::SymmetricKey(m_key), QCA::InitializationVector(nonce),
                       QCA::AuthTag(data.right(kTagSize)));
    QByteArray plain = cipher.update(QCA::MemoryRegion(data.left(data.size() - kTagSize))).toByteArray();
    plain += cipher.final().toByteArray();
    if (!cipher.ok())
        return std::nullopt; // the tag did not verify: wrong key or tampered data
    const QByteArray prefix = key.toUtf8() + '\0';
    if (!plain.startsWith(prefix))
        return std::nullopt; // an entry moved under another key
    return plain.mid(prefix.size());
}

// Takes in what another writer saved since this object last read or wrote the file. The key stays valid as
// long as the salt and rounds are the ones it was derived from; a vault made anew needs open() again.
bool Vault::refresh()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QJsonObject doc = QJsonDocument::fromJson(file.readAll()).object();
    if (doc == m_doc)
        return true;
    for (const char *field : {"format", "kdf", "iterations", "salt", "check"}) {
        const QString name = QString::fromLatin1(field);
        if (doc.value(name) != m_doc.value(name)) {
            m_key.clear();
            m_error = QStringLiteral("%1 was replaced by another program; unlock it again").arg(m_path);
            return false;
        }
    }
    m_doc = doc;
    return true;
}

std::optional<QByteArray> Vault::read(const QString &key)
{
    if (!isOpen() || !refresh())
        return std::nullopt;
    const QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    if (!entries.contains(key))
        return std::nullopt;
    auto secret = unseal(key, entries.value(key).toObject());
    if (!secret)
        m_error = QStringLiteral("the vault entry for %1 is damaged").arg(key);
    return secret;
}

bool Vault::write(const QString &key, const QByteArray &secret)
{
    if (!isOpen() || !refresh())
        return false;
    const auto box = seal(key, secret);
    if (!box)
        return false;
    QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    entries.insert(key, *box);
    m_doc.insert(QStringLiteral("entries"), entries);
    return save();
}

bool Vault::remove(const QString &key)
{
    if (!isOpen() || !refresh())
        return false;
    QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    entries.remove(key);
    m_doc.insert(QStringLiteral("entries"), entries);
    return save();
}

bool Vault::save()
{
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(m_doc).toJson());
    if (!file.commit()) {
        m_error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

} // namespace tern::accounts
