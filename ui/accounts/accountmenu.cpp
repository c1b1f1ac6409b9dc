// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountmenu.h"

#include "accounts/accountsettingsdialog.h"
#include "accounts/accountwizard.h"

#include "accounts/accountstore.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>

namespace tern::ui {

namespace {

QByteArray primaryPassword()
{
    // As tern-cli: where no keyring answers, the vault's password comes from the environment.
    return qgetenv("TERN_PRIMARY_PASSWORD");
}

} // namespace

AccountMenu::AccountMenu(QMenu *menu, QWidget *window)
    : QObject(window)
    , m_window(window)
{
    m_add = menu->addAction(tr("&Add Account…"), this, &AccountMenu::addAccount);
    m_add->setObjectName(QStringLiteral("addAccountAction"));
    m_settings = menu->addAction(tr("Account &Settings…"), this, &AccountMenu::chooseAccountToEdit);
    m_settings->setObjectName(QStringLiteral("accountSettingsAction"));
}

void AccountMenu::addAccount()
{
    auto *wizard = new AccountWizard(m_profileDirectory, primaryPassword(), m_window);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &AccountWizard::accountAdded, this, [this] { Q_EMIT accountsChanged(m_profileDirectory); });
    wizard->open();
}

void AccountMenu::editAccount(const QString &name)
{
    auto *dialog = new AccountSettingsDialog(m_profileDirectory, primaryPassword(), name, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountSettingsDialog::accountChanged, this, [this] { Q_EMIT accountsChanged(m_profileDirectory); });
    connect(dialog, &AccountSettingsDialog::accountRemoved, this, [this] { Q_EMIT accountsChanged(m_profileDirectory); });
    dialog->open();
}

void AccountMenu::chooseAccountToEdit()
{
    accounts::AccountStore store(m_profileDirectory);
    QStringList names;
    if (store.load()) {
        for (const accounts::Account &a : store.accounts())
            names << a.name;
    }
    if (names.isEmpty()) {
        auto *box = new QMessageBox(QMessageBox::Information, tr("Account Settings"),
                                    tr("There is no account yet. Use \"Add Account…\" to set one up."),
                                    QMessageBox::Ok, m_window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    if (names.size() == 1) {
        editAccount(names.first());
        return;
    }
    auto *chooser = new QInputDialog(m_window);
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setWindowTitle(tr("Account Settings"));
    chooser->setLabelText(tr("&Account:"));
    chooser->setComboBoxItems(names);
    chooser->setAccessibleName(tr("Choose the account to edit"));
    connect(chooser, &QInputDialog::textValueSelected, this, &AccountMenu::editAccount);
    chooser->open();
}

} // namespace tern::ui
