// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace tern::ui {

// "View source": the message exactly as received, in a monospace font, read-only. Bytes that are not UTF-8
// are shown as Latin-1 so nothing is hidden; control characters other than tabs and line breaks are shown as
// U+FFFD rather than interpreted.
class SourceDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SourceDialog(const QByteArray &raw, QWidget *parent = nullptr);
    QPlainTextEdit *textEdit() const { return m_text; }

    static QString displayText(const QByteArray &raw);

private:
    QPlainTextEdit *m_text = nullptr;
};

} // namespace tern::ui
