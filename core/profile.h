// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tern::core {

// Where one user's accounts, store and settings live. Default: the platform's app-data location
// (~/.local/share/tern on Linux); `--profile DIR` on either front end overrides it.
class Profile
{
public:
    explicit Profile(const QString &directory = defaultDirectory());

    static QString defaultDirectory();

    QString directory() const { return m_directory; }
    QString filePath(const QString &name) const;

    // Creates the directory (owner-only permissions: it holds mail). False with a reason on failure.
    bool ensureExists(QString *error = nullptr) const;

private:
    QString m_directory;
};

} // namespace tern::core
