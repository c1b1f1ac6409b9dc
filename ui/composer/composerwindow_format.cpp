// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's rich text: the Format menu and toolbar, switching between plain and rich text, links.
#include "composer/composerwindow.h"

#include "composer/richtextedit.h"
#include "composer/richtextexport.h"

#include <QAction>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextList>
#include <QToolBar>

namespace tern::ui {

namespace {

QAction *formatAction(QObject *parent, const QString &text, const QString &icon, const QString &objectName,
                      const QKeySequence &shortcut = {})
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    return action;
}

} // namespace

void ComposerWindow::createFormatActions()
{
    m_richAction = formatAction(this, tr("&Rich Text"), QStringLiteral("format-text-richtext"),
                                QStringLiteral("richTextAction"));
    m_richAction->setCheckable(true);
    m_richAction->setToolTip(tr("Write with formatting (sent as HTML with a plain text copy)"));
    connect(m_richAction, &QAction::toggled, this, &ComposerWindow::richTextToggled);

    m_bold = formatAction(this, tr("&Bold"), QStringLiteral("format-text-bold"), QStringLiteral("boldAction"),
                          QKeySequence::Bold);
    m_italic = formatAction(this, tr("&Italic"), QStringLiteral("format-text-italic"), QStringLiteral("italicAction"),
                            QKeySequence::Italic);
    m_underline = formatAction(this, tr("&Underline"), QStringLiteral("format-text-underline"),
                               QStringLiteral("underlineAction"), QKeySequence::Underline);
    m_bullets = formatAction(this, tr("Bulleted &List"), QStringLiteral("format-list-unordered"),
                             QStringLiteral("bulletListAction"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_8));
    m_numbers = formatAction(this, tr("&Numbered List"), QStringLiteral("format-list-ordered"),
                             QStringLiteral("numberedListAction"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_7));
    QAction *link = formatAction(this, tr("Lin&k…"), QStringLiteral("insert-link"), QStringLiteral("linkAction"),
                                 QKeySequence(Qt::CTRL | Qt::Key_K));
    QFont font = m_bold->font();
    font.setBold(true);
    m_bold->setFont(font);
    font.setBold(false);
    font.setItalic(true);
    m_italic->setFont(font);
    font.setItalic(false);
    font.setUnderline(true);
    m_underline->setFont(font);

    for (QAction *a : {m_bold, m_italic, m_underline, m_bullets, m_numbers})
        a->setCheckable(true);
    for (QAction *a : {m_bold, m_italic, m_underline, m_bullets, m_numbers, link}) {
        //: A formatting button's tip: the action, then its keyboard shortcut, e.g. "Bold (Ctrl+B)".
        a->setToolTip(tr("%1 (%2)").arg(QString(a->text()).remove(QLatin1Char('&')),
                                        a->shortcut().toString(QKeySequence::NativeText)));
    }
    connect(m_bold, &QAction::triggered, this, [this](bool on) {
        QTextCharFormat f;
        f.setFontWeight(on ? QFont::Bold : QFont::Normal);
        m_richBody->mergeCurrentCharFormat(f);
    });
    connect(m_italic, &QAction::triggered, this, [this](bool on) {
        QTextCharFormat f;
        f.setFontItalic(on);
        m_richBody->mergeCurrentCharFormat(f);
    });
    connect(m_underline, &QAction::triggered, this, [this](bool on) {
        QTextCharFormat f;
        f.setFontUnderline(on);
        m_richBody->mergeCurrentCharFormat(f);
    });
    connect(m_bullets, &QAction::triggered, this, [this] { toggleList(QTextListFormat::ListDisc); });
    connect(m_numbers, &QAction::triggered, this, [this] { toggleList(QTextListFormat::ListDecimal); });
    connect(link, &QAction::triggered, this, &ComposerWindow::chooseLink);
    m_formatActions = {m_bold, m_italic, m_underline, m_bullets, m_numbers, link};

    if (auto *compose = findChild<QToolBar *>(QStringLiteral("composeToolBar"))) {
        compose->addSeparator();
        compose->addAction(m_richAction);
    }

    QMenu *menu = menuBar()->addMenu(tr("F&ormat"));
    menu->setObjectName(QStringLiteral("formatMenu"));
    menu->addAction(m_richAction);
    menu->addSeparator();
    menu->addActions(m_formatActions);

    m_formatBar = new QToolBar(tr("Formatting"), this);
    m_formatBar->setObjectName(QStringLiteral("formatToolBar"));
    m_formatBar->setAccessibleName(tr("Formatting"));
    m_formatBar->setMovable(false);
    m_formatBar->setToolButtonStyle(Qt::ToolButtonFollowStyle);
    m_formatBar->addActions(m_formatActions);
    addToolBarBreak();
    addToolBar(m_formatBar);
    for (QAction *a : std::as_const(m_formatActions)) {
        if (QWidget *button = m_formatBar->widgetForAction(a))
            button->setAccessibleName(QString(a->text()).remove(QLatin1Char('&')).remove(QChar(0x2026)));
    }
    connect(m_richBody, &QTextEdit::currentCharFormatChanged, this, &ComposerWindow::updateFormatActions);
    connect(m_richBody, &QTextEdit::cursorPositionChanged, this, &ComposerWindow::updateFormatActions);
    m_formatBar->setVisible(false);
    for (QAction *a : std::as_const(m_formatActions))
        a->setEnabled(false);
}

