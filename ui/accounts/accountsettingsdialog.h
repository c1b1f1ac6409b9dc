// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QDialog>
#include <QMessageBox>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;

class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace tern::ui {

class ConnectionTestPanel;
class ServerEditor;

// Edit or remove one account: identity, incoming, outgoing and options tabs, validated before saving,
// with the same connection test as the wizard.
class AccountSettingsDialog : public QDialog
{
    Q_OBJECT

public:
    AccountSettingsDialog(QString profileDirectory, QByteArray primaryPassword, const QString &accountName,
                          QWidget *parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    accounts::Account account() const; // as the form describes it
    QStringList problems() const;

    QTabWidget *tabs() const { return m_tabs; }
    QLineEdit *displayNameEdit() const { return m_displayName; }
    QLineEdit *passwordEdit() const { return m_password; }
    ServerEditor *incomingEditor() const { return m_incoming; }
    ServerEditor *outgoingEditor() const { return m_outgoing; }
    ConnectionTestPanel *testPanel() const { return m_panel; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *saveButton() const { return m_save; }
    QLabel *problemLabel() const { return m_problems; }
    QMessageBox *removeConfirmation() const { return m_confirm; }

    bool save();

Q_SIGNALS:
    void accountChanged(const QString &name);
    void accountRemoved(const QString &name);

private:
    QWidget *identityTab();
    QWidget *optionsTab();
    void load(const QString &name);
    void updateProblems();
    void confirmRemove();
    bool remove();
    QByteArray passwordForTest();

    QString m_profileDirectory;
    QByteArray m_primaryPassword;
    accounts::Account m_original;
    bool m_loaded = false;
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_displayName = nullptr;
    QLineEdit *m_address = nullptr;
    QPlainTextEdit *m_signature = nullptr;
    QLineEdit *m_password = nullptr;
    ServerEditor *m_incoming = nullptr;
    ServerEditor *m_outgoing = nullptr;
    QCheckBox *m_leaveOnServer = nullptr;
    QSpinBox *m_deleteAfterDays = nullptr;
    QCheckBox *m_idle = nullptr;
    QSpinBox *m_interval = nullptr;
    QListWidget *m_pins = nullptr;
    QPushButton *m_removePin = nullptr;
    QList<accounts::CertificatePin> m_pinList;
    ConnectionTestPanel *m_panel = nullptr;
    QLabel *m_problems = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_save = nullptr;
    QPointer<QMessageBox> m_confirm;
};

} // namespace tern::ui
