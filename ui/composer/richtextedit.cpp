// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/richtextedit.h"

#include "composer/richtextexport.h"

#include <QMimeData>
#include <QTextCursor>

namespace tern::ui {

RichTextEdit::RichTextEdit(QWidget *parent)
    : QTextEdit(parent)
{
    setAcceptRichText(true);
    setAutoFormatting(QTextEdit::AutoNone);
}

void RichTextEdit::setSanitizedHtml(const QString &html)
{
    setHtml(sanitizeRichHtml(html));
}

QVariant RichTextEdit::loadResource(int, const QUrl &)
{
    return {}; // SECURITY.md H1: nothing fetched, not even a local file named by pasted HTML
}

void RichTextEdit::insertFromMimeData(const QMimeData *source)
{
    if (!source)
        return;
    if (source->hasHtml()) {
        textCursor().insertHtml(sanitizeRichHtml(source->html()));
        ensureCursorVisible();
        return;
    }
    if (source->hasText()) {
        textCursor().insertText(source->text()); // a file dropped is an attachment: the composer filters drops
        ensureCursorVisible();
    }
}

} // namespace tern::ui
