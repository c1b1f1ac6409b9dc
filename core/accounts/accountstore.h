// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QList>
#include <QString>
#include <optional>

namespace tern::accounts {

// The profile's accounts, kept in accounts.json. Writes are atomic (write-then-rename): a crash leaves
// either the old file or the new one, never half of each.
class AccountStore
{
public:
    explicit AccountStore(const QString &profileDirectory);

    // Reads the file; a missing file is an empty list. False (and error()) when the file is unreadable.
    bool load();
    bool save();

    const QList<Account> &accounts() const { return m_accounts; }
    std::optional<Account> find(const QString &name) const;

    // False (and error()) when the account is invalid or the name is taken.
    bool add(const Account &account);
    bool remove(const QString &name);

    QString error() const { return m_error; }
    QString filePath() const { return m_path; }

private:
    QString m_path;
    QList<Account> m_accounts;
    QString m_error;
};

} // namespace tern::accounts
