// SPDX-License-Identifier: GPL-3.0-or-later
#include "profile.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace tern::core {

Profile::Profile(const QString &directory)
    : m_directory(QDir::cleanPath(QDir(directory).absolutePath()))
{
}

QString Profile::defaultDirectory()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return base + QStringLiteral("/tern");
}

QString Profile::filePath(const QString &name) const
{
    return m_directory + QLatin1Char('/') + name;
}

bool Profile::ensureExists(QString *error) const
{
    QDir dir(m_directory);
    if (!dir.exists() && !QDir().mkpath(m_directory)) {
        if (error)
            *error = QStringLiteral("cannot create profile directory %1").arg(m_directory);
        return false;
    }
    QFile::setPermissions(m_directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

} // namespace tern::core
