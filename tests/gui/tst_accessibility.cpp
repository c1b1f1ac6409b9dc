// SPDX-License-Identifier: GPL-3.0-or-later
// Every control a user can reach with the keyboard has a name a screen reader can say: set explicitly, or
// taken by Qt's accessibility layer from the control's own text or its label buddy. Checked on each window and
// dialog as it is shown, through QAccessible itself rather than by reading accessibleName().
#include "accounts/accountsettingsdialog.h"
#include "accounts/accountstore.h"
#include "accounts/accountwizard.h"
#include "accounts/certificatedialog.h"
#include "composer/composerwindow.h"
#include "journalconflicts.h"
#include "mainwindow.h"

#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QAccessible>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;

namespace {

// The reachable controls whose accessible name is empty, as "Class objectName" for the failure message.
QStringList unnamedControls(QWidget *window)
{
    QStringList unnamed;
    for (QWidget *w : window->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(window) || !(w->focusPolicy() & Qt::TabFocus) || w->focusProxy())
            continue;
        // Scroll bars and the editors inside composite widgets are parts of a named whole.
        if (w->inherits("QScrollBar") || w->inherits("QAbstractSpinBoxPrivate") || w->objectName() == QLatin1String("qt_spinbox_lineedit"))
            continue;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
        if (!iface || iface->text(QAccessible::Name).trimmed().isEmpty())
            unnamed << QStringLiteral("%1 %2").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName());
    }
    return unnamed;
}

accounts::Account sampleAccount()
{
    accounts::Account a;
    a.name = QStringLiteral("home");
    a.identities.append({QStringLiteral("Me"), QStringLiteral("me@example.org"), {}});
    a.incoming = {QStringLiteral("imap.example.org"), 993, accounts::Security::Tls, {}, QStringLiteral("me")};
    a.smtp = {QStringLiteral("smtp.example.org"), 465, accounts::Security::Tls, {}, QStringLiteral("me")};
    return a;
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QAccessible::setActive(true); }

    // The check itself: a bare line edit is unnamed; the same edit with a label buddy, or a button with text,
    // is named.
    void findsAnUnnamedControl()
    {
        QWidget window;
        auto *layout = new QFormLayout(&window);
        auto *bare = new QLineEdit(&window);
        bare->setObjectName(QStringLiteral("bare"));
        layout->addRow(bare);
        auto *labelled = new QLineEdit(&window);
        layout->addRow(QStringLiteral("&Subject:"), labelled);
        layout->addRow(new QPushButton(QStringLiteral("Send"), &window));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(unnamedControls(&window), QStringList{QStringLiteral("QLineEdit bare")});
    }

    void mainWindow()
    {
        QTemporaryDir profile;
        accounts::AccountStore store(profile.path());
        QVERIFY(store.load() && store.add(sampleAccount()) && store.save());
        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QStringList unnamed = unnamedControls(&window);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
    }

    void journalConflictsDialog()
    {
        ui::JournalConflictsDialog dialog;
        store::JournalEntry e;
        e.id = 1;
        e.folder = QStringLiteral("INBOX");
        e.error = QStringLiteral("gone");
        dialog.setRows({{QStringLiteral("home"), e, QStringLiteral("Hello")}});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QStringList unnamed = unnamedControls(&dialog);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
    }

    void composer()
    {
        ui::ComposerWindow composer;
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        const QStringList unnamed = unnamedControls(&composer);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
    }

    void composerInRichText()
    {
        ui::ComposerWindow composer;
        composer.setRichText(true); // the formatting toolbar and the rich editor
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        const QStringList unnamed = unnamedControls(&composer);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
    }

    // Each page of the wizard as it is shown (the later pages fill in as discovery runs; their form is
    // what a user tabs through).
    void wizardPages()
    {
        QTemporaryDir profile;
        ui::AccountWizard wizard(profile.path(), QByteArrayLiteral("primary"));
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        for (int id : wizard.pageIds()) {
            QWidget *page = wizard.page(id);
            page->show();
            const QStringList unnamed = unnamedControls(page);
            QVERIFY2(unnamed.isEmpty(), qPrintable(QStringLiteral("page %1: %2").arg(id).arg(unnamed.join(QLatin1String(", ")))));
        }
    }

    void settingsDialogTabs()
    {
        QTemporaryDir profile;
        accounts::AccountStore store(profile.path());
        QVERIFY(store.load() && store.add(sampleAccount()) && store.save());
        ui::AccountSettingsDialog dialog(profile.path(), QByteArrayLiteral("primary"), QStringLiteral("home"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        for (int i = 0; i < dialog.tabs()->count(); ++i) {
            dialog.tabs()->setCurrentIndex(i);
            const QStringList unnamed = unnamedControls(&dialog);
            QVERIFY2(unnamed.isEmpty(), qPrintable(QStringLiteral("tab %1: %2").arg(dialog.tabs()->tabText(i), unnamed.join(QLatin1String(", ")))));
        }
    }

    void certificateDialog()
    {
        sync::CertificateDetails details;
        details.host = QStringLiteral("imap.example.org");
        details.port = 993;
        details.subject = QStringLiteral("CN=imap.example.org");
        details.issuer = QStringLiteral("CN=Someone");
        details.sha256 = QByteArray(32, '\x42');
        details.effectiveDate = QDateTime::currentDateTimeUtc().addDays(-1);
        details.expiryDate = QDateTime::currentDateTimeUtc().addDays(30);
        details.problems = {QStringLiteral("The issuer certificate of a locally looked up certificate could not be found")};
        ui::CertificateDialog dialog(details);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QStringList unnamed = unnamedControls(&dialog);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QLatin1String(", "))));
    }
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
