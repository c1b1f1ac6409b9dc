// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/discovery/discoveredconfig.h"
#include "accounts/discovery/discoverysettings.h"

#include <QObject>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::accounts {

// Fetches one autoconfig document over HTTPS and parses it. Plain HTTP is never tried: a configuration an
// attacker on the path could have written is not offered as found (SECURITY.md T9). Redirects are followed
// only within the same origin; the body is bounded before it is read.
class AutoconfigFetch : public QObject
{
    Q_OBJECT

public:
    AutoconfigFetch(DiscoverySource source, QString address, DiscoverySettings settings, QObject *parent = nullptr);

    // https://autoconfig.<domain>/mail/config-v1.1.xml?emailaddress=<address>, or
    // https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml, by source.
    static QUrl urlFor(DiscoverySource source, const QString &address);

    void start();

    QUrl url() const { return m_url; }
    std::optional<DiscoveredConfig> result() const { return m_result; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void finished();

private:
    void replyFinished();
    void finish(const QString &error = {});

    DiscoverySource m_source;
    QString m_address;
    DiscoverySettings m_settings;
    QUrl m_url;
    QNetworkAccessManager *m_manager = nullptr;
    QNetworkReply *m_reply = nullptr;
    QByteArray m_body;
    std::optional<DiscoveredConfig> m_result;
    QString m_error;
    bool m_finished = false;
};

} // namespace tern::accounts
