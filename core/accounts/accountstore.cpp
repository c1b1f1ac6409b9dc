// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace tern::accounts {

AccountStore::AccountStore(const QString &profileDirectory)
    : m_path(profileDirectory + QStringLiteral("/accounts.json"))
{
}

bool AccountStore::load()
{
    m_accounts.clear();
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (doc.isNull() || !doc.isObject()) {
        m_error = QStringLiteral("%1 is damaged: %2").arg(m_path, parseError.errorString());
        return false;
    }
    for (const QJsonValue &v : doc.object().value(QStringLiteral("accounts")).toArray())
        m_accounts.append(Account::fromJson(v.toObject()));
    return true;
}

bool AccountStore::save()
{
    QJsonArray list;
    for (const Account &account : std::as_const(m_accounts))
        list.append(account.toJson());
    const QJsonObject root{{QStringLiteral("version"), 1}, {QStringLiteral("accounts"), list}};
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(root).toJson());
    if (!file.commit()) {
        m_error = QStringLiteral("cannot write %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

std::optional<Account> AccountStore::find(const QString &name) const
{
    for (const Account &account : m_accounts) {
        if (account.name == name)
            return account;
    }
    return std::nullopt;
}

bool AccountStore::add(const Account &account)
{
    const QStringList problems = account.validate();
    if (!problems.isEmpty()) {
        m_error = problems.join(QStringLiteral("; "));
        return false;
    }
    if (find(account.name)) {
        m_error = QStringLiteral("an account named \"%1\" already exists").arg(account.name);
        return false;
    }
    m_accounts.append(account);
    return true;
}

bool AccountStore::remove(const QString &name)
{
    const qsizetype removed = m_accounts.removeIf([&](const Account &a) { return a.name == name; });
    if (removed == 0) {
        m_error = QStringLiteral("no account named \"%1\"").arg(name);
        return false;
    }
    return true;
}

} // namespace tern::accounts
