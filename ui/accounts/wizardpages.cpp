// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/wizardpages.h"

#include "accounts/accountwizard.h"
#include "accounts/connectiontestpanel.h"
#include "accounts/servereditor.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace tern::ui {

IdentityPage::IdentityPage(QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(tr("Your Mail Account"));
    setSubTitle(tr("Tern finds the servers from your address. Your password goes to the system keyring or "
                   "Tern's encrypted vault, never into a plain file."));
    auto *form = new QFormLayout(this);
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setAccessibleName(tr("Your name"));
    m_name->setPlaceholderText(tr("As others will see it"));
    m_address = new QLineEdit;
    m_address->setObjectName(QStringLiteral("addressEdit"));
    m_address->setAccessibleName(tr("E-mail address"));
    m_address->setPlaceholderText(tr("you@example.org"));
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    form->addRow(tr("Your &name:"), m_name);
    form->addRow(tr("E-mail &address:"), m_address);
    form->addRow(tr("&Password:"), m_password);
    registerField(QStringLiteral("name"), m_name);
    registerField(QStringLiteral("address*"), m_address);
    registerField(QStringLiteral("password"), m_password);
}

bool IdentityPage::isComplete() const
{
    QString local;
    QString domain;
    return accounts::splitAddress(m_address->text(), &local, &domain);
}

ServerPage::ServerPage(AccountWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Server Settings"));
    setSubTitle(tr("Check the settings; change anything your provider told you differently."));
    auto *layout = new QVBoxLayout(this);
    m_origin = new QLabel;
    m_origin->setObjectName(QStringLiteral("settingsOriginLabel"));
    m_origin->setAccessibleName(tr("Where these settings came from"));
    m_origin->setWordWrap(true);
    layout->addWidget(m_origin);
    auto *incomingBox = new QGroupBox(tr("Incoming mail"));
    m_incoming = new ServerEditor(ServerEditor::Role::Incoming);
    m_incoming->setObjectName(QStringLiteral("incomingEditor"));
    (new QVBoxLayout(incomingBox))->addWidget(m_incoming);
    auto *outgoingBox = new QGroupBox(tr("Outgoing mail (SMTP)"));
    m_outgoing = new ServerEditor(ServerEditor::Role::Outgoing);
    m_outgoing->setObjectName(QStringLiteral("outgoingEditor"));
    (new QVBoxLayout(outgoingBox))->addWidget(m_outgoing);
    layout->addWidget(incomingBox);
    layout->addWidget(outgoingBox);
    connect(m_incoming, &ServerEditor::changed, this, &ServerPage::completeChanged);
    connect(m_outgoing, &ServerEditor::changed, this, &ServerPage::completeChanged);
}

void ServerPage::initializePage()
{
    const QString address = field(QStringLiteral("address")).toString().trimmed();
    const auto config = m_wizard->discoveryPageWidget()->chosenConfig();
    if (!config) {
        m_origin->setText(tr("No settings were found: please enter them."));
        accounts::Server blank;
        blank.user = address;
        m_incoming->setServer(blank);
        m_outgoing->setServer(blank);
        return;
    }
    const auto protocol = m_wizard->discoveryPageWidget()->chosenProtocol();
    m_origin->setText(config->verified ? tr("Source: %1 (verified).").arg(DiscoveryPage::sourceName(config->source))
                                       : tr("Source: %1 (unverified: check these are your provider's servers).")
                                             .arg(DiscoveryPage::sourceName(config->source)));
    m_origin->setToolTip(config->origin);
    m_incoming->setProtocol(protocol);
    if (const auto *s = config->bestIncoming(protocol))
        m_incoming->setServer(s->toServer());
    if (const auto *s = config->bestOutgoing())
        m_outgoing->setServer(s->toServer());
}

bool ServerPage::isComplete() const
{
    return m_incoming->isComplete() && m_outgoing->isComplete();
}

TestPage::TestPage(AccountWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Test and Finish"));
    setSubTitle(tr("Test the connection before you finish, or finish now and test later."));
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("accountSummaryLabel"));
    m_summary->setAccessibleName(tr("Account summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);
    m_panel = new ConnectionTestPanel;
    m_panel->setAccountSource([this](accounts::Account *account, QByteArray *password) {
        *account = m_wizard->account();
        *password = m_wizard->password();
        return account->validate().isEmpty();
    });
    connect(m_panel, &ConnectionTestPanel::certificatePinned, m_wizard, &AccountWizard::addPin);
    layout->addWidget(m_panel, 1);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("saveErrorLabel"));
    m_error->setAccessibleName(tr("Why the account could not be saved"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_error);
}

void TestPage::initializePage()
{
    const accounts::Account a = m_wizard->account();
    auto describe = [](const accounts::Server &s) {
        return tr("%1:%2 (%3), user %4").arg(s.host).arg(s.port).arg(DiscoveryPage::securityName(s.security), s.user);
    };
    m_summary->setText(tr("Account: %1\nIncoming (%2): %3\nOutgoing (SMTP): %4")
                           .arg(a.name,
                                a.incomingProtocol == accounts::IncomingProtocol::Imap ? QStringLiteral("IMAP")
                                                                                       : QStringLiteral("POP3"),
                                describe(a.incoming), describe(a.smtp)));
    m_error->clear();
}

bool TestPage::validatePage()
{
    if (m_wizard->saveAccount())
        return true;
    m_error->setText(m_wizard->saveError());
    return false;
}

} // namespace tern::ui
