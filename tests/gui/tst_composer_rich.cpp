// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's rich text: the formatting toolbar and its shortcuts, a message sent in rich mode as
// multipart/alternative (a readable text/plain and an HTML part of only the editor's formatting), pasted HTML
// reduced to that formatting, the warning before formatting is dropped, and drafts that reopen in their mode.
#include "compose/draftstore.h"
#include "composer/composerwindow.h"
#include "composer/richtextedit.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "outbox/outboxstore.h"
#include "store/store.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextList>
#include <QToolBar>
#include <QToolButton>

using namespace tern;
using tern::ui::ComposerContext;
using tern::ui::ComposerWindow;

namespace {

accounts::Account account()
{
    accounts::Account a;
    a.name = QStringLiteral("Work");
    a.identities = {{QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.org"), QString()}};
    return a;
}

// What an HTML part holds, read back by Qt's own HTML parser: the text of each run with its formatting.
struct Run
{
    QString text;
    bool bold = false, italic = false, underline = false;
    QString href;
};

QList<Run> runsOf(const QTextDocument &document)
{
    QList<Run> runs;
    for (QTextBlock b = document.begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            runs.append({it.fragment().text(), f.fontWeight() >= QFont::Bold, f.fontItalic(), f.fontUnderline(),
                         f.isAnchor() ? f.anchorHref() : QString()});
        }
    }
    return runs;
}

const Run *runWith(const QList<Run> &runs, const QString &text)
{
    for (const Run &r : runs) {
        if (r.text == text)
            return &r;
    }
    return nullptr;
}

// The items of each list in the document, in order: {"first", "second"} per list.
QList<QStringList> listsOf(const QTextDocument &document, QList<bool> *numbered = nullptr)
{
    QList<QStringList> lists;
    const QTextList *current = nullptr;
    for (QTextBlock b = document.begin(); b.isValid(); b = b.next()) {
        const QTextList *list = b.textList();
        if (!list) {
            current = nullptr;
            continue;
        }
        if (list != current) {
            lists.append(QStringList());
            if (numbered)
                numbered->append(list->format().style() == QTextListFormat::ListDecimal);
            current = list;
        }
        lists.last().append(b.text());
    }
    return lists;
}

void type(QWidget *editor, const QString &text)
{
    QTest::keyClicks(editor, text);
}

// Writes: "Hello **world** _today_", a bulleted list (first, second), then a link "the notes".
void writeFormattedText(ComposerWindow &composer)
{
    QWidget *editor = composer.richBodyEdit();
    editor->setFocus();
    type(editor, QStringLiteral("Hello "));
    QTest::keyClick(editor, Qt::Key_B, Qt::ControlModifier);
    type(editor, QStringLiteral("world"));
    QTest::keyClick(editor, Qt::Key_B, Qt::ControlModifier);
    type(editor, QStringLiteral(" "));
    QTest::keyClick(editor, Qt::Key_I, Qt::ControlModifier);
    type(editor, QStringLiteral("today"));
    QTest::keyClick(editor, Qt::Key_I, Qt::ControlModifier);
    QTest::keyClick(editor, Qt::Key_Return);
    composer.findChild<QAction *>(QStringLiteral("bulletListAction"))->trigger();
    type(editor, QStringLiteral("first"));
    QTest::keyClick(editor, Qt::Key_Return);
    type(editor, QStringLiteral("second"));
    QTest::keyClick(editor, Qt::Key_Return);
    composer.findChild<QAction *>(QStringLiteral("bulletListAction"))->trigger(); // out of the list
    type(editor, QStringLiteral("See "));
    QVERIFY(composer.insertLink(QStringLiteral("the notes"), QStringLiteral("https://notes.example/g?n=1&m=2")));
    type(editor, QStringLiteral(" soon."));
}

} // namespace

class TestComposerRich : public QObject
{
    Q_OBJECT

private slots:
    void sendingInRichModeYieldsPlainAndHtml()
    {
        QTemporaryDir profile;
        auto *composer = new ComposerWindow;
        composer->setContext(ComposerContext{profile.path(), {account()}, nullptr});
        composer->show();
        QVERIFY(QTest::qWaitForWindowActive(composer));
        QVERIFY(!composer->isRichText()); // plain text is the default
        QVERIFY(!composer->formatToolBar()->isVisible());
        composer->richTextAction()->trigger();
        QVERIFY(composer->isRichText());
        QVERIFY(composer->formatToolBar()->isVisible());
        composer->toField()->setText(QStringLiteral("Charles <charles@example.org>"));
        composer->subjectField()->setText(QStringLiteral("Formatted"));
        writeFormattedText(*composer);

        QSignalSpy queued(composer, &ComposerWindow::queued);
        composer->sendAction()->trigger();
        QVERIFY(queued.wait());
        store::Store store;
        QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
        const auto items = outbox::OutboxStore(store.database()).items(QStringLiteral("Work"));
        QCOMPARE(items.size(), 1);

        const mime::Message message(items.first().raw);
        QVERIFY(message.root().contentType.is("multipart", "alternative"));
        const mime::BodyModel body(message);
        QVERIFY(body.plainPart() >= 0);
        QVERIFY(body.htmlPart() >= 0);

        const QStringList lines = body.plainText().split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("Hello world today"));
        QCOMPARE(lines.value(1), QStringLiteral("- first"));
        QCOMPARE(lines.value(2), QStringLiteral("- second"));
        QCOMPARE(lines.value(3), QStringLiteral("See the notes <https://notes.example/g?n=1&m=2> soon."));

