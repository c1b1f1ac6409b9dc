// SPDX-License-Identifier: GPL-3.0-or-later
// The account wizard and settings dialog, driven like a user would, against the lab: discovery through a
// local HTTPS autoconfig server and a local DNS server, the connection test against Dovecot and Postfix,
// and the certificate dialog for a server with an untrusted certificate. Nothing leaves 127.0.0.1.
#include "wizardlab.h"

#include "accounts/accountsettingsdialog.h"
#include "accounts/accountwizard.h"
#include "accounts/certificatedialog.h"
#include "accounts/connectiontestpanel.h"
#include "accounts/servereditor.h"
#include "accounts/wizardpages.h"

#include "accounts/accountstore.h"
#include "accounts/secretstore.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtCrypto>

using namespace tern;
using tern::test::HelperProcess;
using tern::test::LabEnv;

namespace {

const QByteArray primaryPassword = "wizard-test-primary";

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("TERN_SCREENSHOT_DIR");
    QVERIFY(!dir.isEmpty());
    QDir().mkpath(dir);
    widget->repaint();
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

// Every enabled control a user can reach has a name a screen reader can say.
void checkAccessibleNames(QWidget *root)
{
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        const bool control = qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QSpinBox *>(w)
                             || qobject_cast<QAbstractButton *>(w) || qobject_cast<QAbstractItemView *>(w);
        QWidget *parent = w->parentWidget();
        const bool internal = parent && (parent->inherits("QAbstractSpinBox") || parent->inherits("QComboBox")
                                         || parent->inherits("QTabBar"));
        if (!control || internal || w->inherits("QHeaderView") || !w->isVisibleTo(root))
            continue;
        const QString text = w->accessibleName().isEmpty() && qobject_cast<QAbstractButton *>(w)
                                 ? qobject_cast<QAbstractButton *>(w)->text()
                                 : w->accessibleName();
        QVERIFY2(!text.isEmpty(), qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                                 .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName())));
    }
}

accounts::DiscoverySettings offline()
{
    accounts::DiscoverySettings s;
    s.useProviderList = false;
    s.useAutoconfig = false;
    s.useDns = false;
    s.guessWhenNothingFound = false;
    return s;
}

} // namespace

class TestAccountWizardLab : public QObject
{
    Q_OBJECT

private:
    QCA::Initializer m_qca; // the vault's AES-GCM, as tern's main() sets up
    LabEnv m_lab;
    QTemporaryDir m_profile;

    std::unique_ptr<ui::AccountWizard> makeWizard(const accounts::DiscoverySettings &settings)
    {
        auto wizard = std::make_unique<ui::AccountWizard>(m_profile.path(), primaryPassword);
        wizard->setDiscoverySettings(settings);
        wizard->setCaFile(m_lab.caFile());
        wizard->show();
        return wizard;
    }

