// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace tern::accounts {

// Where secrets live when no OS keyring answers: an encrypted file in the profile.
// AES-256-GCM (QCA) under a key from PBKDF2-HMAC-SHA256 of the primary password (OpenSSL: qca-ossl offers
// PBKDF2 with SHA-1 only). Each entry has its own random nonce and carries its key name inside the
// authenticated plaintext, so entries cannot be swapped or edited without failing to decrypt.
// Needs a QCA::Initializer alive in main().
class Vault
{
public:
    static constexpr int kIterations = 210000; // OWASP 2023 guidance for PBKDF2-HMAC-SHA256 is >= 210k
    static constexpr int kMinIterations = 200000;

    explicit Vault(const QString &path);

    // Opens the vault (creating it if the file does not exist). False with error() on a wrong password,
    // a damaged file, or when QCA cannot do AES-256-GCM. An open vault stays usable while other Vault objects
    // (another window, tern-cli) write the file: each read or write first takes in the file's current entries.
    bool open(const QByteArray &primaryPassword);
    bool isOpen() const { return !m_key.isEmpty(); }

    std::optional<QByteArray> read(const QString &key);
    bool write(const QString &key, const QByteArray &secret);
    bool remove(const QString &key);

    QString error() const { return m_error; }
    QString path() const { return m_path; }

    static QByteArray deriveKey(const QByteArray &password, const QByteArray &salt, int iterations);

private:
    std::optional<QJsonObject> seal(const QString &key, const QByteArray &plain);
    std::optional<QByteArray> unseal(const QString &key, const QJsonObject &box);
    bool save();
    bool refresh();

    QString m_path;
    QByteArray m_key;
    QJsonObject m_doc;
    QString m_error;
};

} // namespace tern::accounts
