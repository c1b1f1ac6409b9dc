// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "accounts/discovery/discoveredconfig.h"

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QRadioButton;
class QTreeWidget;

namespace tern::accounts {
class Discovery;
}

namespace tern::ui {

class AccountWizard;
class ConnectionTestPanel;
class ServerEditor;

class IdentityPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit IdentityPage(QWidget *parent = nullptr);
    bool isComplete() const override;

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *addressEdit() const { return m_address; }
    QLineEdit *passwordEdit() const { return m_password; }

private:
    QLineEdit *m_name = nullptr;
    QLineEdit *m_address = nullptr;
    QLineEdit *m_password = nullptr;
};

// Runs discovery when shown and lists every step with its outcome, then the configurations found, each
// with its source and whether it is verified; and IMAP or POP3 when the chosen one offers both.
class DiscoveryPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit DiscoveryPage(AccountWizard *wizard);
    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    bool isDiscoveryFinished() const { return m_finished; }
    QList<accounts::DiscoveredConfig> configs() const { return m_configs; }
    // The configuration chosen and the protocol; nullopt when none was found (the user fills the form).
    std::optional<accounts::DiscoveredConfig> chosenConfig() const;
    accounts::IncomingProtocol chosenProtocol() const;

    QTreeWidget *stepsView() const { return m_steps; }
    QListWidget *configList() const { return m_list; }
    QRadioButton *imapButton() const { return m_imap; }
    QRadioButton *pop3Button() const { return m_pop3; }
    QLabel *statusLabel() const { return m_status; }

    static QString sourceName(accounts::DiscoverySource source);
    static QString securityName(accounts::Security security);

Q_SIGNALS:
    void discoveryFinished();

private:
    void addStep(const accounts::DiscoveryStep &step);
    void finished();
    void selectionChanged();

    AccountWizard *m_wizard;
    accounts::Discovery *m_discovery = nullptr;
    QList<accounts::DiscoveredConfig> m_configs;
    QLabel *m_status = nullptr;
    QProgressBar *m_busy = nullptr;
    QTreeWidget *m_steps = nullptr;
    QListWidget *m_list = nullptr;
    QWidget *m_protocolBox = nullptr;
    QRadioButton *m_imap = nullptr;
    QRadioButton *m_pop3 = nullptr;
    bool m_finished = false;
};

class ServerPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit ServerPage(AccountWizard *wizard);
    void initializePage() override;
    bool isComplete() const override;

    ServerEditor *incomingEditor() const { return m_incoming; }
    ServerEditor *outgoingEditor() const { return m_outgoing; }
    QLabel *originLabel() const { return m_origin; }

private:
    AccountWizard *m_wizard;
    QLabel *m_origin = nullptr;
    ServerEditor *m_incoming = nullptr;
    ServerEditor *m_outgoing = nullptr;
};

class TestPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit TestPage(AccountWizard *wizard);
    void initializePage() override;
    bool validatePage() override;

    ConnectionTestPanel *panel() const { return m_panel; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *errorLabel() const { return m_error; }

private:
    AccountWizard *m_wizard;
    QLabel *m_summary = nullptr;
    ConnectionTestPanel *m_panel = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace tern::ui
