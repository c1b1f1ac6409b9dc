// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/secretstore.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QFile>

#include <qt6keychain/keychain.h>

namespace tern::accounts {

SecretStore::SecretStore(const QString &profileDirectory, QByteArray primaryPassword)
    : m_service(QStringLiteral("org.tern.Tern/")
                + QString::fromLatin1(QCryptographicHash::hash(profileDirectory.toUtf8(), QCryptographicHash::Sha256)
                                          .toHex()
                                          .left(16)))
    , m_vault(profileDirectory + QStringLiteral("/vault.json"))
    , m_primaryPassword(std::move(primaryPassword))
{
    if (!keyringReachable())
        m_backend = Backend::Vault;
}

bool SecretStore::keyringReachable() const
{
    if (qEnvironmentVariable("TERN_SECRETS") == QLatin1StringView("vault"))
        return false;
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    // Linux keyrings (Secret Service, KWallet) are D-Bus services: without a session bus none can answer.
    return qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS");
#else
    return true;
#endif
}

bool SecretStore::openVault()
{
    m_backend = Backend::Vault;
    if (m_vault.isOpen())
        return true;
    if (m_primaryPassword.isEmpty()) {
        m_error = QStringLiteral("no keyring service answered and no primary password was given "
                                 "(set TERN_PRIMARY_PASSWORD)");
        return false;
    }
    if (!m_vault.open(m_primaryPassword)) {
        m_error = m_vault.error();
        return false;
    }
    return true;
}

namespace {

// Runs one QtKeychain job to completion. Jobs answer through the event loop (D-Bus on Linux), so the call
// waits in a local loop; the GUI calls SecretStore from a worker, never from its own thread.
QKeychain::Error runJob(QKeychain::Job &job, const QString &key)
{
    job.setAutoDelete(false);
    job.setKey(key);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    return job.error();
}

} // namespace

SecretStore::KeyringResult SecretStore::keyringWrite(const QString &key, const QByteArray &secret)
{
    QKeychain::WritePasswordJob job(m_service);
    job.setBinaryData(secret);
    return runJob(job, key) == QKeychain::NoError ? KeyringResult::Ok : KeyringResult::Unavailable;
}

SecretStore::KeyringResult SecretStore::keyringRead(const QString &key, QByteArray *secret)
{
    QKeychain::ReadPasswordJob job(m_service);
    switch (runJob(job, key)) {
    case QKeychain::NoError: *secret = job.binaryData(); return KeyringResult::Ok;
    case QKeychain::EntryNotFound: return KeyringResult::NotFound;
    default: return KeyringResult::Unavailable;
    }
}

bool SecretStore::store(const QString &key, const QByteArray &secret)
{
    if (m_backend == Backend::Keyring && keyringWrite(key, secret) == KeyringResult::Ok)
        return true;
    return openVault() && (m_vault.write(key, secret) || (m_error = m_vault.error(), false));
}

std::optional<QByteArray> SecretStore::load(const QString &key)
{
    if (m_backend == Backend::Keyring) {
        QByteArray secret;
        switch (keyringRead(key, &secret)) {
        case KeyringResult::Ok: return secret;
        case KeyringResult::NotFound: break; // perhaps stored in the vault on a day the keyring was away
        case KeyringResult::Unavailable: break;
        }
    }
    if (!openVault())
        return std::nullopt;
    auto secret = m_vault.read(key);
    if (!secret)
        m_error = QStringLiteral("no secret stored for %1").arg(key);
    return secret;
}

bool SecretStore::remove(const QString &key)
{
    if (m_backend == Backend::Keyring) {
        QKeychain::DeletePasswordJob job(m_service);
        runJob(job, key); // EntryNotFound is fine: perhaps it lives in the vault
    }
    if (QFile::exists(m_vault.path()) && openVault())
        return m_vault.remove(key);
    return true;
}

} // namespace tern::accounts
