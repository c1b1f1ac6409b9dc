// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's Send: check, compose (core/mime), queue durably in the outbox, then send off the GUI thread.
#include "composer/composerwindow.h"

#include "accountoperations.h"
#include "composer/attachmentlist.h"
#include "composer/draftwriter.h"
#include "composer/richtextedit.h"
#include "composer/richtextexport.h"

#include "mime/address.h"
#include "mime/composer.h"
#include "outbox/outboxitem.h"
#include "store/store.h"

#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>

namespace tern::ui {

namespace {

bool acceptable(const mime::Mailbox &m)
{
    const QString domain = m.address.section(QLatin1Char('@'), -1);
    return m.isValid() && !m.address.contains(QLatin1Char(' ')) && !m.address.startsWith(QLatin1Char('@'))
        && domain.contains(QLatin1Char('.'));
}

// Every entry of a field must be one address; the first that is not comes back in *bad, as it was typed.
bool parseField(const QString &text, std::vector<mime::Mailbox> *out, QString *bad)
{
    const std::vector<mime::Mailbox> parsed = mime::parseAddressList(text.toUtf8());
    // Entry by entry, so the error names what the user typed. A quoted display name may hold a comma
    // ("Lovelace, Ada" <ada@x.org>): such a field is judged as a whole.
    if (!text.contains(QLatin1Char('"'))) {
        for (const QString &entry : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (entry.trimmed().isEmpty())
                continue;
            const auto one = mime::parseAddressList(entry.toUtf8());
            if (one.size() != 1 || !acceptable(one.front())) {
                *bad = entry.trimmed();
                return false;
            }
        }
    }
    for (const mime::Mailbox &m : parsed) {
        if (!acceptable(m)) {
            *bad = m.address.isEmpty() ? m.name : m.address;
            return false;
        }
    }
    out->insert(out->end(), parsed.cbegin(), parsed.cend());
    return true;
}

} // namespace

bool ComposerWindow::buildMessage(mime::Draft *draft)
{
    const accounts::Identity *identity = currentIdentity();
    if (!identity) {
        showNotice(tr("Choose an identity to send from."));
        return false;
    }
    draft->from = mime::Mailbox{identity->name, identity->address, {}, false};
    const std::pair<QLineEdit *, std::vector<mime::Mailbox> *> fields[] = {
        {m_to, &draft->to}, {m_cc, &draft->cc}, {m_bcc, &draft->bcc}};
    for (const auto &[field, list] : fields) {
        QString bad;
        if (!parseField(field->text(), list, &bad)) {
            showNotice(tr("“%1” in %2 is not an email address. Nothing was sent; correct it and send again.")
                           .arg(bad, field->accessibleName()));
            field->setFocus();
            return false;
        }
    }
    if (draft->to.empty() && draft->cc.empty() && draft->bcc.empty()) {
        showNotice(tr("Add at least one recipient."));
        m_to->setFocus();
        return false;
    }
    draft->subject = m_subject->text();
    draft->date = QDateTime::currentDateTime();
    draft->inReplyTo = m_inReplyTo;
    draft->references = m_references;
    if (m_rich) {
        // RFC 2046 5.1.4: the plain rendering first, the HTML last (the richest part a reader can show).
        const RichText rich = exportRichText(*m_richBody->document());
        draft->text = rich.plain;
        draft->html = rich.html;
    } else {
        draft->text = m_body->toPlainText();
    }
    draft->attachments = m_attachments->attachments();
    draft->extraHeaders.emplace_back(QByteArrayLiteral("User-Agent"), QStringLiteral("Tern"));
    return true;
}

void ComposerWindow::send()
{
    if (m_done || !m_send->isEnabled())
        return;
    mime::Draft draft;
    if (!buildMessage(&draft))
        return;
    if (m_attachments->count() == 0 && mentionsAttachment(bodyText())) {
        // Asked without a nested event loop: the answer continues the send.
        delete m_prompt;
        m_prompt = new QMessageBox(QMessageBox::Question, tr("Send without an attachment?"),
                                   tr("The message mentions an attachment, but nothing is attached."),
                                   QMessageBox::NoButton, this);
        m_prompt->setObjectName(QStringLiteral("attachmentPrompt"));
        m_prompt->setAccessibleName(tr("Send without an attachment?"));
        QPushButton *sendAnyway = m_prompt->addButton(tr("Send Anyway"), QMessageBox::AcceptRole);
        sendAnyway->setObjectName(QStringLiteral("sendAnywayButton"));
        QPushButton *attach = m_prompt->addButton(tr("Attach a File…"), QMessageBox::RejectRole);
        attach->setObjectName(QStringLiteral("attachInsteadButton"));
        m_prompt->setDefaultButton(attach);
        connect(m_prompt, &QMessageBox::buttonClicked, this, [this, sendAnyway](QAbstractButton *clicked) {
            m_prompt->deleteLater();
            m_prompt = nullptr;
            if (clicked == sendAnyway)
                QTimer::singleShot(0, this, &ComposerWindow::sendConfirmed);
        });
        m_prompt->open();
        return;
    }
    sendConfirmed();
}

void ComposerWindow::sendConfirmed()
{
    mime::Draft draft;
    if (m_done || !buildMessage(&draft))
        return;
    const mime::Composed composed = mime::compose(draft);
    if (!composed.ok()) {
        showNotice(composed.error == mime::ComposeError::HeaderInjection
                       ? tr("Line breaks or control characters are not allowed in %1.").arg(composed.detail)
                       : tr("The message could not be composed (%1). Nothing was sent.").arg(composed.detail));
        return;
    }
    if (!m_writer) {
        showNotice(tr("The message cannot be queued: no profile is open."));
        return;
    }
    if (m_sending)
        return;
    outbox::OutboxItem item;
    item.account = currentAccount()->name;
    item.messageId = composed.messageId;
    item.raw = composed.bytes;
    item.envelope.from = draft.from.address;
    for (const auto &[list, target] : {std::pair{&draft.to, &item.envelope.to}, std::pair{&draft.cc, &item.envelope.cc},
                                       std::pair{&draft.bcc, &item.envelope.bcc}}) {
        for (const mime::Mailbox &m : *list)
            target->append(m.address);
    }
    for (const QString &rcpt : composed.recipients)
        item.envelope.rcpt.append(rcpt);
    item.envelope.subject = draft.subject;
    // The enqueue runs on the writer's thread; the window stays until it has committed (queueWritten).
    m_sending = true;
    m_send->setEnabled(false);
    m_autosave->stop();
    m_sendAccount = item.account;
    m_sendRemoves = m_draftId;
    m_writer->enqueue(item, m_draftId);
}

void ComposerWindow::queueWritten(qint64 outboxId, const QString &error)
{
    m_sending = false;
    if (outboxId == 0) {
        showNotice(tr("The message could not be queued: %1. Nothing was sent.").arg(error));
        m_send->setEnabled(true);
        m_autosave->start();
        return;
    }
    // Queued durably: the draft has done its job. A version an autosave wrote meanwhile goes too; a failure
    // to remove one leaves a copy, never a loss.
    if (m_draftId != 0 && m_draftId != m_sendRemoves)
        m_writer->remove(m_draftId);
    m_draftId = 0;
    m_done = true;
    removeFromServer();
    if (m_context.operations) {
        for (const accounts::Account &account : std::as_const(m_context.accounts)) {
            if (account.name == m_sendAccount)
                m_context.operations->send(account);
        }
    }
    Q_EMIT queued(outboxId);
    close();
}

} // namespace tern::ui
