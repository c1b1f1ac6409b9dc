// SPDX-License-Identifier: GPL-3.0-or-later
#include "message/sourcedialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QStringDecoder>
#include <QVBoxLayout>

namespace tern::ui {

SourceDialog::SourceDialog(const QByteArray &raw, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("sourceDialog"));
    setWindowTitle(tr("Message Source"));
    m_text = new QPlainTextEdit;
    m_text->setObjectName(QStringLiteral("sourceText"));
    m_text->setAccessibleName(tr("Message source"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(displayText(raw));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(buttons);
    resize(820, 600);
}

QString SourceDialog::displayText(const QByteArray &raw)
{
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8.decode(raw);
    if (utf8.hasError())
        text = QString::fromLatin1(raw);
    text.remove(QLatin1Char('\r'));
    for (QChar &c : text) {
        if (c != QLatin1Char('\n') && c != QLatin1Char('\t') && (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format))
            c = QChar(QChar::ReplacementCharacter);
    }
    return text;
}

} // namespace tern::ui
