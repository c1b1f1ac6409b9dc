// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountsettingsdialog.h"

#include "accounts/certificatedialog.h"
#include "accounts/connectiontestpanel.h"
#include "accounts/servereditor.h"

#include "accounts/accountstore.h"
#include "accounts/discovery/discoveredconfig.h"
#include "accounts/secretstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tern::ui {

AccountSettingsDialog::AccountSettingsDialog(QString profileDirectory, QByteArray primaryPassword,
                                             const QString &accountName, QWidget *parent)
    : QDialog(parent)
    , m_profileDirectory(std::move(profileDirectory))
    , m_primaryPassword(std::move(primaryPassword))
{
    setObjectName(QStringLiteral("AccountSettingsDialog"));
    setWindowTitle(tr("Account Settings: %1").arg(accountName));
    setAccessibleName(tr("Account settings"));
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget;
    m_tabs->setAccessibleName(tr("Account settings sections"));
    m_incoming = new ServerEditor(ServerEditor::Role::Incoming);
    m_outgoing = new ServerEditor(ServerEditor::Role::Outgoing);
    auto *incomingTab = new QWidget;
    auto *incomingLayout = new QVBoxLayout(incomingTab);
    incomingLayout->addWidget(m_incoming);
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Unchanged"));
    m_password->setAccessibleName(tr("New password (empty keeps the stored one)"));
    m_incoming->addField(tr("New pass&word:"), m_password);
    incomingLayout->addStretch();
    auto *outgoingTab = new QWidget;
    auto *outgoingLayout = new QVBoxLayout(outgoingTab);
    outgoingLayout->addWidget(m_outgoing);
    outgoingLayout->addStretch();
    m_tabs->addTab(identityTab(), tr("&Identity"));
    m_tabs->addTab(incomingTab, tr("I&ncoming"));
    m_tabs->addTab(outgoingTab, tr("O&utgoing"));
    m_tabs->addTab(optionsTab(), tr("O&ptions"));
    layout->addWidget(m_tabs, 1);

    m_panel = new ConnectionTestPanel;
    m_panel->setAccountSource([this](accounts::Account *account, QByteArray *password) {
        *account = this->account();
        *password = passwordForTest();
        return problems().isEmpty();
    });
    connect(m_panel, &ConnectionTestPanel::certificatePinned, this, [this](const accounts::CertificatePin &pin) {
        m_pinList.removeIf([&](const auto &p) { return p.host == pin.host && p.port == pin.port; });
        m_pinList.append(pin);
        m_pins->addItem(tr("%1:%2  %3").arg(pin.host).arg(pin.port).arg(
            CertificateDialog::formatFingerprint(pin.sha256).replace(QLatin1Char('\n'), QLatin1Char(':'))));
    });
    layout->addWidget(m_panel);

    m_problems = new QLabel;
    m_problems->setObjectName(QStringLiteral("problemLabel"));
    m_problems->setAccessibleName(tr("What to fix before saving"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_problems);

    auto *buttons = new QDialogButtonBox;
    m_remove = buttons->addButton(tr("&Remove Account…"), QDialogButtonBox::DestructiveRole);
    m_remove->setObjectName(QStringLiteral("removeAccountButton"));
    m_remove->setAccessibleName(tr("Remove this account"));
    m_save = buttons->addButton(QDialogButtonBox::Save);
    m_save->setAccessibleName(tr("Save the account settings"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Close without saving"));
    connect(m_remove, &QPushButton::clicked, this, &AccountSettingsDialog::confirmRemove);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (save())
            accept();
    });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    layout->addWidget(buttons);

    for (ServerEditor *editor : {m_incoming, m_outgoing}) {
        connect(editor, &ServerEditor::changed, this, &AccountSettingsDialog::updateProblems);
        connect(editor, &ServerEditor::changed, m_panel, &ConnectionTestPanel::clearResult);
    }
    connect(m_password, &QLineEdit::textChanged, m_panel, &ConnectionTestPanel::clearResult);
    connect(m_address, &QLineEdit::textChanged, this, &AccountSettingsDialog::updateProblems);
    load(accountName);
    resize(640, 640);
}

QWidget *AccountSettingsDialog::identityTab()
{
    auto *tab = new QWidget;
    auto *form = new QFormLayout(tab);
    m_displayName = new QLineEdit;
    m_displayName->setAccessibleName(tr("Your name"));
    m_address = new QLineEdit;
    m_address->setAccessibleName(tr("E-mail address"));
    m_signature = new QPlainTextEdit;
    m_signature->setAccessibleName(tr("Signature"));
    m_signature->setTabChangesFocus(true);
    form->addRow(tr("Your &name:"), m_displayName);
    form->addRow(tr("E-mail &address:"), m_address);
    form->addRow(tr("&Signature:"), m_signature);
    return tab;
}

QWidget *AccountSettingsDialog::optionsTab()
{
    auto *tab = new QWidget;
    auto *outer = new QVBoxLayout(tab);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    outer->addLayout(form);
    outer->addStretch();
    m_interval = new QSpinBox;
    m_interval->setRange(1, 24 * 60);
    m_interval->setSuffix(tr(" min"));
    m_interval->setAccessibleName(tr("Check for new mail every so many minutes"));
    form->addRow(tr("Check for new mail &every:"), m_interval);
    m_idle = new QCheckBox(tr("Receive new mail at once (IMAP IDLE)"));
    m_idle->setAccessibleName(tr("Use IMAP IDLE"));
    form->addRow(m_idle);
    m_leaveOnServer = new QCheckBox(tr("Leave messages on the server (POP3)"));
    m_leaveOnServer->setAccessibleName(tr("Leave messages on the POP3 server"));
    form->addRow(m_leaveOnServer);
    m_deleteAfterDays = new QSpinBox;
    m_deleteAfterDays->setRange(0, 3650);
    m_deleteAfterDays->setSpecialValueText(tr("Never"));
    m_deleteAfterDays->setSuffix(tr(" days"));
    m_deleteAfterDays->setAccessibleName(tr("Delete from the POP3 server after so many days"));
    form->addRow(tr("&Delete from server after:"), m_deleteAfterDays);
    m_pins = new QListWidget;
    m_pins->setAccessibleName(tr("Certificates accepted although untrusted"));
    m_pins->setMaximumHeight(90);
    m_pins->setMinimumWidth(380);
    form->addRow(tr("Accepted certificates:"), m_pins);
    m_removePin = new QPushButton(tr("Forget Selected &Certificate"));
    m_removePin->setAccessibleName(tr("Forget the selected accepted certificate"));
    connect(m_removePin, &QPushButton::clicked, this, [this] {
        const int row = m_pins->currentRow();
        if (row < 0 || row >= m_pinList.size())
            return;
        m_pinList.removeAt(row);
        delete m_pins->takeItem(row);
    });
    form->addRow(QString(), m_removePin);
    return tab;
}

void AccountSettingsDialog::load(const QString &name)
{
    accounts::AccountStore store(m_profileDirectory);
    const auto found = store.load() ? store.find(name) : std::nullopt;
    if (!found) {
        m_problems->setText(tr("The account %1 could not be read.").arg(name));
        m_save->setEnabled(false);
        m_remove->setEnabled(false);
        return;
    }
    m_loaded = true;
    m_original = *found;
    const accounts::Identity id = m_original.identities.value(0);
    m_displayName->setText(id.name);
    m_address->setText(id.address);
    m_signature->setPlainText(id.signature);
    m_incoming->setProtocol(m_original.incomingProtocol);
    m_incoming->setServer(m_original.incoming);
    m_outgoing->setServer(m_original.smtp);
    m_interval->setValue(m_original.options.checkIntervalMinutes);
    m_idle->setChecked(m_original.options.imapIdle);
    m_leaveOnServer->setChecked(m_original.options.pop3LeaveOnServer);
    m_deleteAfterDays->setValue(m_original.options.pop3DeleteAfterDays);
    m_pinList = m_original.pinnedCertificates;
    for (const accounts::CertificatePin &pin : std::as_const(m_pinList)) {
        m_pins->addItem(tr("%1:%2  %3").arg(pin.host).arg(pin.port).arg(
            CertificateDialog::formatFingerprint(pin.sha256).replace(QLatin1Char('\n'), QLatin1Char(':'))));
    }
    updateProblems();
}

accounts::Account AccountSettingsDialog::account() const
{
    accounts::Account a = m_original;
    accounts::Identity id{m_displayName->text().trimmed(), m_address->text().trimmed(), m_signature->toPlainText()};
    if (a.identities.isEmpty())
        a.identities.append(id);
    else
        a.identities[0] = id;
    a.incomingProtocol = m_incoming->protocol();
    a.incoming = m_incoming->server();
    a.smtp = m_outgoing->server();
    a.options.checkIntervalMinutes = m_interval->value();
    a.options.imapIdle = m_idle->isChecked();
    a.options.pop3LeaveOnServer = m_leaveOnServer->isChecked();
    a.options.pop3DeleteAfterDays = m_deleteAfterDays->value();
    a.pinnedCertificates = m_pinList;
    return a;
}

QStringList AccountSettingsDialog::problems() const
{
    QStringList problems;
    QString local;
    QString domain;
    if (!accounts::splitAddress(m_address->text(), &local, &domain))
        problems << tr("Enter a valid e-mail address on the Identity tab.");
    for (const QString &p : m_incoming->problems())
        problems << tr("Incoming: %1").arg(p);
    for (const QString &p : m_outgoing->problems())
        problems << tr("Outgoing: %1").arg(p);
    return problems;
}

void AccountSettingsDialog::updateProblems()
{
    if (!m_loaded)
        return;
    const QStringList list = problems();
    m_problems->setText(list.join(QLatin1Char('\n')));
    m_problems->setVisible(!list.isEmpty());
    m_save->setEnabled(list.isEmpty());
}

QByteArray AccountSettingsDialog::passwordForTest()
{
    if (!m_password->text().isEmpty())
        return m_password->text().toUtf8();
    accounts::SecretStore secrets(m_profileDirectory, m_primaryPassword);
    return secrets.load(m_original.incomingSecretKey()).value_or(QByteArray());
}

bool AccountSettingsDialog::save()
{
    if (!m_loaded || !problems().isEmpty())
        return false;
    const accounts::Account a = account();
    accounts::AccountStore store(m_profileDirectory);
    if (!store.load() || !store.remove(m_original.name) || !store.add(a) || !store.save()) {
        m_problems->setText(tr("Cannot save the account: %1").arg(store.error()));
        m_problems->setVisible(true);
        return false;
    }
    if (!m_password->text().isEmpty()) {
        accounts::SecretStore secrets(m_profileDirectory, m_primaryPassword);
        const QByteArray secret = m_password->text().toUtf8();
        if (!secrets.store(a.incomingSecretKey(), secret) || !secrets.store(a.smtpSecretKey(), secret)) {
            m_problems->setText(tr("Cannot store the password: %1").arg(secrets.error()));
            m_problems->setVisible(true);
            return false;
        }
    }
    m_original = a;
    Q_EMIT accountChanged(a.name);
    return true;
}

void AccountSettingsDialog::confirmRemove()
{
    m_confirm = new QMessageBox(QMessageBox::Warning, tr("Remove Account"),
                                tr("Remove the account %1? Its settings and stored password are deleted; mail "
                                   "on the server is not touched.").arg(m_original.name),
                                QMessageBox::Cancel, this);
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = m_confirm->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    yes->setAccessibleName(tr("Remove the account"));
    m_confirm->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirm, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton *clicked) {
        if (clicked == yes && remove())
            accept();
    });
    m_confirm->open();
}

bool AccountSettingsDialog::remove()
{
    accounts::AccountStore store(m_profileDirectory);
    if (!store.load() || !store.remove(m_original.name) || !store.save()) {
        m_problems->setText(tr("Cannot remove the account: %1").arg(store.error()));
        m_problems->setVisible(true);
        return false;
    }
    accounts::SecretStore secrets(m_profileDirectory, m_primaryPassword);
    secrets.remove(m_original.incomingSecretKey());
    secrets.remove(m_original.smtpSecretKey());
    Q_EMIT accountRemoved(m_original.name);
    return true;
}

} // namespace tern::ui
