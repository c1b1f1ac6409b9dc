// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "compose/draftstore.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QMessageBox;
class QPlainTextEdit;
class QStackedWidget;
class QStringListModel;
class QTextCursor;
class QTextDocument;
class QTimer;
class QToolBar;

namespace tern::compose {
struct MailtoDraft;
}
namespace tern::mime {
struct Draft;
}
namespace tern::store {
class Store;
}

namespace tern::ui {

class AccountOperations;
class AttachmentList;
class DraftWriter;
class RichTextEdit;

// Where a composer sends and saves: the profile (its store, for drafts, the outbox and autocompletion), the
// accounts whose identities it offers, and the operations that send off the GUI thread.
struct ComposerContext
{
    QString profileDirectory;
    QList<accounts::Account> accounts;
    AccountOperations *operations = nullptr;
};

// A new message, a reply or a forward: identity, recipients with autocompletion, subject, plain text with
// the identity's signature, attachments (dialog or drag and drop). Send queues into the outbox and starts the
// send; drafts are saved every autosaveInterval() and on close, so closing (or a crash) never loses more than
// the text typed since the last autosave. Without a context (no profile) the window can only be read.
class ComposerWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit ComposerWindow(QWidget *parent = nullptr);
    ~ComposerWindow() override;

    void setContext(const ComposerContext &context);

    // Prefills from a mailto: link; says so when the link asked for things Tern never takes from a link.
    void setDraft(const compose::MailtoDraft &draft);
    // Prefills from core/mime's reply or forward (recipients, subject, quoted text, In-Reply-To, References).
    void setReply(const mime::Draft &draft);
    // Opens a draft saved in the store's Drafts folder; false (and the reason in the notice bar) if it is not one.
    bool openDraft(qint64 messageId);

    // Autosave period; 30 s by default. Tests shorten it.
    void setAutosaveInterval(int milliseconds);
    int autosaveInterval() const;
    // The outgoing server's SIZE limit (RFC 1870) in bytes, when known; 0: unknown, no warning.
    void setSmtpSizeLimit(qint64 bytes);

    // Starts saving if something changed since the last save; the write runs on the composer's writer thread
    // and draftSaved() follows once the text is safe in the store. False when no save can be made.
    bool saveDraft();
    qint64 draftId() const { return m_draftId; }
    bool isModified() const { return m_modified; }
    bool isSaving() const { return m_saving; }

    // Whether text speaks of an attachment ("attached", "attachment", "anbei", "pièce jointe" ...), quoted
    // lines ("> ...") and the signature left out.
    static bool mentionsAttachment(const QString &text);

    // Plain text (the default) or rich text (composerwindow_format.cpp). Switching to plain text here converts
    // at once; the Rich Text action asks first when formatting would be lost. Plain to rich keeps the text.
    bool isRichText() const { return m_rich; }
    void setRichText(bool rich);
    // The body as the text/plain part reads: in rich mode lists as "- ", links as "text <url>".
    QString bodyText() const;
    // Makes the selection (or, with none, `text` inserted at the cursor) a link to url: http, https or mailto.
    bool insertLink(const QString &text, const QString &url);

