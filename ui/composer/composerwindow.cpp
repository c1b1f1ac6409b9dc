// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composerwindow.h"

#include "accountoperations.h"
#include "composer/attachmentlist.h"
#include "composer/draftwriter.h"
#include "composer/recipientcompleter.h"
#include "composer/richtextedit.h"

#include "compose/mailto.h"
#include "mime/composer.h"
#include "store/store.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStringListModel>
#include <QTextCursor>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace tern::ui {

namespace {

// RFC 3676 4.3: the signature separator is "-- " alone on a line.
const QString kSignatureSeparator = QStringLiteral("-- \n");

QString signatureBlock(const QString &signature)
{
    return signature.isEmpty() ? QString() : QLatin1Char('\n') + kSignatureSeparator + signature;
}

} // namespace

ComposerWindow::ComposerWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("ComposerWindow"));
    setAttribute(Qt::WA_DeleteOnClose);
    setAcceptDrops(true);
    createToolBar();

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    m_notice = new QLabel;
    m_notice->setObjectName(QStringLiteral("noticeBar"));
    m_notice->setAccessibleName(tr("Notice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText); // addresses and file names from outside: never rich text
    m_notice->setFrameShape(QFrame::StyledPanel);
    m_notice->setVisible(false);
    layout->addWidget(m_notice);

    auto *form = new QFormLayout;
    m_identity = new QComboBox;
    m_identity->setObjectName(QStringLiteral("identityBox"));
    m_identity->setAccessibleName(tr("From"));
    form->addRow(tr("&From:"), m_identity);
    m_to = addField(form, tr("&To:"), QStringLiteral("toField"));
    m_cc = addField(form, tr("&Cc:"), QStringLiteral("ccField"));
    m_bcc = addField(form, tr("&Bcc:"), QStringLiteral("bccField"));
    m_subject = addField(form, tr("S&ubject:"), QStringLiteral("subjectField"));
    layout->addLayout(form);

    m_completions = new QStringListModel(this);
    for (QLineEdit *field : {m_to, m_cc, m_bcc}) {
        field->setPlaceholderText(tr("name@example.org, …"));
        new RecipientCompleter(m_completions, field);
    }

    m_body = new QPlainTextEdit;
    m_body->setObjectName(QStringLiteral("bodyEdit"));
    m_body->setAccessibleName(tr("Message text"));
    m_body->viewport()->installEventFilter(this); // files dropped on the text become attachments
    m_richBody = new RichTextEdit;
    m_richBody->setObjectName(QStringLiteral("richBodyEdit"));
    m_richBody->setAccessibleName(tr("Message text (rich text)"));
    m_richBody->viewport()->installEventFilter(this);
    m_bodyStack = new QStackedWidget;
    m_bodyStack->addWidget(m_body);
    m_bodyStack->addWidget(m_richBody);
    layout->addWidget(m_bodyStack, 1);
    createFormatActions();

    m_attachments = new AttachmentList;
    layout->addWidget(m_attachments);
    setCentralWidget(central);

    m_autosave = new QTimer(this);
    m_autosave->setObjectName(QStringLiteral("autosaveTimer"));
    m_autosave->setInterval(30000);
    connect(m_autosave, &QTimer::timeout, this, &ComposerWindow::autosave);

    connect(m_subject, &QLineEdit::textChanged, this, &ComposerWindow::updateTitle);
    for (QLineEdit *field : {m_to, m_cc, m_bcc, m_subject})
        connect(field, &QLineEdit::textChanged, this, &ComposerWindow::markModified);
    connect(m_body, &QPlainTextEdit::textChanged, this, &ComposerWindow::markModified);
    connect(m_richBody, &QTextEdit::textChanged, this, &ComposerWindow::markModified);
    connect(m_attachments, &AttachmentList::changed, this, &ComposerWindow::markModified);
    connect(m_identity, &QComboBox::currentIndexChanged, this, &ComposerWindow::identityChanged);
    updateTitle();
    resize(760, 600);
}

ComposerWindow::~ComposerWindow()
{
    // Destroyed without a close event (the application quitting): the writer, destroyed with this window,
    // completes this last save before it goes.
    if (m_writer && !m_done && !m_sending && m_modified && hasContent())
        m_writer->save(currentDraft(), m_draftId);
}

void ComposerWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Compose"));
    bar->setObjectName(QStringLiteral("composeToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_send = bar->addAction(QIcon::fromTheme(QStringLiteral("mail-send")), tr("&Send"));
    m_send->setObjectName(QStringLiteral("sendAction"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_send->setEnabled(false);
    m_send->setToolTip(tr("Sending needs an account to send from"));
    connect(m_send, &QAction::triggered, this, &ComposerWindow::send);

    QAction *attach = bar->addAction(QIcon::fromTheme(QStringLiteral("mail-attachment")), tr("&Attach…"));
    attach->setObjectName(QStringLiteral("attachAction"));
    attach->setToolTip(tr("Attach files (or drop them on this window)"));
    connect(attach, &QAction::triggered, this, &ComposerWindow::chooseAttachments);

    QAction *save = bar->addAction(QIcon::fromTheme(QStringLiteral("document-save")), tr("Save &Draft"));
    save->setObjectName(QStringLiteral("saveDraftAction"));
    save->setShortcut(QKeySequence::Save);
    connect(save, &QAction::triggered, this, [this] {
        m_modified = true; // the user asked: save even an unchanged text
        saveDraft();
    });

    m_discard = bar->addAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("D&iscard"));
    m_discard->setObjectName(QStringLiteral("discardAction"));
    m_discard->setToolTip(tr("Close without sending and delete the draft, here and on the server"));
    connect(m_discard, &QAction::triggered, this, &ComposerWindow::confirmDiscard);
}

QLineEdit *ComposerWindow::addField(QFormLayout *form, const QString &label, const QString &objectName)
{
    auto *field = new QLineEdit;
    field->setObjectName(objectName);
    field->setAccessibleName(QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    form->addRow(label, field);
    return field;
}

void ComposerWindow::setContext(const ComposerContext &context)
{
    m_context = context;
    const QSignalBlocker block(m_identity);
    m_identity->clear();
    for (const accounts::Account &account : std::as_const(m_context.accounts)) {
        for (const accounts::Identity &identity : account.identities) {
            const QString who = identity.name.isEmpty() ? identity.address
                                                        : QStringLiteral("%1 <%2>").arg(identity.name, identity.address);
            m_identity->addItem(tr("%1 — %2").arg(who, account.name), QStringList{account.name, identity.address});
        }
    }
    const bool canSend = m_identity->count() > 0;
    m_send->setEnabled(canSend);
    m_send->setToolTip(canSend ? tr("Send now (Ctrl+Return)") : tr("Sending needs an account to send from"));
    if (openStore())
        m_autosave->start();
    if (m_context.operations)
        connect(m_context.operations, &AccountOperations::serverDraftFinished, this, &ComposerWindow::serverDraftDone,
                Qt::UniqueConnection);
    const bool wasModified = m_modified;
    identityChanged(m_identity->currentIndex()); // the first identity's signature
    m_modified = wasModified;
}

void ComposerWindow::setAutosaveInterval(int milliseconds)
{
    m_autosave->setInterval(milliseconds);
}

int ComposerWindow::autosaveInterval() const
{
    return m_autosave->interval();
}

void ComposerWindow::setSmtpSizeLimit(qint64 bytes)
{
    m_sizeLimit = bytes;
    m_attachments->setSizeLimit(bytes);
}

const accounts::Account *ComposerWindow::currentAccount() const
{
    const QStringList key = m_identity->currentData().toStringList();
    for (const accounts::Account &a : m_context.accounts) {
        if (!key.isEmpty() && a.name == key.first())
            return &a;
    }
    return nullptr;
}

const accounts::Identity *ComposerWindow::currentIdentity() const
{
    const QStringList key = m_identity->currentData().toStringList();
    const accounts::Account *account = currentAccount();
    if (!account || key.size() < 2)
        return nullptr;
    for (const accounts::Identity &i : account->identities) {
        if (i.address == key.at(1))
            return &i;
    }
    return nullptr;
}

void ComposerWindow::selectIdentity(const QString &account, const QString &address)
{
    for (int i = 0; i < m_identity->count(); ++i) {
        const QStringList key = m_identity->itemData(i).toStringList();
        if (key.size() == 2 && (account.isEmpty() || key.at(0) == account)
            && key.at(1).compare(address, Qt::CaseInsensitive) == 0) {
            m_identity->setCurrentIndex(i);
            return;
        }
    }
}

void ComposerWindow::identityChanged(int)
{
    const accounts::Identity *identity = currentIdentity();
    if (m_context.operations && currentAccount())
        setSmtpSizeLimit(m_context.operations->smtpSizeLimit(currentAccount()->name));
    insertSignature(identity ? identity->signature : QString());
}

// Replaces the signature now in the text (the last "-- " block equal to it) with the new one; appends the new
// one when the text has none. Text the user typed elsewhere is never touched.
void ComposerWindow::insertSignature(const QString &signature)
{
    const QString text = bodyDocument()->toPlainText(); // positions as in the document, in either mode
    const QString oldBlock = signatureBlock(m_signature);
    const QString newBlock = signatureBlock(signature);
    QTextCursor cursor(bodyDocument());
    const qsizetype at = oldBlock.isEmpty() ? -1 : text.lastIndexOf(oldBlock);
    if (at >= 0) {
        cursor.setPosition(int(at));
        cursor.setPosition(int(at + oldBlock.size()), QTextCursor::KeepAnchor);
    } else if (newBlock.isEmpty()) {
        m_signature = signature;
        return;
    } else {
        cursor.movePosition(QTextCursor::End);
    }
    const int position = bodyCursor().position();
    cursor.insertText(newBlock);
    QTextCursor keep = bodyCursor();
    keep.setPosition(std::min(position, int(bodyDocument()->characterCount() - 1)));
    setBodyCursor(keep);
    m_signature = signature;
}

void ComposerWindow::setDraft(const compose::MailtoDraft &draft)
{
    const QString separator = QStringLiteral(", ");
    m_to->setText(draft.to.join(separator));
    m_cc->setText(draft.cc.join(separator));
    m_bcc->setText(draft.bcc.join(separator));
    m_subject->setText(draft.subject);
    m_body->setPlainText(draft.body);
    m_signature.clear();
    identityChanged(m_identity->currentIndex());
    m_inReplyTo = draft.inReplyTo.toLatin1();
    if (!draft.ignoredFields.isEmpty()) {
        showNotice(tr("The link also asked for: %1. Tern never attaches files or sets headers from a "
                      "link, so these were left out.")
                       .arg(draft.ignoredFields.join(separator)));
    }
    m_modified = false; // nothing typed yet: the link can be opened again
}

void ComposerWindow::setReply(const mime::Draft &draft)
{
    QStringList fields[3];
    const std::vector<mime::Mailbox> *lists[3] = {&draft.to, &draft.cc, &draft.bcc};
    for (int i = 0; i < 3; ++i) {
        for (const mime::Mailbox &m : *lists[i])
            fields[i] << m.displayString();
    }
    if (!draft.from.address.isEmpty())
        selectIdentity({}, draft.from.address);
    const QString separator = QStringLiteral(", ");
    m_to->setText(fields[0].join(separator));
    m_cc->setText(fields[1].join(separator));
    m_bcc->setText(fields[2].join(separator));
    m_subject->setText(draft.subject);
    m_body->setPlainText(draft.text);
    m_signature.clear();
    identityChanged(m_identity->currentIndex());
    m_inReplyTo = draft.inReplyTo;
    m_references = draft.references;
    for (const mime::OutgoingAttachment &a : draft.attachments)
        m_attachments->add(a);
    QTextCursor start(m_body->document());
    m_body->setTextCursor(start); // the answer goes above the quote
    m_modified = false;
}

void ComposerWindow::showNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

void ComposerWindow::markModified()
{
    m_modified = true;
}

void ComposerWindow::updateTitle()
{
    const QString subject = m_subject->text().trimmed();
    setWindowTitle(subject.isEmpty() ? tr("New Message") : tr("%1 — New Message").arg(subject));
}

void ComposerWindow::chooseAttachments()
{
    attachFiles(QFileDialog::getOpenFileNames(this, tr("Attach Files")));
}

void ComposerWindow::attachFiles(const QStringList &files)
{
    QStringList errors;
    for (const QString &file : files) {
        QString error;
        if (!m_attachments->addFile(file, &error))
            errors << error;
    }
    if (!errors.isEmpty())
        showNotice(errors.join(QLatin1Char('\n')));
}

void ComposerWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!AttachmentList::localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ComposerWindow::dropEvent(QDropEvent *event)
{
    const QStringList files = AttachmentList::localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    attachFiles(files);
    event->acceptProposedAction();
}

bool ComposerWindow::eventFilter(QObject *watched, QEvent *event)
{
    // The text editor would paste a dropped file's path; a file dropped anywhere is an attachment.
    if (watched == m_body->viewport() || watched == m_richBody->viewport()) {
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto *drag = static_cast<QDragMoveEvent *>(event);
            if (!AttachmentList::localFiles(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::Drop) {
            auto *drop = static_cast<QDropEvent *>(event);
            if (!AttachmentList::localFiles(drop->mimeData()).isEmpty()) {
                dropEvent(drop);
                return true;
            }
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

bool ComposerWindow::mentionsAttachment(const QString &text)
{
    static const QRegularExpression words(
        QStringLiteral("\\b(attach(ed|ment|ments|ing)?|enclosed|anbei|angeh[äa]ngt|anhang|pi[èe]ces? jointes?|"
                       "ci-joint|adjunt[oa]s?|allegat[oi]|bijlage|bijgevoegd|bifogad|vedlagt)\\b"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::UseUnicodePropertiesOption);
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        if (line == QLatin1StringView("-- "))
            break; // the signature
        if (line.startsWith(QLatin1Char('>')))
            continue; // quoted: the other person's attachment
        if (words.match(line).hasMatch())
            return true;
    }
    return false;
}

} // namespace tern::ui
