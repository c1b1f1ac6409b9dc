// SPDX-License-Identifier: GPL-3.0-or-later
// The protocol inspector against the lab: "Get Messages" (POP3 download) and "Test Account" (POP3 + SMTP)
// from the main window feed it; the sessions show commands, replies, TLS and capabilities — and the user's
// password appears nowhere: not in the log, not in any widget, not in the export.
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "diagnostics/tracelog.h"
#include "inspector/inspectorwidget.h"
#include "inspector/timelineview.h"
#include "labenv.h"
#include "mainwindow.h"
#include "statusindicators.h"

#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QtCrypto>

using namespace tern;

namespace {

QStringList everyText(QWidget *root)
{
    QStringList out;
    for (QLabel *l : root->findChildren<QLabel *>())
        out << l->text() << l->toolTip();
    for (QTreeWidget *tree : root->findChildren<QTreeWidget *>()) {
        for (QTreeWidgetItemIterator it(tree); *it; ++it) {
            for (int c = 0; c < tree->columnCount(); ++c)
                out << (*it)->text(c) << (*it)->toolTip(c);
        }
    }
    return out;
}

} // namespace

class TestInspectorLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;
    QTemporaryDir m_profile;
    test::LabEnv::User m_user;

    // Every form the password could take on the wire: itself, base64 (AUTH LOGIN), and SASL PLAIN's
    // "\0user\0password" in base64.
    QStringList secretForms() const
    {
        const QByteArray pw = m_user.password.toUtf8();
        const QByteArray plain = QByteArray(1, '\0') + m_user.address.toUtf8() + QByteArray(1, '\0') + pw;
        return {m_user.password, QString::fromLatin1(pw.toBase64()), QString::fromLatin1(plain.toBase64())};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_user = m_lab.createUser(QStringLiteral("inspector"));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "inspector-primary");

        accounts::Account a;
        a.name = QStringLiteral("Lab POP3");
        a.identities = {{QStringLiteral("Inspector"), m_user.address, QString()}};
        a.incomingProtocol = accounts::IncomingProtocol::Pop3;
        a.incoming = {m_lab.host(), m_lab.port(QStringLiteral("POP3S")), accounts::Security::Tls, QString(), m_user.address};
        a.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), m_user.address};
        a.caFile = m_lab.caFile();
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());
        accounts::SecretStore secrets(m_profile.path(), "inspector-primary");
        QVERIFY(secrets.store(a.incomingSecretKey(), m_user.password.toUtf8()));
        QVERIFY(secrets.store(a.smtpSecretKey(), m_user.password.toUtf8()));
    }

    void showsSessionsWithoutThePassword()
    {
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        diagnostics::TraceLog *log = window.traceLog();
        QSignalSpy ended(log, &diagnostics::TraceLog::sessionEnded);

        QVERIFY(window.getMessages(QStringLiteral("Lab POP3")));
        QVERIFY(window.indicators()->isBusy(QStringLiteral("Lab POP3"))); // per-account progress while it runs
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 1, 60000);
        QTRY_VERIFY(!window.indicators()->isBusy(QStringLiteral("Lab POP3")));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("new message")),
                 qPrintable(window.statusBar()->currentMessage()));
        QVERIFY(window.testAccount(QStringLiteral("Lab POP3")));
        QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 3, 60000); // the check's POP3 and SMTP sessions

        const QList<diagnostics::TraceSession> sessions = log->sessions();
        QCOMPARE(sessions.size(), 3);
        QCOMPARE(sessions[0].protocol, QStringLiteral("POP3"));
        QCOMPARE(sessions[2].protocol, QStringLiteral("SMTP"));
        const auto pop3 = log->session(sessions[0].id);
        QVERIFY(pop3);
        QVERIFY2(pop3->outcome.isEmpty(), qPrintable(pop3->outcome));
        QVERIFY2(pop3->tls.contains(QStringLiteral("TLS")), qPrintable(pop3->tls));
        QVERIFY(!pop3->capabilities.isEmpty());
        QStringList sent;
        for (const diagnostics::TraceRecord &r : pop3->records) {
            if (r.kind == diagnostics::TraceRecord::Kind::Sent)
                sent << r.text;
        }
        QVERIFY2(sent.contains(QStringLiteral("UIDL")), qPrintable(sent.join(QLatin1Char('|'))));
        QVERIFY(sent.contains(QStringLiteral("QUIT")));

        // The inspector shows them.
        window.inspectorDock()->show();
        ui::InspectorWidget *inspector = window.inspector();
        inspector->refresh();
        inspector->selectSession(sessions[0].id);
        QCOMPARE(inspector->currentSession(), sessions[0].id);
        QVERIFY(inspector->recordList()->topLevelItemCount() >= 6);
        QVERIFY(inspector->detailsLabel()->text().contains(QStringLiteral("TLS")));
        QTreeWidgetItem *reply = nullptr;
        for (int i = 0; i < inspector->recordList()->topLevelItemCount() && !reply; ++i) {
            if (inspector->recordList()->topLevelItem(i)->text(2).startsWith(QStringLiteral("S")))
                reply = inspector->recordList()->topLevelItem(i);
        }
        QVERIFY(reply);
        inspector->searchField()->setText(QStringLiteral("LIST"));
        QCOMPARE(inspector->sessionTree()->topLevelItem(0)->childCount(), 1); // only the download listed
        QVERIFY(inspector->exportText().contains(QStringLiteral("C: LIST")));
        QVERIFY(!inspector->exportText().contains(QStringLiteral("SMTP")));
        inspector->searchField()->clear();
        QCOMPARE(inspector->sessionTree()->topLevelItem(0)->childCount(), 3);
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(window.grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("main-window-inspector.png"))));
        QVERIFY(inspector->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("protocol-inspector.png"))));

        // Nothing secret anywhere.
        QTemporaryDir out;
        const QString exported = out.filePath(QStringLiteral("trace.txt"));
        QVERIFY(inspector->exportTo(exported));
        QFile file(exported);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString exportText = QString::fromUtf8(file.readAll());
        QVERIFY(exportText.contains(QStringLiteral("POP3")) && exportText.contains(QStringLiteral("SMTP")));
        QStringList shown = everyText(inspector) << exportText << log->exportText();
        for (const diagnostics::TraceSession &s : sessions) {
            const auto full = log->session(s.id); // a copy: the loop below must not run over a temporary
            for (const diagnostics::TraceRecord &r : full->records)
                shown << r.text;
        }
        for (const QString &secret : secretForms()) {
            for (const QString &text : std::as_const(shown))
                QVERIFY2(!text.contains(secret), qPrintable(QStringLiteral("secret in: ") + text.left(200)));
        }
    }
};

QTEST_MAIN(TestInspectorLab)
#include "tst_inspector_lab.moc"