    QComboBox *identityBox() const { return m_identity; }
    QLineEdit *toField() const { return m_to; }
    QLineEdit *ccField() const { return m_cc; }
    QLineEdit *bccField() const { return m_bcc; }
    QLineEdit *subjectField() const { return m_subject; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    RichTextEdit *richBodyEdit() const { return m_richBody; }
    QAction *richTextAction() const { return m_richAction; }
    QToolBar *formatToolBar() const { return m_formatBar; }
    QLabel *noticeBar() const { return m_notice; }
    AttachmentList *attachments() const { return m_attachments; }
    QAction *sendAction() const { return m_send; }
    QAction *discardAction() const { return m_discard; }
    QStringListModel *completionModel() const { return m_completions; }

Q_SIGNALS:
    void draftSaved(qint64 messageId);
    // The server copy of the draft (IMAP accounts) was stored, or removed; ok false: message says why.
    void serverDraftFinished(bool removed, bool ok, const QString &message);
    // The message is durably in the outbox (id) and the send has been started.
    void queued(qint64 outboxId);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *addField(QFormLayout *form, const QString &label, const QString &objectName);
    void createToolBar();
    void updateTitle();
    void identityChanged(int index);
    const accounts::Account *currentAccount() const;
    const accounts::Identity *currentIdentity() const;
    void selectIdentity(const QString &account, const QString &address);
    void showNotice(const QString &text);
    void markModified();
    void chooseAttachments();
    void attachFiles(const QStringList &files);
    void insertSignature(const QString &signature);
    QTextDocument *bodyDocument() const;
    QTextCursor bodyCursor() const;
    void setBodyCursor(const QTextCursor &cursor);

    // Rich text (composerwindow_format.cpp)
    void createFormatActions();
    void richTextToggled(bool rich);
    void askPlainText();
    void updateFormatActions();
    void toggleList(int style);
    void chooseLink();

    // Drafts (composerwindow_drafts.cpp)
    bool openStore();
    compose::ComposerDraft currentDraft() const;
    bool hasContent() const;
    void autosave();
    void draftWritten(qint64 id, const QString &error, const QByteArray &raw);
    void askDiscard();
    void confirmDiscard();
    void discard();
    void storeOnServer(const QByteArray &raw);
    void removeFromServer();
    void serverDraftDone(const QByteArray &messageId, bool removed, bool ok, const QString &message);

    // Sending (composerwindow_send.cpp)
    void send();
    void sendConfirmed();
    bool buildMessage(mime::Draft *draft);
    void queueWritten(qint64 outboxId, const QString &error);

    QComboBox *m_identity = nullptr;
    QLineEdit *m_to = nullptr;
    QLineEdit *m_cc = nullptr;
    QLineEdit *m_bcc = nullptr;
    QLineEdit *m_subject = nullptr;
    QPlainTextEdit *m_body = nullptr;
    RichTextEdit *m_richBody = nullptr;
    QStackedWidget *m_bodyStack = nullptr;
    QAction *m_richAction = nullptr;
    QToolBar *m_formatBar = nullptr;
    QList<QAction *> m_formatActions; // enabled in rich mode only
    QAction *m_bold = nullptr;
    QAction *m_italic = nullptr;
    QAction *m_underline = nullptr;
    QAction *m_bullets = nullptr;
    QAction *m_numbers = nullptr;
    bool m_rich = false;
    QLabel *m_notice = nullptr;
    AttachmentList *m_attachments = nullptr;
    QAction *m_send = nullptr;
    QAction *m_discard = nullptr;
    QStringListModel *m_completions = nullptr;
    QTimer *m_autosave = nullptr;
    QMessageBox *m_prompt = nullptr;

    ComposerContext m_context;
    std::unique_ptr<store::Store> m_store; // reading only (completions, opening a draft)
    DraftWriter *m_writer = nullptr;       // every write: drafts and the outbox
    QString m_signature; // the signature now in the text, to swap it when the identity changes
    QByteArray m_inReplyTo;
    QByteArray m_draftMessageId; // one per message being written: each version of the draft carries it
    std::vector<QByteArray> m_references;
    qint64 m_draftId = 0;
    qint64 m_sizeLimit = 0;
    bool m_modified = false;
    bool m_done = false; // sent or discarded: nothing more to save
    bool m_saving = false;    // a draft version is being written
    bool m_saveAgain = false; // Save Draft while one was being written: save the newer text after it
    bool m_closing = false;   // the window closes once the draft is saved
    bool m_sending = false;   // the message is being queued in the outbox
    qint64 m_sendRemoves = 0; // the draft version the enqueue removes
    QString m_sendAccount;
    QString m_serverAccount; // the IMAP account whose Drafts folder may hold a copy of this draft
};

} // namespace tern::ui
