// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's account entries open the wizard and the settings dialog without a nested event loop.
#include "accounts/accountsettingsdialog.h"
#include "accounts/accountwizard.h"
#include "mainwindow.h"

#include "accounts/accountstore.h"

#include <QAction>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;

class TestAccountMenu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addAccountOpensTheWizard()
    {
        QTemporaryDir profile;
        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        auto *add = window.findChild<QAction *>(QStringLiteral("addAccountAction"));
        QVERIFY(add);
        QVERIFY(!add->text().isEmpty());
        add->trigger(); // returns at once: the wizard is window-modal, not exec()'d
        QTRY_VERIFY(window.findChild<ui::AccountWizard *>() && window.findChild<ui::AccountWizard *>()->isVisible());
        ui::AccountWizard *wizard = window.findChild<ui::AccountWizard *>();
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::IdentityPageId));
        wizard->reject();
    }

    void settingsWithoutAccountsSaysSo()
    {
        QTemporaryDir profile;
        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        window.findChild<QAction *>(QStringLiteral("accountSettingsAction"))->trigger();
        QTRY_VERIFY(window.findChild<QMessageBox *>() && window.findChild<QMessageBox *>()->isVisible());
        QVERIFY(!window.findChild<ui::AccountSettingsDialog *>());
    }

    void settingsOpensTheOnlyAccount()
    {
        QTemporaryDir profile;
        accounts::Account a;
        a.name = QStringLiteral("home");
        a.identities.append({QStringLiteral("Me"), QStringLiteral("me@example.org"), {}});
        a.incoming = {QStringLiteral("imap.example.org"), 993, accounts::Security::Tls, {}, QStringLiteral("me")};
        a.smtp = {QStringLiteral("smtp.example.org"), 465, accounts::Security::Tls, {}, QStringLiteral("me")};
        accounts::AccountStore store(profile.path());
        QVERIFY(store.load() && store.add(a) && store.save());

        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        window.findChild<QAction *>(QStringLiteral("accountSettingsAction"))->trigger();
        QTRY_VERIFY(window.findChild<ui::AccountSettingsDialog *>());
        ui::AccountSettingsDialog *dialog = window.findChild<ui::AccountSettingsDialog *>();
        QVERIFY(dialog->isLoaded());
        QCOMPARE(dialog->account().incoming.host, QStringLiteral("imap.example.org"));
        dialog->reject();
    }
};

QTEST_MAIN(TestAccountMenu)
#include "tst_accountmenu.moc"
