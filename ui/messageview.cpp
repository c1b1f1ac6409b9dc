// SPDX-License-Identifier: GPL-3.0-or-later
#include "messageview.h"

#include "mime/address.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "mime/received.h"

#include <QLocale>
#include <QUrl>

namespace tern::ui {

MessageView::MessageView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("messageView"));
    setAccessibleName(tr("Message"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setPlaceholderText(tr("No message selected"));
}

QVariant MessageView::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    // No network, no files: a remote image is a tracking pixel until the user says otherwise.
    if (!name.scheme().isEmpty() && name.scheme() != QLatin1StringView("cid"))
        ++m_blocked;
    return {};
}

void MessageView::showMessage(const QByteArray &raw)
{
    if (raw.isEmpty()) {
        clear();
        return;
    }
    const mime::Message message(raw);
    const mime::BodyModel body(message);
    QStringList from;
    for (const mime::Mailbox &m : mime::parseAddressList(message.header(0, "From")))
        from << m.displayString(); // the real address is always part of it (SECURITY.md D1)
    QStringList to;
    for (const mime::Mailbox &m : mime::parseAddressList(message.header(0, "To")))
        to << m.displayString();
    const QDateTime date = mime::parseDateTime(message.header(0, "Date"));

    QString html = QStringLiteral("<table cellspacing='2'>");
    const auto row = [&](const QString &label, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    row(tr("From:"), from.join(QStringLiteral(", ")));
    row(tr("To:"), to.join(QStringLiteral(", ")));
    row(tr("Date:"), date.isValid() ? QLocale().toString(date.toLocalTime(), QLocale::LongFormat) : QString());
    row(tr("Subject:"), message.headerText(0, "Subject"));
    if (!body.attachments().empty()) {
        QStringList names;
        for (const mime::Attachment &a : body.attachments())
            names << a.fileName;
        row(tr("Attachments:"), names.join(QStringLiteral(", ")));
    }
    html += QStringLiteral("</table><hr/>");
    // Plain text, escaped: the HTML alternative gets its own sandboxed renderer with the ui work.
    const QString text = body.plainPart() >= 0 ? body.plainText() : tr("(This message has no plain-text part.)");
    html += QStringLiteral("<pre style='white-space: pre-wrap'>%1</pre>").arg(text.toHtmlEscaped());
    setHtml(html);
}

} // namespace tern::ui
