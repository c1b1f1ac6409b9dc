// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAbstractItemModel;
class QCompleter;
class QLineEdit;

namespace tern::ui {

// Completes the address being typed in a recipient field that holds several ("ada@x.org, bo|"): only the
// part after the last comma is matched (anywhere in "Name <address>", case-insensitively) and replaced.
class RecipientCompleter : public QObject
{
    Q_OBJECT

public:
    RecipientCompleter(QAbstractItemModel *model, QLineEdit *field);

    QCompleter *completer() const { return m_completer; }
    // The part of the field's text the completion would replace.
    static QString currentPart(const QString &text);

private:
    void textEdited(const QString &text);
    void insert(const QString &completion);

    QLineEdit *m_field;
    QCompleter *m_completer;
};

} // namespace tern::ui
