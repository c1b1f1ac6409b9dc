// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace tern::compose {
struct MailtoDraft;
}

namespace tern::ui {

// A new message: recipients, subject and a plain-text body. Sending arrives with the outbox; until then
// the Send action is visibly unavailable rather than pretending.
class ComposerWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit ComposerWindow(QWidget *parent = nullptr);

    // Prefills from a mailto: link; says so when the link asked for things Tern never takes from a link.
    void setDraft(const compose::MailtoDraft &draft);

    QLineEdit *toField() const { return m_to; }
    QLineEdit *ccField() const { return m_cc; }
    QLineEdit *bccField() const { return m_bcc; }
    QLineEdit *subjectField() const { return m_subject; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    QLabel *noticeBar() const { return m_notice; }

private:
    QLineEdit *addField(QFormLayout *form, const QString &label, const QString &objectName);
    void updateTitle();

    QLineEdit *m_to = nullptr;
    QLineEdit *m_cc = nullptr;
    QLineEdit *m_bcc = nullptr;
    QLineEdit *m_subject = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QLabel *m_notice = nullptr;
};

} // namespace tern::ui
