// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace tern::ui {

// Senders whose messages may load remote content ("Always for <sender>"), kept in the profile
// (remote-content.ini). Addresses compare case-insensitively. Without a profile nothing is remembered.
class RemoteContentPolicy
{
public:
    explicit RemoteContentPolicy(const QString &profileDirectory = {});

    bool isAllowed(const QString &address) const;
    void allow(const QString &address);
    void revoke(const QString &address);
    QStringList allowedSenders() const { return m_allowed; }

private:
    void save() const;

    QString m_file;
    QStringList m_allowed;
};

} // namespace tern::ui
