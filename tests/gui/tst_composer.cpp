// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/attachmentlist.h"
#include "composer/composerwindow.h"
#include "compose/mailto.h"
#include "compose/seenaddresses.h"
#include "mainwindow.h"
#include "mime/message.h"
#include "mime/reply.h"
#include "outbox/outboxstore.h"
#include "store/store.h"
#include "sync/rawsummary.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStringListModel>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QTextCursor>
#include <QFile>
#include <QApplication>
#include <QDragEnterEvent>

using namespace tern;

namespace {

accounts::Account twoIdentityAccount()
{
    accounts::Account a;
    a.name = QStringLiteral("Work");
    a.identities = {{QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.org"), QStringLiteral("Ada\nAnalytical Engines")},
                    {QStringLiteral("Ada (Society)"), QStringLiteral("ada@society.example"), QStringLiteral("Royal Society")}};
    return a;
}

QByteArray received(const QString &from, const QString &to, int n)
{
    return QStringLiteral("From: %1\r\nTo: %2\r\nSubject: m%3\r\nMessage-ID: <m%3@example.org>\r\n\r\nhi\r\n")
        .arg(from, to).arg(n).toUtf8();
}

QList<outbox::OutboxItem> outboxOf(const QString &profile)
{
    store::Store store;
    if (!store.open(QDir(profile).filePath(QStringLiteral("store.sqlite"))))
        return {};
    return outbox::OutboxStore(store.database()).items(QStringLiteral("Work"));
}

} // namespace

using tern::ui::ComposerWindow;
using tern::ui::ComposerContext;

class TestComposer : public QObject
{
    Q_OBJECT

private slots:
    void mailtoLinkPrefillsTheComposer()
    {
        const auto draft = tern::compose::parseMailto(
            QStringLiteral("mailto:ada@example.org?cc=bob@example.org&subject=Engines&body=Dear%20Ada%2C%0D%0Ahello"));
        QVERIFY(draft);
        ComposerWindow composer;
        composer.setDraft(*draft);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QCOMPARE(composer.toField()->text(), QStringLiteral("ada@example.org"));
        QCOMPARE(composer.ccField()->text(), QStringLiteral("bob@example.org"));
        QCOMPARE(composer.subjectField()->text(), QStringLiteral("Engines"));
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Dear Ada,\nhello"));
        QCOMPARE(composer.windowTitle(), QStringLiteral("Engines — New Message"));
        QVERIFY(!composer.noticeBar()->isVisible());
    }

    void attachRequestIsRefusedVisibly()
    {
        const auto draft = tern::compose::parseMailto(QStringLiteral("mailto:x@evil.example?attach=/etc/passwd"));
        ComposerWindow composer;
        composer.setDraft(*draft);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QVERIFY(composer.noticeBar()->isVisible());
        QVERIFY(composer.noticeBar()->text().contains(QStringLiteral("attach")));
        QVERIFY(composer.bodyEdit()->toPlainText().isEmpty());
    }

    void newMessageActionOpensAComposer()
    {
        tern::ui::MainWindow window;
        window.show();
        QAction *action = window.findChild<QAction *>(QStringLiteral("newMessageAction"));
        QVERIFY(action && action->isEnabled());
        action->trigger();
        auto *composer = window.findChild<ComposerWindow *>();
        QVERIFY(composer);
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QVERIFY(composer->toField()->text().isEmpty());
    }

    void signatureFollowsTheIdentity()
    {
        QTemporaryDir profile;
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        QCOMPARE(composer.identityBox()->count(), 2);
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("\n-- \nAda\nAnalytical Engines"));
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        composer.bodyEdit()->setFocus();
        QTest::keyClicks(composer.bodyEdit(), QStringLiteral("Dear Charles,"));
        composer.identityBox()->setCurrentIndex(1);
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Dear Charles,\n-- \nRoyal Society"));
        composer.identityBox()->setCurrentIndex(0);
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Dear Charles,\n-- \nAda\nAnalytical Engines"));
        QVERIFY(composer.isModified());
        QVERIFY(composer.saveDraft());
    }

