// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's drafts on the server (Dovecot in the lab): each autosave of an IMAP account's draft also
// stores it in the server's Drafts folder (\Draft \Seen), replacing the version before, so the folder holds
// exactly one copy with the latest text; sending removes it. Another IMAP client looks at the folder.
#include "accountoperations.h"
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "composer/composerwindow.h"
#include "diagnostics/tracelog.h"
#include "labenv.h"
#include "labimap.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "store/store.h"
#include "compose/draftstore.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QPlainTextEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using namespace tern;
namespace cmd = tern::imap::commands;

namespace {

struct ServerDraft
{
    QList<QByteArray> flags;
    QByteArray raw;
};

} // namespace

class TestComposerImapLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;

    // Every message in the user's Drafts folder, as another client sees it.
    std::optional<QList<ServerDraft>> serverDrafts(const test::LabEnv::User &user)
    {
        test::LabImap other(m_lab, user.address, user.password);
        if (!other.isLoggedIn() || !other.select("Drafts"))
            return std::nullopt;
        if (!other.run(cmd::uidSearch({{"ALL", {}}}, other.options())))
            return std::nullopt;
        QList<quint32> uids;
        for (const imap::Response &r : other.untagged()) {
            if (const auto *found = r.get<imap::SearchData>())
                uids += found->numbers;
        }
        QList<ServerDraft> drafts;
        if (uids.isEmpty())
            return drafts;
        if (!other.run(cmd::uidFetch(imap::SequenceSet::fromList(uids), {"FLAGS", "BODY.PEEK[]"})))
            return std::nullopt;
        for (const imap::Response &r : other.untagged()) {
            if (const auto *f = r.get<imap::FetchData>(); f && !f->sections.isEmpty())
                drafts.append({f->flags.value_or(QList<QByteArray>()), f->sections.first().data});
        }
        return drafts;
    }

    accounts::Account labAccount(const QString &name, const test::LabEnv::User &user, const QString &profile,
                                 const QString &storedPassword)
    {
        accounts::Account account;
        account.name = name;
        account.identities = {{QStringLiteral("Draft Writer"), user.address, QString()}};
        account.incomingProtocol = accounts::IncomingProtocol::Imap;
        account.incoming = {m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), accounts::Security::Tls, QString(), user.address};
        account.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), user.address};
        account.caFile = m_lab.caFile();
        accounts::AccountStore accounts(profile);
        accounts::SecretStore secrets(profile, "composer-imap-primary");
        if (!accounts.add(account) || !accounts.save() || !secrets.store(account.incomingSecretKey(), storedPassword.toUtf8())
            || !secrets.store(account.smtpSecretKey(), storedPassword.toUtf8()))
            return {};
        return account;
    }

    static QList<store::MessageSummary> localDrafts(const QString &profile, store::Store *store)
    {
        if (!store->open(QDir(profile).filePath(QStringLiteral("store.sqlite"))))
            return {};
        const auto folder = store->folder(compose::DraftStore::kLocalAccount, compose::DraftStore::kFolderPath);
        return folder ? store->summaries(folder->id) : QList<store::MessageSummary>{};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "composer-imap-primary");
    }

    void autosavesKeepOneServerCopyAndSendRemovesIt()
    {
        QTemporaryDir profile;
        const test::LabEnv::User user = m_lab.createUser(QStringLiteral("composerdrafts"));
        const test::LabEnv::User recipient = m_lab.createUser(QStringLiteral("composerdraftsrcpt"));
        accounts::Account account;
        account.name = QStringLiteral("Lab Drafts");
        account.identities = {{QStringLiteral("Draft Writer"), user.address, QString()}};
        account.incomingProtocol = accounts::IncomingProtocol::Imap;
        account.incoming = {m_lab.host(), m_lab.port(QStringLiteral("IMAPS")), accounts::Security::Tls, QString(), user.address};
        account.smtp = {m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), user.address};
        account.caFile = m_lab.caFile();
        {
            accounts::AccountStore accounts(profile.path());
            QVERIFY(accounts.add(account));
            QVERIFY(accounts.save());
            accounts::SecretStore secrets(profile.path(), "composer-imap-primary");
            QVERIFY(secrets.store(account.incomingSecretKey(), user.password.toUtf8()));
            QVERIFY(secrets.store(account.smtpSecretKey(), user.password.toUtf8()));
        }

        diagnostics::TraceLog log;
        ui::AccountOperations operations(profile.path(), &log);
        auto *composer = new ui::ComposerWindow;
        composer->setContext(ui::ComposerContext{profile.path(), {account}, &operations});
        composer->setAutosaveInterval(100);
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QSignalSpy server(composer, &ui::ComposerWindow::serverDraftFinished);
        QSignalSpy saved(composer, &ui::ComposerWindow::draftSaved);

        composer->toField()->setText(recipient.address);
        composer->subjectField()->setText(QStringLiteral("Drafts on the server"));
        composer->bodyEdit()->setPlainText(QStringLiteral("alpha version"));
        QVERIFY(server.wait(60000)); // the autosave: locally, then on the server
        QVERIFY(!saved.isEmpty());
        QCOMPARE(server.first().at(0).toBool(), false); // stored, not removed
        QVERIFY2(server.first().at(1).toBool(), qPrintable(server.first().at(2).toString()));

        auto drafts = serverDrafts(user);
        QVERIFY(drafts);
        QCOMPARE(drafts->size(), 1);
        QVERIFY(drafts->first().flags.contains("\\Draft"));
        QVERIFY(drafts->first().flags.contains("\\Seen"));
        const QByteArray messageId = mime::Message(drafts->first().raw).header(0, "message-id").trimmed();
        QVERIFY(!messageId.isEmpty());

        composer->bodyEdit()->setPlainText(QStringLiteral("bravo version"));
        QVERIFY(server.wait(60000)); // the next autosave
        QVERIFY2(server.last().at(1).toBool(), qPrintable(server.last().at(2).toString()));
        drafts = serverDrafts(user);
        QVERIFY(drafts);
        QCOMPARE(drafts->size(), 1); // the older version went once the newer was stored
        const mime::Message latest(drafts->first().raw);
        QCOMPARE(latest.header(0, "message-id").trimmed(), messageId);
        QCOMPARE(mime::BodyModel(latest).plainText().trimmed(), QStringLiteral("bravo version"));
        QCOMPARE(latest.headerText(0, "subject"), QStringLiteral("Drafts on the server"));

        QSignalSpy operationsDone(&operations, &ui::AccountOperations::serverDraftFinished);
        QSignalSpy sendFinished(&operations, &ui::AccountOperations::sendFinished);
        QSignalSpy queued(composer, &ui::ComposerWindow::queued);
        const QPointer<ui::ComposerWindow> window(composer);
        composer->sendAction()->trigger();
        QVERIFY(queued.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(!window, 10000); // queued: the composer closed itself
        QTRY_VERIFY_WITH_TIMEOUT(!operationsDone.isEmpty() && operationsDone.last().at(1).toBool(), 60000);
        const QList<QVariant> removal = operationsDone.last();
        QCOMPARE(removal.at(0).toByteArray(), messageId);
        QVERIFY2(removal.at(2).toBool(), qPrintable(removal.at(3).toString()));
        drafts = serverDrafts(user);
        QVERIFY(drafts);
        QVERIFY(drafts->isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!sendFinished.isEmpty(), 60000);
        QVERIFY2(sendFinished.first().at(1).toBool(), qPrintable(sendFinished.first().at(2).toString()));
    }

    // The server refuses the login: the draft is safe locally, and the composer says so in its status line
    // without a dialog in the way of the typing.
    void serverErrorGoesToTheStatusLineLocalDraftStays()
    {
        QTemporaryDir profile;
        const test::LabEnv::User user = m_lab.createUser(QStringLiteral("composerdraftsdenied"));
        const accounts::Account account = labAccount(QStringLiteral("Lab Denied"), user, profile.path(),
                                                     QStringLiteral("not-the-password"));
        QVERIFY(!account.name.isEmpty());
        diagnostics::TraceLog log;
        ui::AccountOperations operations(profile.path(), &log);
        auto *composer = new ui::ComposerWindow;
        composer->setAttribute(Qt::WA_DeleteOnClose, false);
        composer->setContext(ui::ComposerContext{profile.path(), {account}, &operations});
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QSignalSpy server(composer, &ui::ComposerWindow::serverDraftFinished);
        composer->bodyEdit()->setPlainText(QStringLiteral("kept here whatever the server says"));
        QVERIFY(composer->saveDraft());
        QVERIFY(server.wait(60000));
        QCOMPARE(server.first().at(1).toBool(), false);
        const QString error = server.first().at(2).toString();
        QVERIFY(!error.isEmpty());
        QVERIFY2(composer->statusBar()->currentMessage().contains(error), qPrintable(composer->statusBar()->currentMessage()));
        QVERIFY(!QApplication::activeModalWidget());
        QVERIFY(composer->findChildren<QMessageBox *>().isEmpty());
        store::Store store;
        const auto drafts = localDrafts(profile.path(), &store);
        QCOMPARE(drafts.size(), 1);
        QCOMPARE(drafts.first().id, composer->draftId());
        delete composer;
    }

    void discardRemovesTheServerDraft()
    {
        QTemporaryDir profile;
        const test::LabEnv::User user = m_lab.createUser(QStringLiteral("composerdraftsdiscard"));
        const accounts::Account account = labAccount(QStringLiteral("Lab Discard"), user, profile.path(), user.password);
        QVERIFY(!account.name.isEmpty());
        diagnostics::TraceLog log;
        ui::AccountOperations operations(profile.path(), &log);
        auto *composer = new ui::ComposerWindow;
        composer->setContext(ui::ComposerContext{profile.path(), {account}, &operations});
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QSignalSpy server(composer, &ui::ComposerWindow::serverDraftFinished);
        composer->subjectField()->setText(QStringLiteral("Never mind"));
        composer->bodyEdit()->setPlainText(QStringLiteral("to be discarded"));
        QVERIFY(composer->saveDraft());
        QVERIFY(server.wait(60000));
        QVERIFY2(server.first().at(1).toBool(), qPrintable(server.first().at(2).toString()));
        auto drafts = serverDrafts(user);
        QVERIFY(drafts);
        QCOMPARE(drafts->size(), 1);

        QSignalSpy operationsDone(&operations, &ui::AccountOperations::serverDraftFinished);
        const QPointer<ui::ComposerWindow> window(composer);
        composer->discardAction()->trigger();
        auto *prompt = composer->findChild<QMessageBox *>(QStringLiteral("confirmDiscardPrompt"));
        QVERIFY(prompt);
        QCOMPARE(static_cast<QAbstractButton *>(prompt->defaultButton()), prompt->button(QMessageBox::Cancel));
        prompt->button(QMessageBox::Discard)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!operationsDone.isEmpty(), 60000);
        QCOMPARE(operationsDone.first().at(1).toBool(), true); // a removal
        QVERIFY2(operationsDone.first().at(2).toBool(), qPrintable(operationsDone.first().at(3).toString()));
        drafts = serverDrafts(user);
        QVERIFY(drafts);
        QVERIFY(drafts->isEmpty());
        store::Store store; // the writer finished its removal before it went with the window
        QVERIFY(localDrafts(profile.path(), &store).isEmpty());
    }
};

QTEST_MAIN(TestComposerImapLab)
#include "tst_composer_imap_lab.moc"
