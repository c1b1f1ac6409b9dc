// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's drafts: autosave, save on close, reopen (SECURITY.md L5: a crash keeps the last autosave).
#include "composer/composerwindow.h"

#include "composer/attachmentlist.h"

#include "compose/seenaddresses.h"
#include "profile.h"
#include "store/store.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QStringListModel>
#include <QTimer>

namespace tern::ui {

// The composer's own connection: drafts are a few kilobytes written in one short transaction; the
// profile's syncs write through their own connections meanwhile (WAL).
bool ComposerWindow::openStore()
{
    if (m_context.profileDirectory.isEmpty())
        return false;
    auto store = std::make_unique<store::Store>();
    if (!store->open(core::Profile(m_context.profileDirectory).filePath(QStringLiteral("store.sqlite")))) {
        showNotice(tr("Drafts cannot be saved: the mail store did not open (%1).").arg(store->error()));
        return false;
    }
    m_store = std::move(store);
    QStringList completions;
    for (const compose::SeenAddress &seen : compose::seenAddresses(m_store->database()))
        completions << seen.display();
    m_completions->setStringList(completions);
    return true;
}

compose::ComposerDraft ComposerWindow::currentDraft() const
{
    compose::ComposerDraft d;
    if (const accounts::Account *account = currentAccount())
        d.account = account->name;
    if (const accounts::Identity *identity = currentIdentity()) {
        d.identityAddress = identity->address;
        d.identityName = identity->name;
    }
    d.to = m_to->text();
    d.cc = m_cc->text();
    d.bcc = m_bcc->text();
    d.subject = m_subject->text();
    d.text = m_body->toPlainText();
    d.inReplyTo = m_inReplyTo;
    d.references = m_references;
    d.attachments = m_attachments->attachments();
    return d;
}

bool ComposerWindow::saveDraft()
{
    if (!m_modified || m_done)
        return true;
    if (!m_store) {
        showNotice(tr("This draft cannot be saved: no profile is open."));
        return false;
    }
    compose::DraftStore drafts(*m_store);
    const qint64 id = drafts.save(currentDraft(), m_draftId);
    if (id == 0) {
        showNotice(tr("The draft could not be saved: %1").arg(drafts.error()));
        return false;
    }
    m_draftId = id;
    m_modified = false;
    statusBar()->showMessage(tr("Draft saved"), 3000);
    Q_EMIT draftSaved(id);
    return true;
}

void ComposerWindow::autosave()
{
    if (m_modified)
        saveDraft();
}

bool ComposerWindow::openDraft(qint64 messageId)
{
    if (!m_store) {
        showNotice(tr("The draft cannot be opened: no profile is open."));
        return false;
    }
    compose::DraftStore drafts(*m_store);
    const auto draft = drafts.load(messageId);
    if (!draft) {
        showNotice(tr("This message cannot be opened as a draft: %1").arg(drafts.error()));
        return false;
    }
    selectIdentity(draft->account, draft->identityAddress);
    m_to->setText(draft->to);
    m_cc->setText(draft->cc);
    m_bcc->setText(draft->bcc);
    m_subject->setText(draft->subject);
    m_body->setPlainText(draft->text);
    // The saved text carries its signature already: remember it so that an identity change swaps it.
    const accounts::Identity *identity = currentIdentity();
    m_signature = identity && draft->text.contains(QStringLiteral("\n-- \n") + identity->signature)
        ? identity->signature
        : QString();
    m_inReplyTo = draft->inReplyTo;
    m_references = draft->references;
    m_attachments->clear();
    for (const mime::OutgoingAttachment &a : draft->attachments)
        m_attachments->add(a);
    m_draftId = messageId;
    m_modified = false;
    return true;
}

void ComposerWindow::closeEvent(QCloseEvent *event)
{
    const bool hasContent = !m_body->toPlainText().trimmed().isEmpty() || !m_subject->text().isEmpty()
        || !m_to->text().isEmpty() || m_attachments->count() > 0;
    if (m_done || !m_modified || !hasContent || saveDraft()) {
        m_autosave->stop();
        event->accept();
        return;
    }
    // The draft could not be saved: closing now would lose the text, so only the user may decide that.
    const auto answer = QMessageBox::warning(this, tr("Discard this message?"),
                                             tr("The draft could not be saved. Close the window and lose the text?"),
                                             QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Discard) {
        m_autosave->stop();
        event->accept();
    } else {
        event->ignore();
    }
}

} // namespace tern::ui
