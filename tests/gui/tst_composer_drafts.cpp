// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's drafts: saved and reopened with everything typed, autosaved on a timer, saved on close, and
// a composer process killed (SIGKILL) loses at most what was typed after its last autosave (SECURITY.md L5).
#include "compose/draftstore.h"
#include "composer/attachmentlist.h"
#include "composer/composerwindow.h"
#include "accounts/accountstore.h"
#include "mainwindow.h"
#include "store/store.h"

#include <QComboBox>
#include <QAction>
#include <QDir>
#include <QPointer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace tern;
using tern::ui::ComposerContext;
using tern::ui::ComposerWindow;

namespace {

accounts::Account account()
{
    accounts::Account a;
    a.name = QStringLiteral("Work");
    a.identities = {{QStringLiteral("Ada"), QStringLiteral("ada@example.org"), QStringLiteral("Ada L.")},
                    {QStringLiteral("Ada"), QStringLiteral("ada@society.example"), QString()}};
    return a;
}

QList<store::MessageSummary> drafts(const QString &profile, store::Store *store)
{
    if (!store->open(QDir(profile).filePath(QStringLiteral("store.sqlite"))))
        return {};
    const auto folder = store->folder(compose::DraftStore::kLocalAccount, compose::DraftStore::kFolderPath);
    return folder ? store->summaries(folder->id) : QList<store::MessageSummary>{};
}

} // namespace

class TestComposerDrafts : public QObject
{
    Q_OBJECT

private slots:
    void savedDraftReopensWithEverything()
    {
        QTemporaryDir profile;
        qint64 id = 0;
        {
            ComposerWindow composer;
            composer.setAttribute(Qt::WA_DeleteOnClose, false);
            composer.setContext(ComposerContext{profile.path(), {account()}, nullptr});
            composer.identityBox()->setCurrentIndex(1);
            composer.toField()->setText(QStringLiteral("Charles <charles@example.org>, half typed@"));
            composer.ccField()->setText(QStringLiteral("Mary Somerville <mary@example.org>"));
            composer.bccField()->setText(QStringLiteral("secret@example.org"));
            composer.subjectField()->setText(QStringLiteral("Notes — Ünïcode"));
            composer.bodyEdit()->setPlainText(QStringLiteral("Line one\nLine two\n\n-- \nnot a sig"));
            mime::OutgoingAttachment a;
            a.fileName = QStringLiteral("note G.txt");
            a.mimeType = "text/plain";
            a.data = QByteArray("Bernoulli\x00\xff", 11);
            composer.attachments()->add(a);
            QSignalSpy saved(&composer, &ComposerWindow::draftSaved);
            QVERIFY(composer.saveDraft());
            QVERIFY(saved.wait());
            QCOMPARE(saved.size(), 1);
            id = composer.draftId();
            QVERIFY(id);
            QVERIFY(!composer.isModified());
        }
        ComposerWindow reopened;
        reopened.setAttribute(Qt::WA_DeleteOnClose, false);
        reopened.setContext(ComposerContext{profile.path(), {account()}, nullptr});
        QVERIFY(reopened.openDraft(id));
        QCOMPARE(reopened.identityBox()->currentIndex(), 1);
        QCOMPARE(reopened.toField()->text(), QStringLiteral("Charles <charles@example.org>, half typed@"));
        QCOMPARE(reopened.ccField()->text(), QStringLiteral("Mary Somerville <mary@example.org>"));
        QCOMPARE(reopened.bccField()->text(), QStringLiteral("secret@example.org"));
        QCOMPARE(reopened.subjectField()->text(), QStringLiteral("Notes — Ünïcode"));
        QCOMPARE(reopened.bodyEdit()->toPlainText(), QStringLiteral("Line one\nLine two\n\n-- \nnot a sig"));
        QCOMPARE(reopened.attachments()->count(), 1);
        QCOMPARE(reopened.attachments()->attachments().front().fileName, QStringLiteral("note G.txt"));
        QCOMPARE(reopened.attachments()->attachments().front().data, QByteArray("Bernoulli\x00\xff", 11));

        // Saving again replaces the version: one draft in the folder, never zero.
        reopened.bodyEdit()->appendPlainText(QStringLiteral("more"));
        QSignalSpy savedAgain(&reopened, &ComposerWindow::draftSaved);
        QVERIFY(reopened.saveDraft());
        QVERIFY(savedAgain.wait());
        QVERIFY(reopened.draftId() != id);
        store::Store store;
        QCOMPARE(drafts(profile.path(), &store).size(), 1);
    }

    void autosaveAndCloseSaveTheText()
    {
        QTemporaryDir profile;
        auto *composer = new ComposerWindow;
        composer->setContext(ComposerContext{profile.path(), {account()}, nullptr});
        QCOMPARE(composer->autosaveInterval(), 30000);
        composer->setAutosaveInterval(50);
        // PERFORMANCE.md: the autosaves and the save on close commit on the composer's writer thread, never here.
        const quint64 commits = store::Database::commitsOnThisThread();
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QSignalSpy saved(composer, &ComposerWindow::draftSaved);
        composer->bodyEdit()->setFocus();
        QTest::keyClicks(composer->bodyEdit(), QStringLiteral("autosaved"));
        QVERIFY(saved.wait());
        QTest::keyClicks(composer->bodyEdit(), QStringLiteral(" and closed"));
        const QPointer<ComposerWindow> window(composer);
        composer->close(); // closes once the writer has saved; WA_DeleteOnClose: the window goes, the text stays
        QTRY_VERIFY(!window);
        QCOMPARE(store::Database::commitsOnThisThread(), commits);
        store::Store store;
        const auto list = drafts(profile.path(), &store);
        QCOMPARE(list.size(), 1);
        const auto draft = compose::DraftStore(store).load(list.first().id);
        QVERIFY(draft);
        QVERIFY2(draft->text.startsWith(QStringLiteral("autosaved and closed")), qPrintable(draft->text));
    }

