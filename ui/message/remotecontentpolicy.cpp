// SPDX-License-Identifier: GPL-3.0-or-later
#include "message/remotecontentpolicy.h"

#include <QDir>
#include <QSettings>

namespace tern::ui {

namespace {
const QString kKey = QStringLiteral("remote-content/allowed-senders");
}

RemoteContentPolicy::RemoteContentPolicy(const QString &profileDirectory)
{
    if (profileDirectory.isEmpty())
        return;
    m_file = QDir(profileDirectory).filePath(QStringLiteral("remote-content.ini"));
    m_allowed = QSettings(m_file, QSettings::IniFormat).value(kKey).toStringList();
}

bool RemoteContentPolicy::isAllowed(const QString &address) const
{
    return !address.isEmpty() && m_allowed.contains(address.toLower());
}

void RemoteContentPolicy::allow(const QString &address)
{
    if (address.isEmpty() || isAllowed(address))
        return;
    m_allowed.append(address.toLower());
    save();
}

void RemoteContentPolicy::revoke(const QString &address)
{
    if (m_allowed.removeAll(address.toLower()))
        save();
}

void RemoteContentPolicy::save() const
{
    if (m_file.isEmpty())
        return;
    QSettings settings(m_file, QSettings::IniFormat);
    settings.setValue(kKey, m_allowed);
    settings.sync();
}

} // namespace tern::ui