    void fillIdentity(ui::AccountWizard *wizard, const LabEnv::User &user)
    {
        ui::IdentityPage *page = wizard->identityPage();
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled()); // no address yet
        QTest::keyClicks(page->nameEdit(), QStringLiteral("Test User"));
        QTest::keyClicks(page->addressEdit(), user.address);
        QTest::keyClicks(page->passwordEdit(), user.password);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    }

    void waitForDiscovery(ui::AccountWizard *wizard)
    {
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::DiscoveryPageId));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->discoveryPageWidget()->isDiscoveryFinished(), 30000);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    }

    QList<accounts::DiscoverySource> foundSources(ui::AccountWizard *wizard)
    {
        QList<accounts::DiscoverySource> sources;
        QTreeWidget *steps = wizard->discoveryPageWidget()->stepsView();
        for (int i = 0; i < steps->topLevelItemCount(); ++i) {
            if (steps->topLevelItem(i)->text(1) == QStringLiteral("found"))
                sources << accounts::DiscoverySource(steps->topLevelItem(i)->data(0, Qt::UserRole).toInt());
        }
        std::sort(sources.begin(), sources.end()); // steps are listed as they finish
        return sources;
    }

    bool runTest(ui::ConnectionTestPanel *panel)
    {
        QSignalSpy finished(panel, &ui::ConnectionTestPanel::testFinished);
        QTest::mouseClick(panel->testButton(), Qt::LeftButton);
        if (!finished.wait(60000))
            return false;
        if (!finished.first().first().toBool())
            qInfo().noquote() << "connection test failed:" << panel->resultLabel()->text() << panel->detailsView()->toPlainText();
        return finished.first().first().toBool();
    }

    std::optional<accounts::Account> savedAccount(const QString &name)
    {
        accounts::AccountStore store(m_profile.path());
        if (!store.load())
            return std::nullopt;
        return store.find(name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_profile.isValid());
        qputenv("TERN_PRIMARY_PASSWORD", primaryPassword);
    }

    // Discovery by autoconfig over HTTPS: both URLs answer, IMAP and POP3 are offered, IMAP is chosen.
    void imapAccountByAutoconfig()
    {
        QTemporaryDir web;
        HelperProcess server;
        QVERIFY2(test::startAutoconfigServer(m_lab, web.path() + QStringLiteral("/root"),
                                             test::labAutoconfig(m_lab, QStringLiteral("Lab Mail")), &server),
                 qPrintable(server.error()));
        accounts::DiscoverySettings settings = offline();
        settings.useAutoconfig = true;
        settings.hostOverrides.insert(QStringLiteral("autoconfig.lab.test"), m_lab.host());
        settings.hostOverrides.insert(QStringLiteral("lab.test"), m_lab.host());
        settings.httpsPort = server.port();
        settings.caCertificates = m_lab.caCertificates();

        const LabEnv::User user = m_lab.createUser(QStringLiteral("wizard-imap"));
        auto wizard = makeWizard(settings);
        QVERIFY(QTest::qWaitForWindowExposed(wizard.get()));
        fillIdentity(wizard.get(), user);
        saveScreenshot(wizard.get(), QStringLiteral("wizard-1-identity"));
        checkAccessibleNames(wizard.get());

        waitForDiscovery(wizard.get());
        ui::DiscoveryPage *page = wizard->discoveryPageWidget();
        QCOMPARE(foundSources(wizard.get()), QList({accounts::DiscoverySource::AutoconfigHost,
                                                    accounts::DiscoverySource::AutoconfigWellKnown}));
        // The host URL carries the address (Thunderbird's autoconfig protocol); '@' may or may not be escaped.
        const QByteArray local = user.address.section(QLatin1Char('@'), 0, 0).toUtf8();
        const QByteArray hostRequest = QByteArray("GET /mail/config-v1.1.xml?emailaddress=").append(local);
        QTRY_VERIFY2(server.output().contains(hostRequest), server.output().constData());
        QTRY_VERIFY2(server.output().contains("GET /.well-known/autoconfig/mail/config-v1.1.xml"), server.output().constData());
        QCOMPARE(page->configList()->count(), 2);
        QCOMPARE(page->configList()->currentRow(), 0);
        QCOMPARE(page->chosenConfig()->source, accounts::DiscoverySource::AutoconfigHost);
        QVERIFY(page->chosenConfig()->verified);
        QVERIFY(page->imapButton()->isVisible());
        QVERIFY(page->pop3Button()->isVisible());
        QVERIFY(page->imapButton()->isChecked());
        saveScreenshot(wizard.get(), QStringLiteral("wizard-2-discovery-autoconfig"));
        checkAccessibleNames(wizard.get());

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        QCOMPARE(servers->incomingEditor()->protocol(), accounts::IncomingProtocol::Imap);
        // Implicit TLS is preferred over the STARTTLS server listed first in the document (RFC 8314).
        QCOMPARE(servers->incomingEditor()->server().port, m_lab.port(QStringLiteral("IMAPS")));
        QCOMPARE(servers->incomingEditor()->server().security, accounts::Security::Tls);
        QCOMPARE(servers->incomingEditor()->server().user, user.address);
        QCOMPARE(servers->outgoingEditor()->server().port, m_lab.port(QStringLiteral("SUBMISSIONS")));
        QVERIFY(servers->originLabel()->text().contains(ui::DiscoveryPage::sourceName(accounts::DiscoverySource::AutoconfigHost)));
        saveScreenshot(wizard.get(), QStringLiteral("wizard-3-servers"));
        checkAccessibleNames(wizard.get());

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::TestPageId));
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        QVERIFY2(wizard->result() == QDialog::Accepted, qPrintable(wizard->saveError()));

        const auto account = savedAccount(user.address);
        QVERIFY(account);
        QCOMPARE(account->incomingProtocol, accounts::IncomingProtocol::Imap);
        QCOMPARE(account->incoming.host, m_lab.host());
        QCOMPARE(account->incoming.port, m_lab.port(QStringLiteral("IMAPS")));
        QCOMPARE(account->identities.first().name, QStringLiteral("Test User"));
        accounts::SecretStore secrets(m_profile.path(), primaryPassword);
        QCOMPARE(secrets.load(account->incomingSecretKey()), std::optional(user.password.toUtf8()));
    }

    // Discovery by RFC 6186 SRV records from a local dnsmasq: only POP3 is published, so there is no
    // protocol choice; the connection test logs in to the lab's POP3 and SMTP servers.
    void pop3AccountBySrvAndTestConnection()
    {
        const QString domain = m_lab.domain();
        HelperProcess dns;
        QVERIFY2(dns.startDnsmasq({QStringLiteral("--srv-host=_pop3s._tcp.%1,%2,%3,0,1").arg(domain, m_lab.host()).arg(m_lab.port(QStringLiteral("POP3S"))),
                                   QStringLiteral("--srv-host=_pop3._tcp.%1,%2,%3,0,1").arg(domain, m_lab.host()).arg(m_lab.port(QStringLiteral("POP3"))),
                                   QStringLiteral("--srv-host=_submission._tcp.%1,%2,%3,0,1").arg(domain, m_lab.host()).arg(m_lab.port(QStringLiteral("SUBMISSION"))),
                                   QStringLiteral("--srv-host=_submissions._tcp.%1,%2,%3,5,1").arg(domain, m_lab.host()).arg(m_lab.port(QStringLiteral("SUBMISSIONS"))),
                                   // RFC 6186 §4: "." says there is no IMAP here.
                                   QStringLiteral("--srv-host=_imaps._tcp.%1").arg(domain)}),
                 qPrintable(dns.error()));
        accounts::DiscoverySettings settings = offline();
        settings.useDns = true;
        settings.nameserver = dns.address();
        settings.nameserverPort = dns.port();

        const LabEnv::User user = m_lab.createUser(QStringLiteral("wizard-pop3"));
        auto wizard = makeWizard(settings);
        fillIdentity(wizard.get(), user);
        waitForDiscovery(wizard.get());
        ui::DiscoveryPage *page = wizard->discoveryPageWidget();
        QCOMPARE(foundSources(wizard.get()), QList({accounts::DiscoverySource::Srv}));
        QCOMPARE(page->configList()->count(), 1);
        QVERIFY(!page->chosenConfig()->verified); // plain DNS (SECURITY.md T9)
        QVERIFY(page->configList()->item(0)->text().contains(QStringLiteral("unverified")));
        QVERIFY(!page->imapButton()->isVisible());
        QVERIFY(page->pop3Button()->isChecked());
        saveScreenshot(wizard.get(), QStringLiteral("wizard-2-discovery-srv"));

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        QCOMPARE(servers->incomingEditor()->protocol(), accounts::IncomingProtocol::Pop3);
        QCOMPARE(servers->incomingEditor()->server().port, m_lab.port(QStringLiteral("POP3S")));
        QCOMPARE(servers->incomingEditor()->server().security, accounts::Security::Tls);
        // Implicit TLS wins over a better SRV priority for STARTTLS (RFC 8314 §5.1).
        QCOMPARE(servers->outgoingEditor()->server().port, m_lab.port(QStringLiteral("SUBMISSIONS")));

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::TestPage *testPage = wizard->testPage();
        QVERIFY(runTest(testPage->panel()));
        QVERIFY(testPage->panel()->resultLabel()->text().contains(QStringLiteral("TLSv1.")));
        QVERIFY(testPage->panel()->detailsButton()->isEnabled());
        QTest::mouseClick(testPage->panel()->detailsButton(), Qt::LeftButton);
        QVERIFY(testPage->panel()->detailsView()->isVisible());
        QVERIFY(testPage->panel()->detailsView()->toPlainText().contains(QStringLiteral("Capabilities")));
        saveScreenshot(wizard.get(), QStringLiteral("wizard-4-test-passed"));
        checkAccessibleNames(wizard.get());
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        const auto account = savedAccount(user.address);
        QVERIFY(account);
        QCOMPARE(account->incomingProtocol, accounts::IncomingProtocol::Pop3);
    }

    // A wrong password: the plain-language reason, and the server's own words behind "Show details".
    void failedTestExplainsItself()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("wizard-badpass"));
        auto wizard = makeWizard(offline());
        QTest::keyClicks(wizard->identityPage()->addressEdit(), user.address);
        QTest::keyClicks(wizard->identityPage()->passwordEdit(), QStringLiteral("not-the-password"));
        waitForDiscovery(wizard.get());
        QCOMPARE(wizard->discoveryPageWidget()->configList()->count(), 0);
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled()); // no host yet
        servers->incomingEditor()->setProtocol(accounts::IncomingProtocol::Pop3);
        servers->incomingEditor()->setServer({m_lab.host(), m_lab.port(QStringLiteral("POP3S")), accounts::Security::Tls, {}, user.address});
        servers->outgoingEditor()->setServer({m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, {}, user.address});
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());

        // Cleartext needs the user's explicit confirmation (SECURITY.md T8).
        ui::ServerEditor *in = servers->incomingEditor();
        in->securityBox()->setCurrentIndex(in->securityBox()->findData(int(accounts::Security::None)));
        QVERIFY(in->cleartextConfirmation()->isVisible());
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
        saveScreenshot(wizard.get(), QStringLiteral("wizard-3-servers-cleartext-warning"));
        in->securityBox()->setCurrentIndex(in->securityBox()->findData(int(accounts::Security::Tls)));
        in->portEdit()->setValue(m_lab.port(QStringLiteral("POP3S")));
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ConnectionTestPanel *panel = wizard->testPage()->panel();
        QVERIFY(!runTest(panel));
        QCOMPARE(panel->resultLabel()->text(), ui::ConnectionTestPanel::plainReason(sync::AccountCheck::Error::Authentication));
        QVERIFY(!panel->detailsView()->isVisible());
        QTest::mouseClick(panel->detailsButton(), Qt::LeftButton);
        QVERIFY(panel->detailsView()->toPlainText().contains(QStringLiteral("The server said:")));
        saveScreenshot(wizard.get(), QStringLiteral("wizard-4-test-failed"));
        wizard->reject();
        QVERIFY(!savedAccount(user.address));
    }

    // The lab's untrusted certificate in front of its POP3 server: the test fails closed, the certificate
    // dialog shows that certificate, Cancel is the default, and accepting pins exactly it.
    void certificateDialogPinsTheCertificate()
    {
        const QString untrusted = m_lab.value(QStringLiteral("TERN_LAB_UNTRUSTED_CERT"));
        HelperProcess relay;
        QVERIFY2(relay.startScript(QStringLiteral("tls_relay.py"),
                                   {QStringLiteral("--cert"), untrusted, QStringLiteral("--key"),
                                    m_lab.value(QStringLiteral("TERN_LAB_UNTRUSTED_KEY")), QStringLiteral("--target-port"),
                                    QString::number(m_lab.port(QStringLiteral("POP3")))}),
                 qPrintable(relay.error()));
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(untrusted, QSsl::Pem);
        QCOMPARE(certificates.size(), 1);
        const QByteArray expected = certificates.first().digest(QCryptographicHash::Sha256);

        const LabEnv::User user = m_lab.createUser(QStringLiteral("wizard-pin"));
        auto wizard = makeWizard(offline());
        fillIdentity(wizard.get(), user);
        waitForDiscovery(wizard.get());
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        servers->incomingEditor()->setProtocol(accounts::IncomingProtocol::Pop3);
        servers->incomingEditor()->setServer({m_lab.host(), relay.port(), accounts::Security::Tls, {}, user.address});
        servers->outgoingEditor()->setServer({m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, {}, user.address});
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);

        ui::ConnectionTestPanel *panel = wizard->testPage()->panel();
        QVERIFY(!runTest(panel));
        QCOMPARE(panel->resultLabel()->text(), ui::ConnectionTestPanel::plainReason(sync::AccountCheck::Error::Certificate));
        QTRY_VERIFY_WITH_TIMEOUT(panel->certificateDialog() && panel->certificateDialog()->isVisible(), 30000);
        ui::CertificateDialog *dialog = panel->certificateDialog();
        QVERIFY(dialog->cancelButton()->isDefault());
        QVERIFY(!dialog->acceptButton()->isEnabled());
        QString shown = dialog->findChild<QLabel *>(QStringLiteral("fingerprintLabel"))->text();
        QCOMPARE(shown.remove(QLatin1Char('\n')).remove(QLatin1Char(':')).toLower(), QString::fromLatin1(expected.toHex()));
        const QString all = [&] {
            QStringList texts;
            for (QLabel *l : dialog->findChildren<QLabel *>())
                texts << l->text();
            return texts.join(QLatin1Char('\n'));
        }();
        QVERIFY(all.contains(QStringLiteral("untrusted.lab.test")));                        // subject
        QVERIFY(all.contains(QStringLiteral("self-signed"), Qt::CaseInsensitive));          // why it failed
        saveScreenshot(dialog, QStringLiteral("certificate-dialog"));
        checkAccessibleNames(dialog);

        QSignalSpy retested(panel, &ui::ConnectionTestPanel::testFinished);
        dialog->understoodBox()->setChecked(true);
        QVERIFY(dialog->acceptButton()->isEnabled());
        QTest::mouseClick(dialog->acceptButton(), Qt::LeftButton);
        QVERIFY(retested.wait(60000));
        QVERIFY2(retested.first().first().toBool(), qPrintable(panel->detailsView()->toPlainText()));
        QCOMPARE(wizard->account().pinnedCertificates.size(), 1);
        QCOMPARE(wizard->account().pinnedCertificates.first().sha256, expected);
        QCOMPARE(wizard->account().pinnedCertificates.first().port, relay.port());

        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        const auto account = savedAccount(user.address);
        QVERIFY(account);
        QCOMPARE(account->pinnedCertificates.size(), 1);
        QCOMPARE(account->pinnedCertificates.first().sha256, expected);

        // The saved pin is what lets the settings dialog's test pass, and only for that port.
        ui::AccountSettingsDialog settings(m_profile.path(), primaryPassword, user.address);
        QVERIFY(settings.isLoaded());
        QVERIFY(runTest(settings.testPanel()));

        // The same certificate on another port is another server: the pin does not cover it (T6).
        HelperProcess otherRelay;
        QVERIFY2(otherRelay.startScript(QStringLiteral("tls_relay.py"),
                                        {QStringLiteral("--cert"), untrusted, QStringLiteral("--key"),
                                         m_lab.value(QStringLiteral("TERN_LAB_UNTRUSTED_KEY")), QStringLiteral("--target-port"),
                                         QString::number(m_lab.port(QStringLiteral("POP3")))}),
                 qPrintable(otherRelay.error()));
        settings.incomingEditor()->portEdit()->setValue(otherRelay.port());
        QVERIFY(!runTest(settings.testPanel()));
        QCOMPARE(settings.testPanel()->resultLabel()->text(),
                 ui::ConnectionTestPanel::plainReason(sync::AccountCheck::Error::Certificate));
        QTRY_VERIFY_WITH_TIMEOUT(settings.testPanel()->certificateDialog(), 30000);
        settings.testPanel()->certificateDialog()->reject(); // Cancel: nothing is pinned
        QCOMPARE(settings.account().pinnedCertificates.size(), 1);
    }

    void settingsDialogEditsValidatesAndRemoves()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("settings"));
        accounts::Account a;
        a.name = user.address;
        a.identities.append({QStringLiteral("Settings User"), user.address, {}});
        a.incomingProtocol = accounts::IncomingProtocol::Pop3;
        a.incoming = {m_lab.host(), m_lab.port(QStringLiteral("POP3S")), accounts::Security::Tls, {}, user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSION")), accounts::Security::StartTls, {}, user.address};
        a.caFile = m_lab.caFile();
        {
            accounts::AccountStore store(m_profile.path());
            QVERIFY(store.load());
            QVERIFY(store.add(a));
            QVERIFY(store.save());
            accounts::SecretStore secrets(m_profile.path(), primaryPassword);
            QVERIFY(secrets.store(a.incomingSecretKey(), user.password.toUtf8()));
            QVERIFY(secrets.store(a.smtpSecretKey(), user.password.toUtf8()));
        }

        ui::AccountSettingsDialog dialog(m_profile.path(), primaryPassword, a.name);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.isLoaded());
        QCOMPARE(dialog.displayNameEdit()->text(), QStringLiteral("Settings User"));
        const QStringList shots = {QStringLiteral("settings-1-identity"), QStringLiteral("settings-2-incoming"),
                                   QStringLiteral("settings-3-outgoing"), QStringLiteral("settings-4-options")};
        for (int i = 0; i < dialog.tabs()->count(); ++i) {
            dialog.tabs()->setCurrentIndex(i);
            saveScreenshot(&dialog, shots.at(i));
            checkAccessibleNames(&dialog);
        }

        // The stored password is used by the test when none is typed.
        QVERIFY2(runTest(dialog.testPanel()), qPrintable(dialog.testPanel()->detailsView()->toPlainText()));

        dialog.tabs()->setCurrentIndex(1);
        dialog.incomingEditor()->hostEdit()->setText(QStringLiteral("not a host"));
        QVERIFY(!dialog.saveButton()->isEnabled());
        QVERIFY(dialog.problemLabel()->text().contains(QStringLiteral("host name")));
        saveScreenshot(&dialog, QStringLiteral("settings-5-validation"));
        dialog.incomingEditor()->hostEdit()->setText(m_lab.host());
        QVERIFY(dialog.saveButton()->isEnabled());
        dialog.displayNameEdit()->setText(QStringLiteral("Renamed User"));
        QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(savedAccount(a.name)->identities.first().name, QStringLiteral("Renamed User"));

        ui::AccountSettingsDialog again(m_profile.path(), primaryPassword, a.name);
        again.show();
        QTest::mouseClick(again.removeButton(), Qt::LeftButton);
        QTRY_VERIFY(again.removeConfirmation() && again.removeConfirmation()->isVisible());
        QCOMPARE(again.removeConfirmation()->defaultButton(), again.removeConfirmation()->button(QMessageBox::Cancel));
        QAbstractButton *remove = nullptr;
        for (QAbstractButton *b : again.removeConfirmation()->buttons()) {
            if (again.removeConfirmation()->buttonRole(b) == QMessageBox::DestructiveRole)
                remove = b;
        }
        QVERIFY(remove);
        QTest::mouseClick(remove, Qt::LeftButton);
        QTRY_COMPARE(again.result(), int(QDialog::Accepted));
        QVERIFY(!savedAccount(a.name));
        accounts::SecretStore secrets(m_profile.path(), primaryPassword);
        QVERIFY(!secrets.load(a.incomingSecretKey()));
    }
};

QTEST_MAIN(TestAccountWizardLab)
#include "tst_accountwizard_lab.moc"