    void attachmentWords_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mentions");
        QTest::newRow("attached") << QStringLiteral("The plans are attached.") << true;
        QTest::newRow("attachment") << QStringLiteral("See the Attachment") << true;
        QTest::newRow("german") << QStringLiteral("Anbei die Pläne") << true;
        QTest::newRow("french") << QStringLiteral("Voir la pièce jointe") << true;
        QTest::newRow("none") << QStringLiteral("Nothing to see, an attache case") << false;
        QTest::newRow("quoted") << QStringLiteral("ok\n> see attached") << false;
        QTest::newRow("signature") << QStringLiteral("ok\n-- \nattachments welcome") << false;
    }

    void attachmentWords()
    {
        QFETCH(QString, text);
        QFETCH(bool, mentions);
        QCOMPARE(ComposerWindow::mentionsAttachment(text), mentions);
    }

    void mentionedAttachmentIsAskedFor()
    {
        QTemporaryDir profile;
        auto *composer = new ComposerWindow;
        composer->setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        composer->toField()->setText(QStringLiteral("charles@example.org"));
        composer->subjectField()->setText(QStringLiteral("Plans"));
        composer->bodyEdit()->setPlainText(QStringLiteral("The plans are attached."));
        QSignalSpy queued(composer, &ComposerWindow::queued);

        QTest::keyClick(composer, Qt::Key_Return, Qt::ControlModifier);
        auto *prompt = composer->findChild<QMessageBox *>(QStringLiteral("attachmentPrompt"));
        QVERIFY(prompt);
        QTRY_VERIFY(prompt->isVisible());
        prompt->findChild<QPushButton *>(QStringLiteral("attachInsteadButton"))->click();
        QVERIFY(queued.isEmpty());
        QVERIFY(outboxOf(profile.path()).isEmpty());
        QVERIFY(composer->isVisible());

        composer->sendAction()->trigger();
        prompt = composer->findChild<QMessageBox *>(QStringLiteral("attachmentPrompt"));
        QVERIFY(prompt);
        prompt->findChild<QPushButton *>(QStringLiteral("sendAnywayButton"))->click();
        QTRY_COMPARE(queued.size(), 1);
        const auto items = outboxOf(profile.path());
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().id, queued.first().first().toLongLong());
        QCOMPARE(items.first().envelope.rcpt, QStringList{QStringLiteral("charles@example.org")});
        QVERIFY(items.first().raw.contains("The plans are attached."));
    }

    void invalidRecipientKeepsEverything()
    {
        QTemporaryDir profile;
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        composer.toField()->setText(QStringLiteral("charles@example.org, not an address"));
        composer.bodyEdit()->setPlainText(QStringLiteral("Keep me"));
        composer.sendAction()->trigger();
        QVERIFY(composer.isVisible());
        QVERIFY(composer.noticeBar()->isVisible());
        QVERIFY2(composer.noticeBar()->text().contains(QStringLiteral("not an address")), qPrintable(composer.noticeBar()->text()));
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Keep me"));
        QCOMPARE(composer.toField()->text(), QStringLiteral("charles@example.org, not an address"));
        QVERIFY(outboxOf(profile.path()).isEmpty());
    }

    void recipientsCompleteFromAddressesSeen()
    {
        QTemporaryDir profile;
        {
            store::Store store;
            QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
            store::Folder inbox;
            inbox.account = QStringLiteral("Work");
            inbox.path = QStringLiteral("INBOX");
            const qint64 folder = store.saveFolder(inbox);
            QVERIFY(folder);
            const QString me = QStringLiteral("ada@example.org");
            const QStringList senders{QStringLiteral("Bob <bob@example.org>"), QStringLiteral("Charles Babbage <charles@example.org>"),
                                      QStringLiteral("Charles Babbage <charles@example.org>"), QStringLiteral("Charles Babbage <charles@example.org>")};
            for (int i = 0; i < senders.size(); ++i) {
                store::MessageSummary s = sync::summaryFromMessage(received(senders.at(i), me, i), 0);
                s.uidl = QString::number(i);
                QVERIFY(store.insertDownloaded(folder, s, received(senders.at(i), me, i)));
            }
            const auto seen = compose::seenAddresses(store.database());
            QCOMPARE(seen.size(), 3);
            QCOMPARE(seen.at(0).address, me); // in To of all four
            QCOMPARE(seen.at(1).display(), QStringLiteral("Charles Babbage <charles@example.org>"));
            QCOMPARE(seen.at(1).count, 3);
            QCOMPARE(seen.at(2).address, QStringLiteral("bob@example.org"));
        }
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QCOMPARE(composer.completionModel()->stringList().value(1), QStringLiteral("Charles Babbage <charles@example.org>"));
        composer.toField()->setFocus();
        QTest::keyClicks(composer.toField(), QStringLiteral("bob@example.org, bab"));
        QCompleter *completer = composer.toField()->findChild<QCompleter *>();
        QVERIFY(completer);
        QTRY_VERIFY(completer->popup()->isVisible());
        QCOMPARE(completer->completionCount(), 1);
        QCOMPARE(completer->currentCompletion(), QStringLiteral("Charles Babbage <charles@example.org>"));
        QTest::keyClick(completer->popup(), Qt::Key_Down);
        QTest::keyClick(completer->popup(), Qt::Key_Return);
        QCOMPARE(composer.toField()->text(), QStringLiteral("bob@example.org, Charles Babbage <charles@example.org>, "));
    }

    void replyCarriesThreadingAndSendingDeletesTheDraft()
    {
        QTemporaryDir profile;
        const QByteArray original = "From: Charles <charles@example.org>\r\nTo: Ada <ada@example.org>\r\n"
                                    "Subject: Engines\r\nMessage-ID: <parent@example.org>\r\n"
                                    "References: <root@example.org>\r\n\r\nHow are the engines?\r\n";
        const mime::Mailbox me{QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.org"), {}, false};
        const mime::Draft reply = mime::makeReply(mime::Message(original), me, {me}, mime::ReplyMode::Sender);
        auto *composer = new ComposerWindow;
        composer->setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer->setReply(reply);
        QCOMPARE(composer->toField()->text(), QStringLiteral("Charles <charles@example.org>"));
        QCOMPARE(composer->subjectField()->text(), QStringLiteral("Re: Engines"));
        QVERIFY(composer->bodyEdit()->toPlainText().contains(QStringLiteral("> How are the engines?")));
        QVERIFY(composer->bodyEdit()->toPlainText().endsWith(QStringLiteral("\n-- \nAda\nAnalytical Engines")));
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QTest::keyClicks(composer->bodyEdit(), QStringLiteral("Running."));
        // Every write (the draft, the outbox, the draft's removal) on the composer's writer thread.
        const quint64 commits = store::Database::commitsOnThisThread();
        QSignalSpy saved(composer, &ComposerWindow::draftSaved);
        QVERIFY(composer->saveDraft());
        QVERIFY(saved.wait());
        const qint64 draft = composer->draftId();
        QVERIFY(draft);
        QCOMPARE(saved.first().first().toLongLong(), draft);
        QSignalSpy queued(composer, &ComposerWindow::queued);
        composer->sendAction()->trigger();
        QVERIFY(composer->isVisible()); // open until the enqueue has committed
        QTRY_COMPARE(queued.size(), 1);
        QCOMPARE(store::Database::commitsOnThisThread(), commits);
        const auto items = outboxOf(profile.path());
        QCOMPARE(items.size(), 1);
        const mime::Message sent(items.first().raw);
        QCOMPARE(sent.header(0, "in-reply-to"), QByteArray("<parent@example.org>"));
        QCOMPARE(sent.header(0, "references"), QByteArray("<root@example.org> <parent@example.org>"));
        store::Store store;
        QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
        QVERIFY(!store.body(draft)); // sending removed the draft
    }

    void droppedFilesBecomeAttachments()
    {
        QTemporaryDir profile;
        const QString file = profile.filePath(QStringLiteral("plans.txt"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray(3000, 'x'));
        out.close();
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer.setSmtpSizeLimit(2000);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));

        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(file)});
        QWidget *target = composer.bodyEdit()->viewport();
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        QCOMPARE(composer.attachments()->count(), 1);
        QVERIFY(composer.bodyEdit()->toPlainText().startsWith(QStringLiteral("\n-- "))); // no path pasted
        QVERIFY(composer.attachments()->list()->item(0)->text().startsWith(QStringLiteral("plans.txt (")));
        QVERIFY(composer.attachments()->warning()->isVisible()); // 3000 bytes, base64, over 2000

        composer.attachments()->list()->setCurrentRow(0);
        composer.attachments()->removeButton()->click();
        QCOMPARE(composer.attachments()->count(), 0);
        QVERIFY(!composer.attachments()->warning()->isVisible());
    }

    void screenshotWithAnAttachment()
    {
        QTemporaryDir profile;
        const QString file = profile.filePath(QStringLiteral("difference-engine-plans.pdf"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray(245760, 'p'));
        out.close();
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {twoIdentityAccount()}, nullptr});
        composer.toField()->setText(QStringLiteral("Charles Babbage <charles@example.org>"));
        composer.subjectField()->setText(QStringLiteral("Notes on the Analytical Engine"));
        QTextCursor start(composer.bodyEdit()->document());
        start.insertText(QStringLiteral("Dear Charles,\n\nthe notes are attached; note G has the Bernoulli numbers.\n"));
        QVERIFY(composer.attachments()->addFile(file));
        composer.resize(760, 600);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(composer.grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("composer.png"))));
        for (QWidget *w : composer.findChildren<QWidget *>()) {
            if ((qobject_cast<QLineEdit *>(w) || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QComboBox *>(w)
                 || qobject_cast<QListWidget *>(w) || qobject_cast<QPushButton *>(w))
                && w->objectName() != QLatin1StringView("qt_spinbox_lineedit"))
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
        }
    }
};

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
