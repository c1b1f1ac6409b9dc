// SPDX-License-Identifier: GPL-3.0-or-later
// The composer's drafts: autosave, save on close, reopen (SECURITY.md L5: a crash keeps the last autosave).
#include "composer/composerwindow.h"

#include "accountoperations.h"
#include "composer/attachmentlist.h"
#include "composer/draftwriter.h"
#include "composer/richtextedit.h"
#include "composer/richtextexport.h"

#include "compose/seenaddresses.h"
#include "mime/composer.h"
#include "profile.h"
#include "store/store.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QStringListModel>
#include <QTimer>

namespace tern::ui {

// The composer's own connections: this one reads (completions, a draft to open); the writer's, in its own
// thread, writes drafts and the outbox (PERFORMANCE.md: no write transaction on the GUI thread). The
// profile's syncs write through their own connections meanwhile (WAL).
bool ComposerWindow::openStore()
{
    if (m_context.profileDirectory.isEmpty())
        return false;
    const QString path = core::Profile(m_context.profileDirectory).filePath(QStringLiteral("store.sqlite"));
    auto store = std::make_unique<store::Store>();
    if (!store->open(path)) {
        showNotice(tr("Drafts cannot be saved: the mail store did not open (%1).").arg(store->error()));
        return false;
    }
    m_store = std::move(store);
    delete m_writer;
    m_writer = new DraftWriter(path, this);
    connect(m_writer, &DraftWriter::saved, this, &ComposerWindow::draftWritten);
    connect(m_writer, &DraftWriter::enqueued, this, &ComposerWindow::queueWritten);
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
    if (m_rich) {
        const RichText rich = exportRichText(*m_richBody->document());
        d.text = rich.plain;
        d.html = rich.html;
    } else {
        d.text = m_body->toPlainText();
    }
    d.messageId = m_draftMessageId;
    d.inReplyTo = m_inReplyTo;
    d.references = m_references;
    d.attachments = m_attachments->attachments();
    return d;
}

bool ComposerWindow::hasContent() const
{
    return !bodyText().trimmed().isEmpty() || !m_subject->text().isEmpty() || !m_to->text().isEmpty()
        || m_attachments->count() > 0;
}

bool ComposerWindow::saveDraft()
{
    if (!m_modified || m_done || m_sending)
        return true;
    if (!m_writer) {
        showNotice(tr("This draft cannot be saved: no profile is open."));
        return false;
    }
    if (m_saving) {
        // One version at a time, so that each replaces the one before: the newer text follows this save.
        m_saveAgain = true;
        return true;
    }
    if (m_draftMessageId.isEmpty()) {
        const accounts::Identity *identity = currentIdentity();
        const QString domain = identity ? identity->address.section(QLatin1Char('@'), -1) : QString();
        m_draftMessageId = mime::generateMessageId(domain.isEmpty() ? QStringLiteral("tern.invalid") : domain);
    }
    m_saving = true;
    m_modified = false; // typing from now on makes it modified again
    m_writer->save(currentDraft(), m_draftId);
    return true;
}

void ComposerWindow::draftWritten(qint64 id, const QString &error, const QByteArray &raw)
{
    m_saving = false;
    if (id == 0) {
        m_modified = true; // not in the store: the next save (autosave, Save Draft, close) tries again
        m_saveAgain = false;
        showNotice(tr("The draft could not be saved: %1").arg(error));
        if (m_closing) {
            m_closing = false;
            askDiscard();
        }
        return;
    }
    m_draftId = id;
    statusBar()->showMessage(tr("Draft saved"), 3000);
    Q_EMIT draftSaved(id);
    storeOnServer(raw);
    const bool again = m_saveAgain;
    m_saveAgain = false;
    if (m_modified && (again || m_closing)) {
        saveDraft();
        return;
    }
    if (m_closing)
        close(); // saved: the close asked for goes ahead
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
    setRichText(!draft->html.isEmpty());
    if (m_rich)
        m_richBody->setSanitizedHtml(draft->html);
    else
        m_body->setPlainText(draft->text);
    m_draftMessageId = draft->messageId;
    // An earlier session may have stored it on the server: sending or discarding removes that copy too.
    if (const accounts::Account *account = currentAccount();
        account && account->incomingProtocol == accounts::IncomingProtocol::Imap && !m_draftMessageId.isEmpty())
        m_serverAccount = account->name;
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
    if (m_sending) {
        event->ignore(); // the window closes itself once the message is queued, or stays with the error
        return;
    }
    if (m_done || !hasContent() || (!m_modified && !m_saving)) {
        m_autosave->stop();
        m_closing = false;
        event->accept();
        return;
    }
    // The text goes to the store first; the writer's answer closes the window (draftWritten) without the
    // event loop ever waiting here.
    event->ignore();
    m_closing = true;
    if (!m_saving && !saveDraft()) {
        m_closing = false;
        askDiscard();
    }
}

// The draft could not be saved: closing now would lose the text, so only the user may decide that.
void ComposerWindow::askDiscard()
{
    if (m_prompt)
        return;
    m_prompt = new QMessageBox(QMessageBox::Warning, tr("Discard this message?"),
                               tr("The draft could not be saved. Close the window and lose the text?"),
                               QMessageBox::Discard | QMessageBox::Cancel, this);
    m_prompt->setObjectName(QStringLiteral("discardPrompt"));
    m_prompt->setDefaultButton(QMessageBox::Cancel);
    QAbstractButton *discard = m_prompt->button(QMessageBox::Discard);
    connect(m_prompt, &QMessageBox::buttonClicked, this, [this, discard](QAbstractButton *clicked) {
        m_prompt->deleteLater();
        m_prompt = nullptr;
        if (clicked != discard)
            return;
        m_done = true;
        m_autosave->stop();
        QTimer::singleShot(0, this, &QWidget::close);
    });
    m_prompt->open();
}

// Discard asks first: the text and its drafts (here and on the server) go for good.
void ComposerWindow::confirmDiscard()
{
    if (m_done || m_sending)
        return;
    if (!hasContent() && m_draftId == 0) {
        discard();
        return;
    }
    delete m_prompt;
    m_prompt = new QMessageBox(QMessageBox::Warning, tr("Discard this message?"),
                               tr("The text and its saved drafts will be deleted."),
                               QMessageBox::Discard | QMessageBox::Cancel, this);
    m_prompt->setObjectName(QStringLiteral("confirmDiscardPrompt"));
    m_prompt->setDefaultButton(QMessageBox::Cancel);
    QAbstractButton *discardButton = m_prompt->button(QMessageBox::Discard);
    connect(m_prompt, &QMessageBox::buttonClicked, this, [this, discardButton](QAbstractButton *clicked) {
        m_prompt->deleteLater();
        m_prompt = nullptr;
        if (clicked == discardButton)
            discard();
    });
    m_prompt->open();
}

void ComposerWindow::discard()
{
    m_done = true;
    m_autosave->stop();
    if (m_writer && m_draftId != 0)
        m_writer->remove(m_draftId);
    m_draftId = 0;
    removeFromServer();
    QTimer::singleShot(0, this, &QWidget::close);
}

// The local draft is the primary copy (it survives a crash or a network failure); the server's copy in an
// IMAP account's Drafts folder follows it, best effort, off the GUI thread. Its errors go to the status line.
void ComposerWindow::storeOnServer(const QByteArray &raw)
{
    const accounts::Account *account = currentAccount();
    if (!m_context.operations || m_done || raw.isEmpty())
        return;
    if (!m_serverAccount.isEmpty() && (!account || account->name != m_serverAccount))
        removeFromServer(); // written from another account now: its copy goes from the old account's folder
    if (!account || account->incomingProtocol != accounts::IncomingProtocol::Imap)
        return;
    if (m_context.operations->storeServerDraft(*account, m_draftMessageId, raw))
        m_serverAccount = account->name;
}

void ComposerWindow::removeFromServer()
{
    if (!m_context.operations || m_serverAccount.isEmpty())
        return;
    for (const accounts::Account &account : std::as_const(m_context.accounts)) {
        if (account.name == m_serverAccount)
            m_context.operations->storeServerDraft(account, m_draftMessageId, {});
    }
    m_serverAccount.clear();
}

void ComposerWindow::serverDraftDone(const QByteArray &messageId, bool removed, bool ok, const QString &message)
{
    if (messageId != m_draftMessageId)
        return;
    if (!ok)
        statusBar()->showMessage(removed ? tr("The draft could not be removed from the server: %1").arg(message)
                                         : tr("Draft saved on this computer, but not on the server: %1").arg(message));
    else if (!removed)
        statusBar()->showMessage(tr("Draft saved, also on the server"), 3000);
    Q_EMIT serverDraftFinished(removed, ok, message);
}

} // namespace tern::ui
