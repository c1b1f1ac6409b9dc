// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tern::ui {

// Host, port, security, user name and login method of one server, with the cleartext warning: choosing
// "None" shows why that is dangerous and needs an explicit confirmation (SECURITY.md T8).
class ServerEditor : public QWidget
{
    Q_OBJECT

public:
    enum class Role { Incoming, Outgoing };

    explicit ServerEditor(Role role, QWidget *parent = nullptr);

    void setServer(const accounts::Server &server);
    accounts::Server server() const;
    void setProtocol(accounts::IncomingProtocol protocol); // Incoming only
    accounts::IncomingProtocol protocol() const;

    // Empty when the fields can be used; otherwise what to fix, translated.
    QStringList problems() const;
    bool isComplete() const { return problems().isEmpty(); }

    QLineEdit *hostEdit() const { return m_host; }
    QSpinBox *portEdit() const { return m_port; }
    QComboBox *securityBox() const { return m_security; }
    QComboBox *protocolBox() const { return m_protocol; }
    QLineEdit *userEdit() const { return m_user; }
    QCheckBox *cleartextConfirmation() const { return m_confirmCleartext; }

    // One more row in the same form (the settings dialog's password), aligned with the others.
    void addField(const QString &label, QWidget *field);

Q_SIGNALS:
    void changed();

private:
    void securityChanged();
    void protocolChanged();

    Role m_role;
    QFormLayout *m_form = nullptr;
    QComboBox *m_protocol = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_security = nullptr;
    QLineEdit *m_user = nullptr;
    QComboBox *m_auth = nullptr;
    QLabel *m_warning = nullptr;
    QCheckBox *m_confirmCleartext = nullptr;
};

} // namespace tern::ui
