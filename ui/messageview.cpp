// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageview.h"

#include "message/remotecontentpolicy.h"
#include "message/safebrowser.h"

#include "mime/address.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "mime/received.h"

#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPushButton>
#include <QStandardPaths>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

namespace tern::ui {

struct MessageView::Shown
{
    explicit Shown(const QByteArray &raw)
        : message(raw)
        , body(message)
    {
    }
    mime::Message message;
    mime::BodyModel body; // refers to message: declared after it
};

namespace {

QString mailboxes(const QByteArray &value, bool *suspicious = nullptr)
{
    QStringList out;
    for (const mime::Mailbox &m : mime::parseAddressList(value)) {
        out << m.displayString(); // the real address is always part of it (SECURITY.md D1)
        if (suspicious && m.suspiciousName)
            *suspicious = true;
    }
    return out.join(QStringLiteral(", "));
}

QFrame *framed(QWidget *content, const QString &objectName)
{
    auto *frame = new QFrame;
    frame->setObjectName(objectName);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(frame);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(content, 1);
    return frame;
}

} // namespace

MessageView::MessageView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("messageView"));
    setAccessibleName(tr("Message"));

    m_headers = new QLabel;
    m_headers->setObjectName(QStringLiteral("messageHeaders"));
    m_headers->setAccessibleName(tr("Message headers"));
    m_headers->setTextFormat(Qt::RichText); // built here from escaped values only
    m_headers->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_headers->setWordWrap(true);
    m_headers->setContentsMargins(6, 4, 6, 4);

    m_security = new QLabel;
    m_security->setObjectName(QStringLiteral("securityNote"));
    m_security->setAccessibleName(tr("Encryption and signature"));
    m_security->setTextFormat(Qt::PlainText);
    m_security->setWordWrap(true);
    m_security->setFrameShape(QFrame::Box);
    m_security->setMargin(6);
    m_security->hide();

    m_remoteText = new QLabel(tr("Remote content blocked. Tern did not load images or other content from the "
                                 "internet, so the sender cannot see that you opened this message."));
    m_remoteText->setWordWrap(true);
    m_loadOnce = new QPushButton(tr("Load for this message"));
    m_loadOnce->setObjectName(QStringLiteral("loadRemoteOnce"));
    m_loadAlways = new QPushButton;
    m_loadAlways->setObjectName(QStringLiteral("loadRemoteAlways"));
    auto *barContent = new QWidget;
    auto *barLayout = new QHBoxLayout(barContent);
    barLayout->setContentsMargins(0, 0, 0, 0);
    barLayout->addWidget(m_remoteText, 1);
    barLayout->addWidget(m_loadOnce);
    barLayout->addWidget(m_loadAlways);
    m_remoteBar = framed(barContent, QStringLiteral("remoteContentBar"));
    m_remoteBar->setAccessibleName(tr("Remote content blocked"));
    m_remoteBar->setAutoFillBackground(true);
    QPalette bar = m_remoteBar->palette();
    bar.setColor(QPalette::Window, bar.color(QPalette::ToolTipBase));
    bar.setColor(QPalette::WindowText, bar.color(QPalette::ToolTipText));
    m_remoteBar->setPalette(bar);
    m_remoteBar->hide();
    connect(m_loadOnce, &QPushButton::clicked, this, &MessageView::loadRemoteOnce);
    connect(m_loadAlways, &QPushButton::clicked, this, &MessageView::loadRemoteAlways);

    m_body = new SafeBrowser;
    m_body->setPlaceholderText(tr("No message selected"));
    m_body->setCidResolver([this](const QString &cid) -> QByteArray {
        if (!m_shown)
            return {};
        const int part = m_shown->body.partForContentId(cid);
        return part >= 0 ? m_shown->body.content(part) : QByteArray();
    });
    connect(m_body, &SafeBrowser::remoteContentBlocked, this, [this] { m_remoteBar->show(); });
    connect(m_body, &SafeBrowser::linkHovered, this, &MessageView::linkHovered);
    connect(m_body, &SafeBrowser::linkActivated, this, &MessageView::openLink);

    m_attachments = new QListWidget;
    m_attachments->setObjectName(QStringLiteral("attachmentList"));
    m_attachments->setAccessibleName(tr("Attachments"));
    m_attachments->setFlow(QListView::LeftToRight);
    m_attachments->setWrapping(true);
    m_attachments->setMaximumHeight(72);
    auto *open = new QPushButton(tr("&Open"));
    open->setObjectName(QStringLiteral("openAttachment"));
    auto *save = new QPushButton(tr("&Save…"));
    save->setObjectName(QStringLiteral("saveAttachment"));
    connect(open, &QPushButton::clicked, this, &MessageView::openAttachment);
    connect(save, &QPushButton::clicked, this, &MessageView::saveSelectedAttachment);
    connect(m_attachments, &QListWidget::itemActivated, this, &MessageView::openAttachment);
    m_attachmentPane = new QFrame;
    auto *attachmentLayout = new QHBoxLayout(m_attachmentPane);
    attachmentLayout->setContentsMargins(4, 0, 4, 4);
    attachmentLayout->addWidget(m_attachments, 1);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(open);
    buttons->addWidget(save);
    buttons->addStretch();
    attachmentLayout->addLayout(buttons);
    m_attachmentPane->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_headers);
    layout->addWidget(m_security);
    layout->addWidget(m_remoteBar);
    layout->addWidget(m_body, 1);
    layout->addWidget(m_attachmentPane);
}

