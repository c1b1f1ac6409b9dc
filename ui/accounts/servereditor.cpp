// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/servereditor.h"

#include "accounts/discovery/discoveredconfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace tern::ui {

namespace {

quint16 defaultPort(ServerEditor::Role role, accounts::IncomingProtocol protocol, accounts::Security security)
{
    const bool tls = security == accounts::Security::Tls;
    if (role == ServerEditor::Role::Outgoing)
        return tls ? 465 : 587; // RFC 8314 §3.3 submissions; RFC 6409 submission
    if (protocol == accounts::IncomingProtocol::Imap)
        return tls ? 993 : 143;
    return tls ? 995 : 110;
}

bool isDefaultPort(int port)
{
    return port == 0 || port == 465 || port == 587 || port == 993 || port == 143 || port == 995 || port == 110;
}

} // namespace

ServerEditor::ServerEditor(Role role, QWidget *parent)
    : QWidget(parent)
    , m_role(role)
{
    auto *form = new QFormLayout(this);
    m_form = form;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    const QString prefix = role == Role::Incoming ? tr("Incoming server") : tr("Outgoing server");
    if (role == Role::Incoming) {
        m_protocol = new QComboBox;
        m_protocol->addItem(tr("IMAP (mail stays on the server, all devices in sync)"), int(accounts::IncomingProtocol::Imap));
        m_protocol->addItem(tr("POP3 (mail is downloaded to this computer)"), int(accounts::IncomingProtocol::Pop3));
        m_protocol->setAccessibleName(tr("%1 protocol").arg(prefix));
        form->addRow(tr("&Protocol:"), m_protocol);
        connect(m_protocol, &QComboBox::currentIndexChanged, this, &ServerEditor::protocolChanged);
    }
    m_host = new QLineEdit;
    m_host->setAccessibleName(tr("%1 host name").arg(prefix));
    m_host->setPlaceholderText(role == Role::Incoming ? tr("imap.example.org") : tr("smtp.example.org"));
    form->addRow(tr("&Host:"), m_host);

    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setAccessibleName(tr("%1 port").arg(prefix));
    form->addRow(tr("P&ort:"), m_port);

    m_security = new QComboBox;
    m_security->addItem(tr("SSL/TLS (encrypted from the start)"), int(accounts::Security::Tls));
    m_security->addItem(tr("STARTTLS (encrypted after connecting)"), int(accounts::Security::StartTls));
    m_security->addItem(tr("None (unencrypted, not recommended)"), int(accounts::Security::None));
    m_security->setAccessibleName(tr("%1 connection security").arg(prefix));
    form->addRow(tr("&Security:"), m_security);

    m_user = new QLineEdit;
    m_user->setAccessibleName(tr("%1 user name").arg(prefix));
    form->addRow(tr("&User name:"), m_user);

    m_auth = new QComboBox;
    m_auth->addItem(tr("Automatic (strongest the server offers)"), QString());
    for (const char *mechanism : {"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN"})
        m_auth->addItem(QString::fromLatin1(mechanism), QString::fromLatin1(mechanism));
    m_auth->setAccessibleName(tr("%1 authentication method").arg(prefix));
    form->addRow(tr("&Authentication:"), m_auth);

    m_warning = new QLabel(tr("Your password and mail would cross the network unencrypted."));
    m_warning->setWordWrap(true);
    m_warning->setMinimumHeight(2 * m_warning->fontMetrics().lineSpacing());
    m_warning->setAccessibleName(tr("%1 security warning").arg(prefix));
    m_warning->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_confirmCleartext = new QCheckBox(tr("I understand; connect without encryption"));
    m_confirmCleartext->setAccessibleName(tr("%1: confirm connecting without encryption").arg(prefix));
    form->addRow(m_warning);
    form->addRow(m_confirmCleartext);

    connect(m_security, &QComboBox::currentIndexChanged, this, &ServerEditor::securityChanged);
    for (QLineEdit *edit : {m_host, m_user})
        connect(edit, &QLineEdit::textChanged, this, &ServerEditor::changed);
    connect(m_port, &QSpinBox::valueChanged, this, &ServerEditor::changed);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &ServerEditor::changed);
    connect(m_confirmCleartext, &QCheckBox::toggled, this, &ServerEditor::changed);
    m_port->setValue(defaultPort(m_role, protocol(), accounts::Security::Tls));
    securityChanged();
}

void ServerEditor::addField(const QString &label, QWidget *field)
{
    m_form->insertRow(m_form->rowCount() - 2, label, field); // above the cleartext warning
}

void ServerEditor::setServer(const accounts::Server &server)
{
    m_host->setText(server.host);
    m_security->setCurrentIndex(m_security->findData(int(server.security)));
    m_port->setValue(server.port ? server.port : defaultPort(m_role, protocol(), server.security));
    m_user->setText(server.user);
    const int auth = m_auth->findData(server.authMechanism);
    m_auth->setCurrentIndex(auth < 0 ? 0 : auth);
    // A saved account that already uses cleartext was confirmed when it was set up.
    m_confirmCleartext->setChecked(server.security == accounts::Security::None);
}

accounts::Server ServerEditor::server() const
{
    accounts::Server server;
    server.host = m_host->text().trimmed();
    server.port = quint16(m_port->value());
    server.security = accounts::Security(m_security->currentData().toInt());
    server.user = m_user->text().trimmed();
    server.authMechanism = m_auth->currentData().toString();
    return server;
}

void ServerEditor::setProtocol(accounts::IncomingProtocol protocol)
{
    if (m_protocol)
        m_protocol->setCurrentIndex(m_protocol->findData(int(protocol)));
}

accounts::IncomingProtocol ServerEditor::protocol() const
{
    return m_protocol ? accounts::IncomingProtocol(m_protocol->currentData().toInt()) : accounts::IncomingProtocol::Imap;
}

QStringList ServerEditor::problems() const
{
    QStringList problems;
    if (!accounts::isValidHostName(m_host->text().trimmed()))
        problems << tr("Enter the server's host name, such as mail.example.org.");
    if (m_user->text().trimmed().isEmpty())
        problems << tr("Enter the user name for this server.");
    if (server().security == accounts::Security::None && !m_confirmCleartext->isChecked())
        problems << tr("Confirm that this server may be used without encryption, or choose SSL/TLS or STARTTLS.");
    return problems;
}

void ServerEditor::securityChanged()
{
    const auto security = accounts::Security(m_security->currentData().toInt());
    const bool cleartext = security == accounts::Security::None;
    m_warning->setVisible(cleartext);
    m_confirmCleartext->setVisible(cleartext);
    if (!cleartext)
        m_confirmCleartext->setChecked(false);
    if (isDefaultPort(m_port->value()))
        m_port->setValue(defaultPort(m_role, protocol(), security));
    Q_EMIT changed();
}

void ServerEditor::protocolChanged()
{
    if (isDefaultPort(m_port->value()))
        m_port->setValue(defaultPort(m_role, protocol(), server().security));
    Q_EMIT changed();
}

} // namespace tern::ui
