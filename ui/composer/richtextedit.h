// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextEdit>

namespace tern::ui {

// The composer's rich text editor. It never loads a resource (no image, no style sheet, local or remote), and
// what is pasted or dropped keeps only the formatting the composer can send (richtextexport.h), so what the
// user sees is what goes out.
class RichTextEdit : public QTextEdit
{
    Q_OBJECT

public:
    explicit RichTextEdit(QWidget *parent = nullptr);

    // Replaces the text with HTML reduced to the composer's formatting.
    void setSanitizedHtml(const QString &html);

protected:
    QVariant loadResource(int type, const QUrl &name) override;
    void insertFromMimeData(const QMimeData *source) override;
};

} // namespace tern::ui
