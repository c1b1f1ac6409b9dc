// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountwizard.h"
#include "accounts/wizardpages.h"

#include "accounts/discovery/discovery.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QRadioButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tern::ui {

using accounts::DiscoveredConfig;
using accounts::DiscoverySource;

DiscoveryPage::DiscoveryPage(AccountWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Finding Your Servers"));
    setSubTitle(tr("Tern asks a few places for your provider's settings. You can change them on the next page."));
    auto *layout = new QVBoxLayout(this);

    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("discoveryStatusLabel"));
    m_status->setAccessibleName(tr("Discovery status"));
    m_status->setWordWrap(true);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setAccessibleName(tr("Looking up settings"));
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_busy);
    layout->addLayout(statusRow);

    auto *stepsLabel = new QLabel(tr("Where Tern looked:"));
    layout->addWidget(stepsLabel);
    m_steps = new QTreeWidget;
    m_steps->setObjectName(QStringLiteral("discoveryStepsView"));
    m_steps->setAccessibleName(tr("Where Tern looked for settings"));
    m_steps->setHeaderLabels({tr("Source"), tr("Result"), tr("Asked")});
    m_steps->setRootIsDecorated(false);
    m_steps->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_steps->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_steps->setMinimumHeight(110);
    stepsLabel->setBuddy(m_steps);
    layout->addWidget(m_steps, 2);

    auto *listLabel = new QLabel(tr("&Settings found (choose one):"));
    layout->addWidget(listLabel);
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("discoveredConfigList"));
    m_list->setAccessibleName(tr("Settings found"));
    m_list->setWordWrap(true);
    m_list->setAlternatingRowColors(true);
    m_list->setSpacing(2);
    m_list->setMinimumHeight(90);
    listLabel->setBuddy(m_list);
    layout->addWidget(m_list, 3);

    m_protocolBox = new QWidget;
    auto *protocolRow = new QHBoxLayout(m_protocolBox);
    protocolRow->setContentsMargins(0, 0, 0, 0);
    protocolRow->addWidget(new QLabel(tr("Receive mail with:")));
    m_imap = new QRadioButton(tr("&IMAP (mail stays on the server)"));
    m_imap->setAccessibleName(tr("Use IMAP"));
    m_pop3 = new QRadioButton(tr("&POP3 (mail is downloaded)"));
    m_pop3->setAccessibleName(tr("Use POP3"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_imap);
    group->addButton(m_pop3);
    protocolRow->addWidget(m_imap);
    protocolRow->addWidget(m_pop3);
    protocolRow->addStretch();
    layout->addWidget(m_protocolBox);

    connect(m_list, &QListWidget::currentRowChanged, this, &DiscoveryPage::selectionChanged);
}

QString DiscoveryPage::sourceName(DiscoverySource source)
{
    switch (source) {
    case DiscoverySource::ProviderList: return tr("Tern's provider list");
    case DiscoverySource::AutoconfigHost: return tr("Provider's autoconfig server");
    case DiscoverySource::AutoconfigWellKnown: return tr("Domain's autoconfig file");
    case DiscoverySource::Srv: return tr("DNS SRV records");
    case DiscoverySource::Mx: return tr("DNS MX record");
    case DiscoverySource::Guess: return tr("Guessed host names");
    }
    return {};
}

QString DiscoveryPage::securityName(accounts::Security security)
{
    switch (security) {
    case accounts::Security::Tls: return tr("SSL/TLS");
    case accounts::Security::StartTls: return tr("STARTTLS");
    case accounts::Security::None: return tr("no encryption");
    }
    return {};
}

void DiscoveryPage::initializePage()
{
    cleanupPage();
    m_status->setText(tr("Looking up settings for %1…").arg(field(QStringLiteral("address")).toString()));
    m_busy->setVisible(true);
    m_discovery = new accounts::Discovery(field(QStringLiteral("address")).toString(), m_wizard->discoverySettings(), this);
    connect(m_discovery, &accounts::Discovery::stepFinished, this, &DiscoveryPage::addStep);
    connect(m_discovery, &accounts::Discovery::finished, this, &DiscoveryPage::finished);
    m_discovery->start();
}

