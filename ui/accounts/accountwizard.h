// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "accounts/discovery/discoverysettings.h"

#include <QWizard>

namespace tern::ui {

class DiscoveryPage;
class IdentityPage;
class ServerPage;
class TestPage;

// New account: name, address, password -> discovery (with where each setting came from) -> IMAP or POP3
// -> the servers, editable -> test connection -> saved through AccountStore and SecretStore.
class AccountWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId { IdentityPageId, DiscoveryPageId, ServerPageId, TestPageId };

    AccountWizard(QString profileDirectory, QByteArray primaryPassword, QWidget *parent = nullptr);

    // Where discovery may look (tests point it at 127.0.0.1).
    void setDiscoverySettings(const accounts::DiscoverySettings &settings) { m_discoverySettings = settings; }
    accounts::DiscoverySettings discoverySettings() const { return m_discoverySettings; }
    // An extra CA trusted for the new account's servers (saved as its caFile).
    void setCaFile(const QString &path) { m_caFile = path; }

    // The account as the pages describe it now, with pins the user accepted.
    accounts::Account account() const;
    QByteArray password() const;
    void addPin(const accounts::CertificatePin &pin);
    QString savedAccountName() const { return m_saved; }
    QString saveError() const { return m_saveError; }

    IdentityPage *identityPage() const { return m_identity; }
    DiscoveryPage *discoveryPageWidget() const { return m_discovery; }
    ServerPage *serverPage() const { return m_servers; }
    TestPage *testPage() const { return m_test; }

    bool saveAccount();

Q_SIGNALS:
    void accountAdded(const QString &name);

public Q_SLOTS:
    void accept() override;

private:
    QString m_profileDirectory;
    QByteArray m_primaryPassword;
    accounts::DiscoverySettings m_discoverySettings;
    QString m_caFile;
    QList<accounts::CertificatePin> m_pins;
    IdentityPage *m_identity = nullptr;
    DiscoveryPage *m_discovery = nullptr;
    ServerPage *m_servers = nullptr;
    TestPage *m_test = nullptr;
    QString m_saved;
    QString m_saveError;
};

} // namespace tern::ui