MessageView::~MessageView() = default;

int MessageView::blockedRemoteRequests() const
{
    return m_body->blockedRemoteRequests();
}

QByteArray MessageView::raw() const
{
    return m_shown ? m_shown->message.raw() : QByteArray();
}

void MessageView::setNotice(const QString &text)
{
    showMessage({});
    m_body->setPlainText(text);
}

void MessageView::showMessage(const QByteArray &raw)
{
    m_remoteBar->hide();
    m_sender.clear();
    if (raw.isEmpty()) {
        m_shown.reset();
        m_headers->clear();
        m_security->hide();
        m_attachments->clear();
        m_attachmentPane->hide();
        m_body->showHtml(QString());
        return;
    }
    m_shown = std::make_unique<Shown>(raw);
    const auto from = mime::parseAddressList(m_shown->message.header(0, "From"));
    if (!from.empty())
        m_sender = from.front().address;
    renderHeaders();
    renderSecurityNote();
    renderBody();
    renderAttachments();
}

void MessageView::renderHeaders()
{
    const mime::Message &message = m_shown->message;
    bool suspicious = false;
    const QString from = mailboxes(message.header(0, "From"), &suspicious);
    const QString sender = mailboxes(message.header(0, "Sender"));
    const QDateTime date = mime::parseDateTime(message.header(0, "Date"));
    QString html = QStringLiteral("<table cellspacing='1' cellpadding='1'>");
    const auto row = [&html](const QString &label, const QString &value, bool bold = false) {
        if (value.isEmpty())
            return;
        html += QStringLiteral("<tr><td align='right'>%1</td><td>%3%2%4</td></tr>")
                    .arg(label.toHtmlEscaped(), value.toHtmlEscaped(), bold ? QStringLiteral("<b>") : QString(),
                         bold ? QStringLiteral("</b>") : QString());
    };
    row(tr("Subject:"), message.headerText(0, "Subject"), true);
    row(tr("From:"), from.isEmpty() ? tr("(no sender)") : from);
    if (suspicious)
        row(QString(), tr("The sender's name looks like an address. The real address is the one in <angle brackets>."));
    if (!sender.isEmpty() && sender != from)
        row(tr("Sent by:"), sender); // SECURITY.md D2: Sender differs from From
    row(tr("To:"), mailboxes(message.header(0, "To")));
    row(tr("Cc:"), mailboxes(message.header(0, "Cc")));
    row(tr("Date:"), date.isValid() ? QLocale().toString(date.toLocalTime(), QLocale::LongFormat) : QString());
    html += QStringLiteral("</table>");
    m_headers->setText(html);
}

void MessageView::renderSecurityNote()
{
    bool encrypted = false, signedPart = false;
    for (const mime::Part &p : m_shown->message.parts()) {
        const mime::ContentType &t = p.contentType;
        if (t.is("multipart", "encrypted") || t.is("application", "pgp-encrypted") || t.is("application", "pkcs7-mime")
            || t.is("application", "x-pkcs7-mime"))
            encrypted = true;
        if (t.is("multipart", "signed") || t.is("application", "pkcs7-signature") || t.is("application", "pgp-signature"))
            signedPart = true;
    }
    const mime::BodyModel &body = m_shown->body;
    if (body.plainPart() >= 0) {
        const QString text = body.plainText();
        encrypted = encrypted || text.contains(QLatin1StringView("-----BEGIN PGP MESSAGE-----"));
        signedPart = signedPart || text.contains(QLatin1StringView("-----BEGIN PGP SIGNED MESSAGE-----"));
    }
    QStringList notes;
    if (encrypted)
        notes << tr("🔒 This message has an encrypted part. Tern cannot decrypt it yet: it is shown as an attachment "
                    "or as the armoured text.");
    if (signedPart)
        notes << tr("✍ This message has a signed part. The signature has not been checked: treat the content as "
                    "unverified.");
    m_security->setText(notes.join(QLatin1Char('\n')));
    m_security->setVisible(!notes.isEmpty());
}

