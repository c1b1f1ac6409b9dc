// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/recipientcompleter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>

namespace tern::ui {

RecipientCompleter::RecipientCompleter(QAbstractItemModel *model, QLineEdit *field)
    : QObject(field)
    , m_field(field)
    , m_completer(new QCompleter(model, this))
{
    m_completer->setObjectName(field->objectName() + QStringLiteral("Completer"));
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setMaxVisibleItems(8);
    m_completer->setWidget(field);
    m_completer->popup()->setAccessibleName(tr("Address suggestions"));
    connect(field, &QLineEdit::textEdited, this, &RecipientCompleter::textEdited);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &RecipientCompleter::insert);
}

QString RecipientCompleter::currentPart(const QString &text)
{
    return text.mid(text.lastIndexOf(QLatin1Char(',')) + 1).trimmed();
}

void RecipientCompleter::textEdited(const QString &text)
{
    const QString part = currentPart(text);
    if (part.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(part);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void RecipientCompleter::insert(const QString &completion)
{
    const QString text = m_field->text();
    const qsizetype comma = text.lastIndexOf(QLatin1Char(','));
    const QString before = comma < 0 ? QString() : text.left(comma + 1) + QLatin1Char(' ');
    m_field->setText(before + completion + QStringLiteral(", "));
}

} // namespace tern::ui
