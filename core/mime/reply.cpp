// SPDX-License-Identifier: GPL-3.0-or-later
#include "reply.h"

#include "address.h"
#include "bodymodel.h"
#include "received.h"

#include <QRegularExpression>

namespace tern::mime {

namespace {

std::vector<QByteArray> messageIds(QByteArrayView value)
{
    std::vector<QByteArray> ids;
    qsizetype i = 0;
    while (ids.size() < 1000) {
        const qsizetype open = value.indexOf('<', i);
        if (open < 0)
            break;
        const qsizetype close = value.indexOf('>', open);
        if (close < 0)
            break;
        QByteArray id = value.mid(open, close - open + 1).toByteArray();
        id.replace(" ", "").replace("\t", "");
        if (id.size() > 2 && id.contains('@'))
            ids.push_back(id);
        i = close + 1;
    }
    return ids;
}

bool contains(const std::vector<Mailbox> &list, const Mailbox &m)
{
    for (const Mailbox &x : list) {
        if (x.aceAddress().compare(m.aceAddress(), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QString attributionFor(const Message &original)
{
    const auto from = parseAddressList(original.header(0, "from"));
    const QString who = from.empty() ? QStringLiteral("someone") : from.front().displayString();
    const QDateTime date = parseDateTime(original.header(0, "date"));
    return date.isValid() ? QStringLiteral("On %1, %2 wrote:").arg(date.toString(Qt::RFC2822Date), who)
                          : QStringLiteral("%1 wrote:").arg(who);
}

QString htmlEscape(const QString &s)
{
    return s.toHtmlEscaped();
}

} // namespace

QString normaliseSubject(const QString &subject, QStringView prefix)
{
    static const QRegularExpression stacked(
        QStringLiteral("^(\\s*(re|aw|sv|vs|antw|ref|tr|wg|fw|fwd|rv|r)(\\s*\\[\\d+\\]|\\s*\\(\\d+\\))?\\s*:)+\\s*"),
        QRegularExpression::CaseInsensitiveOption);
    QString rest = subject;
    rest.remove(stacked);
    return prefix.toString() + QLatin1StringView(": ") + rest.trimmed();
}

std::vector<QByteArray> replyReferences(const Message &original)
{
    std::vector<QByteArray> refs = messageIds(original.header(0, "references"));
    if (refs.empty())
        refs = messageIds(original.header(0, "in-reply-to"));
    const auto own = messageIds(original.header(0, "message-id"));
    if (!own.empty())
        refs.push_back(own.front());
    if (refs.size() > size_t(kMaxReferences)) {
        std::vector<QByteArray> trimmed{refs.front()};
        trimmed.insert(trimmed.end(), refs.end() - (kMaxReferences - 1), refs.end());
        refs = std::move(trimmed);
    }
    return refs;
}

QString quotePlain(const QString &text, const QString &attribution)
{
    QString out = attribution + QLatin1Char('\n');
    QString body = text;
    body.replace(QLatin1StringView("\r\n"), QLatin1StringView("\n"));
    if (body.endsWith(QLatin1Char('\n')))
        body.chop(1);
    for (QStringView line : QStringView(body).split(QLatin1Char('\n'))) {
        // "> " before text, ">" before a line that is already quoted (RFC 3676 4.5 nesting).
        out += line.startsWith(QLatin1Char('>')) ? QLatin1StringView(">") : QLatin1StringView("> ");
        out += line;
        out += QLatin1Char('\n');
    }
    return out;
}

QString quoteHtml(const QString &html, const QString &attribution)
{
    return QLatin1StringView("<p>") + htmlEscape(attribution) + QLatin1StringView("</p>\n<blockquote type=\"cite\">\n")
        + html + QLatin1StringView("\n</blockquote>\n");
}

Draft makeReply(const Message &original, const Mailbox &from, const std::vector<Mailbox> &me, ReplyMode mode)
{
    Draft d;
    d.from = from;
    std::vector<Mailbox> mine = me;
    mine.push_back(from);
    const auto origFrom = parseAddressList(original.header(0, "from"));
    auto replyTo = parseAddressList(original.header(0, "reply-to"));
    // Replying to one's own sent message goes to its recipients, as mail clients do.
    const bool fromMe = !origFrom.empty() && contains(mine, origFrom.front());
    std::vector<Mailbox> to = fromMe ? parseAddressList(original.header(0, "to")) : (replyTo.empty() ? origFrom : replyTo);
    std::vector<Mailbox> seen = mine;
    auto add = [&](std::vector<Mailbox> &target, const std::vector<Mailbox> &list) {
        for (Mailbox m : list) {
            if (!m.isValid() || contains(seen, m))
                continue;
            m.group.clear();
            seen.push_back(m);
            target.push_back(m);
        }
    };
    add(d.to, to);
    if (mode == ReplyMode::All) {
        if (!fromMe)
            add(d.cc, parseAddressList(original.header(0, "to")));
        add(d.cc, parseAddressList(original.header(0, "cc")));
        if (d.to.empty() && !d.cc.empty()) {
            d.to.push_back(d.cc.front());
            d.cc.erase(d.cc.begin());
        }
    }
    d.subject = normaliseSubject(original.headerText(0, "subject"), u"Re");
    const auto own = messageIds(original.header(0, "message-id"));
    if (!own.empty())
        d.inReplyTo = own.front();
    d.references = replyReferences(original);
    const BodyModel body(original);
    const QString attribution = attributionFor(original);
    d.text = QLatin1Char('\n') + quotePlain(body.plainPart() >= 0 ? body.plainText() : QString(), attribution);
    if (body.htmlPart() >= 0)
        d.html = quoteHtml(body.html(), attribution);
    return d;
}

Draft makeForwardInline(const Message &original, const Mailbox &from)
{
    Draft d;
    d.from = from;
    d.subject = normaliseSubject(original.headerText(0, "subject"), u"Fwd");
    const BodyModel body(original);
    QString header = QStringLiteral("\n---------- Forwarded message ----------\n");
    for (const char *name : {"From", "Date", "Subject", "To", "Cc"}) {
        const QString value = original.headerText(0, name);
        if (!value.isEmpty())
            header += QString::fromLatin1(name) + QLatin1StringView(": ") + value.simplified() + QLatin1Char('\n');
    }
    d.text = header + QLatin1Char('\n') + body.plainText();
    if (body.htmlPart() >= 0)
        d.html = QLatin1StringView("<pre>") + htmlEscape(header) + QLatin1StringView("</pre>\n") + body.html();
    for (const Attachment &a : body.attachments()) {
        if (a.isOpaque)
            continue;
        OutgoingAttachment out;
        out.fileName = a.fileName;
        out.mimeType = a.mimeType;
        out.data = body.content(a.part);
        if (a.isInline && body.htmlPart() >= 0)
            out.contentId = a.contentId;
        d.attachments.push_back(std::move(out));
    }
    return d;
}

Draft makeForwardAsAttachment(const Message &original, const Mailbox &from)
{
    Draft d;
    d.from = from;
    const QString subject = original.headerText(0, "subject");
    d.subject = normaliseSubject(subject, u"Fwd");
    OutgoingAttachment a;
    a.fileName = safeFileName(subject.isEmpty() ? QStringLiteral("message") : subject + QLatin1StringView(".eml"),
                              "message/rfc822");
    a.mimeType = QByteArrayLiteral("message/rfc822");
    a.data = original.raw();
    d.attachments.push_back(std::move(a));
    return d;
}

} // namespace tern::mime