void MessageView::renderBody()
{
    const mime::BodyModel &body = m_shown->body;
    const bool allowed = m_policy && m_policy->isAllowed(m_sender);
    if (body.htmlPart() >= 0) {
        m_body->showHtml(body.html(), allowed);
    } else {
        const QString text = body.plainPart() >= 0 ? body.plainText() : tr("(This message has no text.)");
        m_body->showHtml(QStringLiteral("<pre style='white-space: pre-wrap'>%1</pre>").arg(text.toHtmlEscaped()));
    }
    m_loadAlways->setText(tr("Always for %1").arg(m_sender.isEmpty() ? tr("this sender") : m_sender));
    m_loadAlways->setEnabled(!m_sender.isEmpty());
}

void MessageView::renderAttachments()
{
    m_attachments->clear();
    QMimeDatabase mimeTypes;
    for (const mime::Attachment &a : m_shown->body.attachments()) {
        if (a.isInline && !a.contentId.isEmpty() && m_shown->body.htmlPart() >= 0)
            continue; // an image of the HTML body, shown in place
        const QString label = QStringLiteral("%1 (%2)").arg(a.fileName, QLocale().formattedDataSize(a.approximateSize));
        auto *item = new QListWidgetItem(QIcon::fromTheme(mimeTypes.mimeTypeForName(QString::fromLatin1(a.mimeType)).iconName(),
                                                          QIcon::fromTheme(QStringLiteral("text-x-generic"))),
                                         label, m_attachments);
        item->setData(Qt::UserRole, a.part);
        item->setData(Qt::UserRole + 1, a.fileName);
        item->setToolTip(a.declaredName == a.fileName ? a.fileName
                                                      : tr("%1\nThe sender named it: %2").arg(a.fileName, a.declaredName));
    }
    if (m_attachments->count() > 0)
        m_attachments->setCurrentRow(0);
    m_attachmentPane->setVisible(m_attachments->count() > 0);
}

QString MessageView::toPlainText() const
{
    QTextDocument headers;
    headers.setHtml(m_headers->text());
    return headers.toPlainText() + QLatin1Char('\n') + m_body->toPlainText();
}

void MessageView::loadRemoteOnce()
{
    m_remoteBar->hide();
    m_body->setRemoteAllowed(true);
}

void MessageView::loadRemoteAlways()
{
    if (m_policy)
        m_policy->allow(m_sender);
    loadRemoteOnce();
}

void MessageView::openLink(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1StringView("mailto")) {
        Q_EMIT mailtoActivated(url);
        return;
    }
    // Only the web opens from a message; javascript:, file:, data: and the rest do nothing (SECURITY.md H2).
    if (scheme == QLatin1StringView("http") || scheme == QLatin1StringView("https"))
        QDesktopServices::openUrl(url);
}

QString MessageView::saveAttachment(int row, const QString &directory)
{
    QListWidgetItem *item = m_shown ? m_attachments->item(row) : nullptr;
    if (!item)
        return {};
    // The safe name from core (SECURITY.md D3): no path, no device name, no bidi trick. Never overwrite.
    const QString name = item->data(Qt::UserRole + 1).toString();
    QDir dir(directory);
    QString path = dir.filePath(name);
    const QString base = QFileInfo(name).completeBaseName();
    const QString suffix = QFileInfo(name).suffix();
    for (int n = 2; QFileInfo::exists(path) && n < 1000; ++n)
        path = dir.filePath(suffix.isEmpty() ? QStringLiteral("%1 (%2)").arg(base).arg(n)
                                             : QStringLiteral("%1 (%2).%3").arg(base).arg(n).arg(suffix));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return {};
    const QByteArray content = m_shown->body.content(item->data(Qt::UserRole).toInt());
    if (file.write(content) != content.size())
        return {};
    return path;
}

void MessageView::openAttachment()
{
    const int row = m_attachments->currentRow();
    if (row < 0)
        return;
    if (!m_openDir)
        m_openDir = std::make_unique<QTemporaryDir>();
    const QString path = m_openDir->isValid() ? saveAttachment(row, m_openDir->path()) : QString();
    if (path.isEmpty()) {
        QMessageBox::warning(this, tr("Open Attachment"), tr("The attachment could not be written to a temporary file."));
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(path));
}

void MessageView::saveSelectedAttachment()
{
    const int row = m_attachments->currentRow();
    if (row < 0)
        return;
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Save Attachment To"), QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
    if (directory.isEmpty())
        return;
    if (saveAttachment(row, directory).isEmpty())
        QMessageBox::warning(this, tr("Save Attachment"), tr("The attachment could not be saved in %1.").arg(directory));
}

} // namespace tern::ui