void DiscoveryPage::cleanupPage()
{
    if (m_discovery) {
        m_discovery->abort();
        m_discovery->deleteLater();
        m_discovery = nullptr;
    }
    m_finished = false;
    m_configs.clear();
    m_steps->clear();
    m_list->clear();
    m_protocolBox->setVisible(false);
    Q_EMIT completeChanged();
}

void DiscoveryPage::addStep(const accounts::DiscoveryStep &step)
{
    auto *item = new QTreeWidgetItem(m_steps);
    item->setText(0, sourceName(step.source));
    item->setText(1, step.found ? tr("found") : tr("nothing"));
    item->setText(2, step.origin);
    item->setToolTip(2, step.found ? step.origin : step.origin + QLatin1Char('\n') + step.detail);
    item->setData(0, Qt::UserRole, int(step.source));
}

void DiscoveryPage::finished()
{
    m_finished = true;
    m_busy->setVisible(false);
    m_configs = m_discovery->configs();
    auto describe = [](const accounts::ServerSetting &s) {
        const QString kind = s.protocol == accounts::ServerProtocol::Imap ? QStringLiteral("IMAP")
                             : s.protocol == accounts::ServerProtocol::Pop3 ? QStringLiteral("POP3")
                                                                            : QStringLiteral("SMTP");
        return tr("%1 %2:%3 (%4)").arg(kind, s.host).arg(s.port).arg(securityName(s.security));
    };
    for (const DiscoveredConfig &c : std::as_const(m_configs)) {
        QStringList servers;
        for (auto protocol : {accounts::IncomingProtocol::Imap, accounts::IncomingProtocol::Pop3}) {
            if (const auto *s = c.bestIncoming(protocol))
                servers << describe(*s);
        }
        if (const auto *s = c.bestOutgoing())
            servers << describe(*s);
        const QString trust = c.verified ? tr("verified") : tr("unverified: check these are your provider's servers");
        const QString title = c.providerName.isEmpty()
                                  ? tr("%1 (%2)").arg(sourceName(c.source), trust)
                                  : tr("%1: %2 (%3)").arg(c.providerName, sourceName(c.source), trust);
        auto *item = new QListWidgetItem(title + QLatin1Char('\n') + servers.join(QLatin1String(", ")));
        item->setToolTip(c.origin);
        m_list->addItem(item);
    }
    if (m_configs.isEmpty()) {
        m_status->setText(tr("No settings were found for this address. Enter them on the next page."));
    } else {
        m_status->setText(m_configs.size() == 1 ? tr("Tern found settings for your address.")
                                                : tr("Tern found several sets of settings; the first is the most trustworthy."));
        m_list->setCurrentRow(0);
    }
    Q_EMIT completeChanged();
    Q_EMIT discoveryFinished();
}

void DiscoveryPage::selectionChanged()
{
    const auto config = chosenConfig();
    const bool imap = config && config->offers(accounts::IncomingProtocol::Imap);
    const bool pop3 = config && config->offers(accounts::IncomingProtocol::Pop3);
    m_protocolBox->setVisible(imap && pop3); // the choice only where there is one
    m_imap->setChecked(imap);
    m_pop3->setChecked(!imap && pop3);
}

bool DiscoveryPage::isComplete() const
{
    return m_finished;
}

std::optional<DiscoveredConfig> DiscoveryPage::chosenConfig() const
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_configs.size())
        return std::nullopt;
    return m_configs.at(row);
}

accounts::IncomingProtocol DiscoveryPage::chosenProtocol() const
{
    return m_pop3->isChecked() ? accounts::IncomingProtocol::Pop3 : accounts::IncomingProtocol::Imap;
}

} // namespace tern::ui
