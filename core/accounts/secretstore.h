// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/vault.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace tern::accounts {

// Passwords and tokens, never in a plain file: the OS keyring through QtKeychain, and where no keyring
// service answers (a headless machine, no D-Bus session), the profile's encrypted Vault, unlocked by the
// primary password (tern-cli reads it from TERN_PRIMARY_PASSWORD).
class SecretStore
{
public:
    enum class Backend { Keyring, Vault };

    explicit SecretStore(const QString &profileDirectory, QByteArray primaryPassword = {});

    bool store(const QString &key, const QByteArray &secret);
    std::optional<QByteArray> load(const QString &key);
    bool remove(const QString &key);

    Backend backend() const { return m_backend; }
    QString error() const { return m_error; }

private:
    enum class KeyringResult { Ok, NotFound, Unavailable };
    KeyringResult keyringWrite(const QString &key, const QByteArray &secret);
    KeyringResult keyringRead(const QString &key, QByteArray *secret);
    bool openVault();
    bool keyringReachable() const;

    QString m_service;
    Vault m_vault;
    QByteArray m_primaryPassword;
    Backend m_backend = Backend::Keyring;
    QString m_error;
};

} // namespace tern::accounts
