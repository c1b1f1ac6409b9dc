// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composerwindow.h"

#include "compose/mailto.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QToolBar>
#include <QVBoxLayout>

namespace tern::ui {

ComposerWindow::ComposerWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("ComposerWindow"));
    setAttribute(Qt::WA_DeleteOnClose);

    QToolBar *bar = addToolBar(tr("Compose"));
    bar->setObjectName(QStringLiteral("composeToolBar"));
    bar->setMovable(false);
    QAction *send = bar->addAction(tr("&Send"));
    send->setObjectName(QStringLiteral("sendAction"));
    send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    send->setEnabled(false);
    send->setToolTip(tr("Sending needs the outbox, which is not part of this build yet"));
    QAction *attach = bar->addAction(tr("&Attach…"));
    attach->setEnabled(false);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    m_notice = new QLabel;
    m_notice->setObjectName(QStringLiteral("noticeBar"));
    m_notice->setWordWrap(true);
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setVisible(false);
    layout->addWidget(m_notice);

    auto *form = new QFormLayout;
    m_to = addField(form, tr("&To:"), QStringLiteral("toField"));
    m_cc = addField(form, tr("&Cc:"), QStringLiteral("ccField"));
    m_bcc = addField(form, tr("&Bcc:"), QStringLiteral("bccField"));
    m_subject = addField(form, tr("S&ubject:"), QStringLiteral("subjectField"));
    layout->addLayout(form);

    m_body = new QPlainTextEdit;
    m_body->setObjectName(QStringLiteral("bodyEdit"));
    m_body->setAccessibleName(tr("Message text"));
    layout->addWidget(m_body, 1);
    setCentralWidget(central);

    connect(m_subject, &QLineEdit::textChanged, this, &ComposerWindow::updateTitle);
    updateTitle();
    resize(760, 560);
}

QLineEdit *ComposerWindow::addField(QFormLayout *form, const QString &label, const QString &objectName)
{
    auto *field = new QLineEdit;
    field->setObjectName(objectName);
    field->setAccessibleName(QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    form->addRow(label, field);
    return field;
}

void ComposerWindow::setDraft(const compose::MailtoDraft &draft)
{
    const QString separator = QStringLiteral(", ");
    m_to->setText(draft.to.join(separator));
    m_cc->setText(draft.cc.join(separator));
    m_bcc->setText(draft.bcc.join(separator));
    m_subject->setText(draft.subject);
    m_body->setPlainText(draft.body);
    if (!draft.ignoredFields.isEmpty()) {
        m_notice->setTextFormat(Qt::PlainText); // field names come from the link: never rich text
        m_notice->setText(tr("The link also asked for: %1. Tern never attaches files or sets headers from a "
                             "link, so these were left out.")
                              .arg(draft.ignoredFields.join(separator)));
        m_notice->setVisible(true);
    }
}

void ComposerWindow::updateTitle()
{
    const QString subject = m_subject->text().trimmed();
    setWindowTitle(subject.isEmpty() ? tr("New Message") : tr("%1 — New Message").arg(subject));
}

} // namespace tern::ui