    void draftOpensFromTheMainWindow()
    {
        QTemporaryDir profile;
        {
            accounts::AccountStore accounts(profile.path());
            accounts::Account a = account();
            a.incoming = {QStringLiteral("127.0.0.1"), 993, accounts::Security::Tls, QString(), QStringLiteral("ada")};
            a.smtp = {QStringLiteral("127.0.0.1"), 465, accounts::Security::Tls, QString(), QStringLiteral("ada")};
            QVERIFY(accounts.add(a));
            QVERIFY(accounts.save());
        }
        qint64 folderId = 0;
        {
            store::Store store;
            QVERIFY(store.open(QDir(profile.path()).filePath(QStringLiteral("store.sqlite"))));
            compose::DraftStore drafts(store);
            compose::ComposerDraft d;
            d.account = QStringLiteral("Work");
            d.identityAddress = QStringLiteral("ada@society.example");
            d.to = QStringLiteral("charles@example.org");
            d.subject = QStringLiteral("Unfinished");
            d.text = QStringLiteral("Half a thought");
            const quint64 commits = store::Database::commitsOnThisThread();
            QVERIFY(drafts.save(d));
            QVERIFY(store::Database::commitsOnThisThread() > commits); // the count the composer tests rely on counts
            folderId = drafts.folderId();
        }
        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.selectFolder(folderId);
        QTreeView *list = window.messageListView();
        QTRY_COMPARE(list->model()->rowCount(), 1);
        list->setFocus();
        list->setCurrentIndex(list->model()->index(0, 2));
        QTest::keyClick(list, Qt::Key_Return);
        ComposerWindow *composer = window.findChild<ComposerWindow *>();
        QVERIFY(composer);
        QTRY_VERIFY(composer->isVisible());
        QCOMPARE(composer->identityBox()->currentIndex(), 1);
        QCOMPARE(composer->toField()->text(), QStringLiteral("charles@example.org"));
        QCOMPARE(composer->subjectField()->text(), QStringLiteral("Unfinished"));
        QCOMPARE(composer->bodyEdit()->toPlainText(), QStringLiteral("Half a thought"));
        composer->close();
    }

    // `tern mailto:...` opens its composer through the main window: it has the profile's accounts to send with.
    void mailtoLinkOpensASendingComposer()
    {
        QTemporaryDir profile;
        {
            accounts::AccountStore accounts(profile.path());
            accounts::Account a = account();
            a.incoming = {QStringLiteral("127.0.0.1"), 993, accounts::Security::Tls, QString(), QStringLiteral("ada")};
            a.smtp = {QStringLiteral("127.0.0.1"), 465, accounts::Security::Tls, QString(), QStringLiteral("ada")};
            QVERIFY(accounts.add(a));
            QVERIFY(accounts.save());
        }
        ui::MainWindow window;
        QVERIFY(window.openProfile(profile.path()));
        window.openMailtoLink(QStringLiteral("mailto:charles@example.org?subject=Engines"));
        ComposerWindow *composer = window.findChild<ComposerWindow *>();
        QVERIFY(composer);
        QCOMPARE(composer->toField()->text(), QStringLiteral("charles@example.org"));
        QCOMPARE(composer->subjectField()->text(), QStringLiteral("Engines"));
        QCOMPARE(composer->identityBox()->count(), 2);
        QVERIFY(composer->sendAction()->isEnabled());
        composer->bodyEdit()->setPlainText(QStringLiteral("Saved too"));
        QSignalSpy saved(composer, &ComposerWindow::draftSaved);
        QVERIFY(composer->saveDraft());
        QVERIFY(saved.wait());
        composer->close();
    }

    void killedComposerKeepsTheLastAutosave()
    {
        QTemporaryDir profile;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        const QString text = QStringLiteral("Typed before the crash, then killed");
        child.start(QStringLiteral(TERN_COMPOSER_HELPER), {profile.path(), QStringLiteral("100"), text});
        QVERIFY(child.waitForStarted());
        QByteArray output;
        // The helper types everything, then the next autosave tick writes it: wait for a save after "typed".
        QTRY_VERIFY_WITH_TIMEOUT((output += child.readAllStandardOutput(),
                                  output.contains("typed\n") && output.indexOf("saved ", output.indexOf("typed\n")) >= 0),
                                 30000);
        child.kill(); // SIGKILL: no close event, no chance to save
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        store::Store store;
        const auto list = drafts(profile.path(), &store);
        QVERIFY(!list.isEmpty());
        const auto draft = compose::DraftStore(store).load(list.last().id);
        QVERIFY(draft);
        QVERIFY2(draft->text.startsWith(text), qPrintable(draft->text));
        QString result;
        QVERIFY(store.integrityCheck(&result));
    }
};

QTEST_MAIN(TestComposerDrafts)
#include "tst_composer_drafts.moc"
