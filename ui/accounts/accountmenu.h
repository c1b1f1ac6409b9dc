// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QWidget;

namespace tern::ui {

// "Add Account…" and "Account Settings…" for a window's menu: opens the wizard or the settings dialog
// (window-modal, never a nested event loop) and says when the profile's accounts changed.
class AccountMenu : public QObject
{
    Q_OBJECT

public:
    AccountMenu(QMenu *menu, QWidget *window);

    void setProfileDirectory(const QString &directory) { m_profileDirectory = directory; }
    QAction *addAccountAction() const { return m_add; }
    QAction *settingsAction() const { return m_settings; }

    void addAccount();
    void editAccount(const QString &name);
    void chooseAccountToEdit();

Q_SIGNALS:
    void accountsChanged(const QString &profileDirectory);

private:
    QWidget *m_window;
    QString m_profileDirectory;
    QAction *m_add = nullptr;
    QAction *m_settings = nullptr;
};

} // namespace tern::ui