void ComposerWindow::richTextToggled(bool rich)
{
    if (rich == m_rich)
        return;
    if (!rich && exportRichText(*m_richBody->document()).formatted) {
        // Asked without a nested event loop; until the answer the composer stays in rich text.
        const QSignalBlocker block(m_richAction);
        m_richAction->setChecked(true);
        askPlainText();
        return;
    }
    setRichText(rich);
}

void ComposerWindow::askPlainText()
{
    delete m_prompt;
    m_prompt = new QMessageBox(QMessageBox::Warning, tr("Switch to plain text?"),
                               tr("Bold, italic, underline, lists and links will be lost. The text stays."),
                               QMessageBox::NoButton, this);
    m_prompt->setObjectName(QStringLiteral("plainTextPrompt"));
    m_prompt->setAccessibleName(tr("Switch to plain text?"));
    QPushButton *convert = m_prompt->addButton(tr("Switch to Plain Text"), QMessageBox::DestructiveRole);
    convert->setObjectName(QStringLiteral("switchToPlainButton"));
    QPushButton *keep = m_prompt->addButton(tr("Keep Rich Text"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepRichButton"));
    m_prompt->setDefaultButton(keep);
    connect(m_prompt, &QMessageBox::buttonClicked, this, [this, convert](QAbstractButton *clicked) {
        m_prompt->deleteLater();
        m_prompt = nullptr;
        if (clicked == convert)
            setRichText(false);
    });
    m_prompt->open();
}

void ComposerWindow::setRichText(bool rich)
{
    if (rich != m_rich) {
        if (rich) {
            const int position = m_body->textCursor().position();
            m_richBody->setPlainText(m_body->toPlainText());
            QTextCursor cursor(m_richBody->document());
            cursor.setPosition(std::min(position, m_richBody->document()->characterCount() - 1));
            m_richBody->setTextCursor(cursor);
        } else {
            m_body->setPlainText(exportRichText(*m_richBody->document()).plain);
        }
        const bool focused = m_bodyStack->currentWidget()->hasFocus();
        m_rich = rich;
        m_bodyStack->setCurrentWidget(rich ? static_cast<QWidget *>(m_richBody) : m_body);
        if (focused)
            m_bodyStack->currentWidget()->setFocus();
        markModified();
    }
    const QSignalBlocker block(m_richAction);
    m_richAction->setChecked(rich);
    m_formatBar->setVisible(rich);
    for (QAction *a : std::as_const(m_formatActions))
        a->setEnabled(rich);
    updateFormatActions();
}

QString ComposerWindow::bodyText() const
{
    return m_rich ? exportRichText(*m_richBody->document()).plain : m_body->toPlainText();
}

QTextDocument *ComposerWindow::bodyDocument() const
{
    return m_rich ? m_richBody->document() : m_body->document();
}

QTextCursor ComposerWindow::bodyCursor() const
{
    return m_rich ? m_richBody->textCursor() : m_body->textCursor();
}

void ComposerWindow::setBodyCursor(const QTextCursor &cursor)
{
    if (m_rich)
        m_richBody->setTextCursor(cursor);
    else
        m_body->setTextCursor(cursor);
}

void ComposerWindow::updateFormatActions()
{
    const QTextCharFormat format = m_richBody->currentCharFormat();
    m_bold->setChecked(format.fontWeight() >= QFont::DemiBold);
    m_italic->setChecked(format.fontItalic());
    m_underline->setChecked(format.fontUnderline() && !format.isAnchor());
    const QTextList *list = m_richBody->textCursor().currentList();
    const bool numbered = list && list->format().style() == QTextListFormat::ListDecimal;
    m_bullets->setChecked(list && !numbered);
    m_numbers->setChecked(numbered);
}

// The list button of the current list's kind takes the paragraphs out of it; the other kind's changes it.
void ComposerWindow::toggleList(int style)
{
    QTextCursor cursor = m_richBody->textCursor();
    cursor.beginEditBlock();
    if (QTextList *list = cursor.currentList()) {
        if (list->format().style() == style) {
            const QTextDocument *document = m_richBody->document();
            QTextBlock block = document->findBlock(cursor.selectionStart());
            const QTextBlock last = document->findBlock(cursor.selectionEnd());
            for (;; block = block.next()) {
                if (QTextList *l = block.textList())
                    l->remove(block);
                QTextCursor c(block);
                QTextBlockFormat f = block.blockFormat();
                f.setIndent(0);
                c.setBlockFormat(f);
                if (block == last || !block.isValid())
                    break;
            }
        } else {
            QTextListFormat f = list->format();
            f.setStyle(QTextListFormat::Style(style));
            list->setFormat(f);
        }
    } else {
        cursor.createList(QTextListFormat::Style(style));
    }
    cursor.endEditBlock();
    updateFormatActions();
}

void ComposerWindow::chooseLink()
{
    if (!m_rich)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("linkDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Insert Link"));
    dialog->setLabelText(tr("Link address (https://…, mailto:…):"));
    dialog->setTextValue(QStringLiteral("https://"));
    const QString selected = m_richBody->textCursor().selectedText();
    connect(dialog, &QInputDialog::textValueSelected, this, [this, selected](const QString &url) {
        insertLink(selected.isEmpty() ? url : selected, url);
    });
    dialog->open();
}

bool ComposerWindow::insertLink(const QString &text, const QString &url)
{
    if (!m_rich || !isSendableLink(url)) {
        showNotice(tr("“%1” cannot be a link: only http, https and mailto addresses can be sent.").arg(url));
        return false;
    }
    QTextCursor cursor = m_richBody->textCursor();
    QTextCharFormat link;
    link.setAnchor(true);
    link.setAnchorHref(url.trimmed());
    link.setFontUnderline(true);
    link.setForeground(palette().link());
    if (cursor.hasSelection()) {
        cursor.mergeCharFormat(link);
    } else {
        QTextCharFormat format = cursor.charFormat();
        format.merge(link);
        cursor.insertText(text.isEmpty() ? url : text, format);
    }
    // What is typed next is not part of the link.
    QTextCharFormat after = cursor.charFormat();
    after.setAnchor(false);
    after.setAnchorHref(QString());
    after.setFontUnderline(false);
    after.clearForeground();
    cursor.clearSelection();
    cursor.setCharFormat(after);
    m_richBody->setTextCursor(cursor);
    m_richBody->setCurrentCharFormat(after);
    return true;
}

} // namespace tern::ui