        const QString html = body.html();
        QTextDocument document;
        document.setHtml(html);
        const QList<Run> runs = runsOf(document);
        const Run *world = runWith(runs, QStringLiteral("world"));
        QVERIFY(world && world->bold && !world->italic);
        const Run *today = runWith(runs, QStringLiteral("today"));
        QVERIFY(today && today->italic && !today->bold);
        const Run *hello = runWith(runs, QStringLiteral("Hello "));
        QVERIFY(hello && !hello->bold && !hello->italic);
        const Run *link = runWith(runs, QStringLiteral("the notes"));
        QVERIFY(link);
        QCOMPARE(QUrl(link->href), QUrl(QStringLiteral("https://notes.example/g?n=1&m=2")));
        QList<bool> numbered;
        QCOMPARE(listsOf(document, &numbered), (QList<QStringList>{{QStringLiteral("first"), QStringLiteral("second")}}));
        QCOMPARE(numbered, QList<bool>{false});
        // Only what the editor made: no styles, no scripts, nothing that loads.
        for (const char *absent : {"<script", "<style", "<img", "style=", "src=", "<link", "<table"})
            QVERIFY2(!html.contains(QLatin1StringView(absent), Qt::CaseInsensitive), absent);
    }

    void numberedListsAndShortcutsToggle()
    {
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));
        composer.setRichText(true);
        QWidget *editor = composer.richBodyEdit();
        editor->setFocus();
        composer.findChild<QAction *>(QStringLiteral("numberedListAction"))->trigger();
        type(editor, QStringLiteral("one"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTest::keyClick(editor, Qt::Key_U, Qt::ControlModifier);
        type(editor, QStringLiteral("two"));
        QVERIFY(composer.findChild<QAction *>(QStringLiteral("underlineAction"))->isChecked());
        QVERIFY(composer.findChild<QAction *>(QStringLiteral("numberedListAction"))->isChecked());
        QCOMPARE(composer.bodyText(), QStringLiteral("1. one\n2. two"));
        const Run *two = runWith(runsOf(*composer.richBodyEdit()->document()), QStringLiteral("two"));
        QVERIFY(two && two->underline);
    }

    void switchingToPlainAsksAndKeepsRichByDefault()
    {
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));
        composer.bodyEdit()->setPlainText(QStringLiteral("Kept\ntext"));
        composer.richTextAction()->trigger();
        QVERIFY(composer.isRichText());
        QCOMPARE(composer.richBodyEdit()->toPlainText(), QStringLiteral("Kept\ntext")); // plain to rich keeps it

        // Without formatting, nothing would be lost: no question.
        composer.richTextAction()->trigger();
        QVERIFY(!composer.isRichText());
        QVERIFY(!composer.findChild<QMessageBox *>(QStringLiteral("plainTextPrompt")));
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Kept\ntext"));

        composer.richTextAction()->trigger();
        QTextCursor cursor(composer.richBodyEdit()->document());
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(QStringLiteral(" bold"), [] {
            QTextCharFormat f;
            f.setFontWeight(QFont::Bold);
            return f;
        }());
        QTextCursor start(composer.richBodyEdit()->document());
        start.createList(QTextListFormat::ListDisc);

        composer.richTextAction()->trigger();
        auto *prompt = composer.findChild<QMessageBox *>(QStringLiteral("plainTextPrompt"));
        QVERIFY(prompt);
        QVERIFY(composer.isRichText()); // nothing changes before the answer
        QVERIFY(composer.richTextAction()->isChecked());
        QCOMPARE(prompt->defaultButton(), composer.findChild<QPushButton *>(QStringLiteral("keepRichButton")));
        prompt->defaultButton()->click();
        QVERIFY(composer.isRichText());
        QVERIFY(composer.richTextAction()->isChecked());
        QTRY_VERIFY(!composer.findChild<QMessageBox *>(QStringLiteral("plainTextPrompt"))); // answered, gone

        composer.richTextAction()->trigger();
        prompt = composer.findChild<QMessageBox *>(QStringLiteral("plainTextPrompt"));
        QVERIFY(prompt);
        composer.findChild<QPushButton *>(QStringLiteral("switchToPlainButton"))->click();
        QVERIFY(!composer.isRichText());
        QVERIFY(!composer.richTextAction()->isChecked());
        QVERIFY(!composer.formatToolBar()->isVisible());
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("- Kept\ntext bold"));
    }

    void pastedHtmlKeepsOnlyTheEditorsFormatting()
    {
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));
        composer.setRichText(true);
        auto *mime = new QMimeData;
        mime->setHtml(QStringLiteral(
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            "<p>safe <b>strong</b> <span style=\"color:#f00;font-size:40px\">red</span></p>"
            "<img src=\"http://127.0.0.1:9/track.png\"><a href=\"javascript:alert(2)\">bad link</a> "
            "<a href=\"https://ok.example/\">good link</a>"
            "<table><tr><td>cell</td></tr></table></body></html>"));
        QApplication::clipboard()->setMimeData(mime);
        composer.richBodyEdit()->setFocus();
        composer.richBodyEdit()->paste();

        const QList<Run> runs = runsOf(*composer.richBodyEdit()->document());
        const Run *strong = runWith(runs, QStringLiteral("strong"));
        QVERIFY(strong && strong->bold);
        const Run *good = runWith(runs, QStringLiteral("good link"));
        QVERIFY(good);
        QCOMPARE(good->href, QStringLiteral("https://ok.example/"));
        const Run *bad = runWith(runs, QStringLiteral("bad link"));
        QVERIFY(bad);
        QVERIFY(bad->href.isEmpty()); // text kept, javascript: dropped
        QVERIFY(composer.bodyText().contains(QStringLiteral("cell")));
        QVERIFY(!composer.bodyText().contains(QStringLiteral("alert")));
        QVERIFY(!composer.bodyText().contains(QStringLiteral("color")));
        for (QTextBlock b = composer.richBodyEdit()->document()->begin(); b.isValid(); b = b.next()) {
            for (auto it = b.begin(); !it.atEnd(); ++it) {
                const QTextCharFormat f = it.fragment().charFormat();
                QVERIFY(!f.isImageFormat());
                QVERIFY(!f.hasProperty(QTextFormat::FontPixelSize));
                if (!f.isAnchor())
                    QVERIFY2(!f.hasProperty(QTextFormat::ForegroundBrush), qPrintable(it.fragment().text()));
            }
        }
        QVERIFY(!composer.findChild<QAction *>(QStringLiteral("linkAction"))->shortcut().isEmpty());
    }

    void richDraftReopensRichPlainReopensPlain()
    {
        QTemporaryDir profile;
        qint64 richId = 0;
        QByteArray messageId;
        {
            ComposerWindow composer;
            composer.setAttribute(Qt::WA_DeleteOnClose, false);
            composer.setContext(ComposerContext{profile.path(), {account()}, nullptr});
            composer.show();
            QVERIFY(QTest::qWaitForWindowActive(&composer));
            composer.setRichText(true);
            writeFormattedText(composer);
            QSignalSpy saved(&composer, &ComposerWindow::draftSaved);
            QVERIFY(composer.saveDraft());
            QVERIFY(saved.wait());
            const qint64 first = composer.draftId();
            store::Store store;
            QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
            messageId = mime::Message(*store.body(first)).header(0, "message-id").trimmed();
            QVERIFY(!messageId.isEmpty());
            // A later version of the same message carries the same Message-ID (its server copy is found by it).
            type(composer.richBodyEdit(), QStringLiteral(" More."));
            QVERIFY(composer.saveDraft());
            QVERIFY(saved.wait());
            richId = composer.draftId();
            QVERIFY(richId != first);
            QCOMPARE(mime::Message(*store.body(richId)).header(0, "message-id").trimmed(), messageId);
        }
        ComposerWindow reopened;
        reopened.setAttribute(Qt::WA_DeleteOnClose, false);
        reopened.setContext(ComposerContext{profile.path(), {account()}, nullptr});
        QVERIFY(reopened.openDraft(richId));
        QVERIFY(reopened.isRichText());
        QVERIFY(reopened.richTextAction()->isChecked());
        const QList<Run> runs = runsOf(*reopened.richBodyEdit()->document());
        const Run *world = runWith(runs, QStringLiteral("world"));
        QVERIFY(world && world->bold);
        const Run *link = runWith(runs, QStringLiteral("the notes"));
        QVERIFY(link && !link->href.isEmpty());
        QCOMPARE(listsOf(*reopened.richBodyEdit()->document()),
                 (QList<QStringList>{{QStringLiteral("first"), QStringLiteral("second")}}));
        QCOMPARE(reopened.bodyText(), QStringLiteral("Hello world today\n- first\n- second\n"
                                                     "See the notes <https://notes.example/g?n=1&m=2> soon. More."));
        QVERIFY(!reopened.isModified());

        // The reopened draft keeps its Message-ID for its next versions.
        reopened.richBodyEdit()->textCursor().insertText(QStringLiteral("!"));
        QSignalSpy saved(&reopened, &ComposerWindow::draftSaved);
        QVERIFY(reopened.saveDraft());
        QVERIFY(saved.wait());
        store::Store store;
        QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
        QCOMPARE(mime::Message(*store.body(reopened.draftId())).header(0, "message-id").trimmed(), messageId);

        qint64 plainId = 0;
        {
            ComposerWindow plain;
            plain.setAttribute(Qt::WA_DeleteOnClose, false);
            plain.setContext(ComposerContext{profile.path(), {account()}, nullptr});
            plain.bodyEdit()->setPlainText(QStringLiteral("Just *text*"));
            QSignalSpy plainSaved(&plain, &ComposerWindow::draftSaved);
            QVERIFY(plain.saveDraft());
            QVERIFY(plainSaved.wait());
            plainId = plain.draftId();
        }
        ComposerWindow plainAgain;
        plainAgain.setAttribute(Qt::WA_DeleteOnClose, false);
        plainAgain.setContext(ComposerContext{profile.path(), {account()}, nullptr});
        QVERIFY(plainAgain.openDraft(plainId));
        QVERIFY(!plainAgain.isRichText());
        QCOMPARE(plainAgain.bodyEdit()->toPlainText(), QStringLiteral("Just *text*"));
    }

    void screenshotOfTheRichComposer()
    {
        QTemporaryDir profile;
        ComposerWindow composer;
        composer.setAttribute(Qt::WA_DeleteOnClose, false);
        composer.setContext(ComposerContext{profile.path(), {account()}, nullptr});
        composer.toField()->setText(QStringLiteral("Charles Babbage <charles@example.org>"));
        composer.subjectField()->setText(QStringLiteral("Notes on the Analytical Engine"));
        composer.resize(760, 600);
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));
        composer.setRichText(true);
        QWidget *editor = composer.richBodyEdit();
        editor->setFocus();
        type(editor, QStringLiteral("Dear Charles,"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTest::keyClick(editor, Qt::Key_Return);
        type(editor, QStringLiteral("the notes are "));
        QTest::keyClick(editor, Qt::Key_B, Qt::ControlModifier);
        type(editor, QStringLiteral("finished"));
        QTest::keyClick(editor, Qt::Key_B, Qt::ControlModifier);
        type(editor, QStringLiteral(". Note G, "));
        QTest::keyClick(editor, Qt::Key_I, Qt::ControlModifier);
        type(editor, QStringLiteral("in full"));
        QTest::keyClick(editor, Qt::Key_I, Qt::ControlModifier);
        type(editor, QStringLiteral(", computes:"));
        QTest::keyClick(editor, Qt::Key_Return);
        composer.findChild<QAction *>(QStringLiteral("numberedListAction"))->trigger();
        type(editor, QStringLiteral("the Bernoulli numbers"));
        QTest::keyClick(editor, Qt::Key_Return);
        type(editor, QStringLiteral("by the engine alone"));
        QTest::keyClick(editor, Qt::Key_Return);
        composer.findChild<QAction *>(QStringLiteral("numberedListAction"))->trigger();
        type(editor, QStringLiteral("The tables are at "));
        QVERIFY(composer.insertLink(QStringLiteral("the society's page"), QStringLiteral("https://society.example/notes")));
        type(editor, QStringLiteral("."));
        QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
        QVERIFY(composer.grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(QStringLiteral("composer-rich.png"))));
        for (QToolButton *button : composer.formatToolBar()->findChildren<QToolButton *>()) {
            if (button->isVisibleTo(&composer) && button->defaultAction())
                QVERIFY2(!button->accessibleName().isEmpty(), qPrintable(button->defaultAction()->objectName()));
        }
        QVERIFY(!composer.richBodyEdit()->accessibleName().isEmpty());
    }
};

QTEST_MAIN(TestComposerRich)
#include "tst_composer_rich.moc"
