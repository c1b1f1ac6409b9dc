// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountwizard.h"

#include "accounts/servereditor.h"
#include "accounts/wizardpages.h"

#include "accounts/accountstore.h"
#include "accounts/secretstore.h"

#include <QAbstractButton>
#include <QLineEdit>

namespace tern::ui {

AccountWizard::AccountWizard(QString profileDirectory, QByteArray primaryPassword, QWidget *parent)
    : QWizard(parent)
    , m_profileDirectory(std::move(profileDirectory))
    , m_primaryPassword(std::move(primaryPassword))
{
    setObjectName(QStringLiteral("AccountWizard"));
    setWindowTitle(tr("Add Mail Account"));
    setAccessibleName(tr("Add mail account"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    m_identity = new IdentityPage;
    m_discovery = new DiscoveryPage(this);
    m_servers = new ServerPage(this);
    m_test = new TestPage(this);
    setPage(IdentityPageId, m_identity);
    setPage(DiscoveryPageId, m_discovery);
    setPage(ServerPageId, m_servers);
    setPage(TestPageId, m_test);
    button(BackButton)->setAccessibleName(tr("Back"));
    button(NextButton)->setAccessibleName(tr("Next"));
    button(FinishButton)->setAccessibleName(tr("Finish and save the account"));
    button(CancelButton)->setAccessibleName(tr("Cancel without saving"));
    resize(720, 680);
}

accounts::Account AccountWizard::account() const
{
    accounts::Account a;
    const QString address = m_identity->addressEdit()->text().trimmed();
    a.name = address; // unique per profile and readable; the user may rename it in the settings
    a.identities.append({m_identity->nameEdit()->text().trimmed(), address, {}});
    a.incomingProtocol = m_servers->incomingEditor()->protocol();
    a.incoming = m_servers->incomingEditor()->server();
    a.smtp = m_servers->outgoingEditor()->server();
    a.caFile = m_caFile;
    a.pinnedCertificates = m_pins;
    return a;
}

QByteArray AccountWizard::password() const
{
    return m_identity->passwordEdit()->text().toUtf8();
}

void AccountWizard::addPin(const accounts::CertificatePin &pin)
{
    m_pins.removeIf([&](const accounts::CertificatePin &p) { return p.host == pin.host && p.port == pin.port; });
    m_pins.append(pin);
}

bool AccountWizard::saveAccount()
{
    if (!m_saved.isEmpty())
        return true;
    const accounts::Account a = account();
    accounts::AccountStore store(m_profileDirectory);
    if (!store.load()) {
        m_saveError = tr("Cannot read the accounts file: %1").arg(store.error());
        return false;
    }
    if (store.find(a.name)) {
        m_saveError = tr("An account named %1 already exists.").arg(a.name);
        return false;
    }
    // Secrets first: an account without its password is worse than a stored password without an account.
    accounts::SecretStore secrets(m_profileDirectory, m_primaryPassword);
    const QByteArray secret = password();
    if (!secrets.store(a.incomingSecretKey(), secret) || !secrets.store(a.smtpSecretKey(), secret)) {
        m_saveError = tr("Cannot store the password: %1").arg(secrets.error());
        return false;
    }
    if (!store.add(a) || !store.save()) {
        m_saveError = tr("Cannot save the account: %1").arg(store.error());
        return false;
    }
    m_saved = a.name;
    m_saveError.clear();
    return true;
}

void AccountWizard::accept()
{
    QWizard::accept(); // validates the last page first, which saves the account
    if (!m_saved.isEmpty() && result() == QDialog::Accepted)
        Q_EMIT accountAdded(m_saved);
}

} // namespace tern::ui
