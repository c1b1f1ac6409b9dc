// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer.h"

#include "encodedword.h"
#include "flowed.h"

#include <QRandomGenerator>

#include <tuple>

namespace tern::mime {

QByteArray fileNameParameter(QByteArrayView param, const QString &fileName); // headerwriter.cpp

namespace {

// Any control character in a header field could end the line and start a new header (SECURITY.md D5).
bool hasControl(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar(0x2028) || c == QChar(0x2029))
            return true;
    }
    return false;
}

bool validAddress(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == address.size() - 1 || hasControl(QStringView(address)))
        return false;
    for (QChar c : address.mid(at + 1)) {
        if (c.isSpace() || c == QLatin1Char('<') || c == QLatin1Char('>') || c == QLatin1Char(',') || c == QLatin1Char(';')
            || c == QLatin1Char('"'))
            return false;
    }
    return !address.contains(QLatin1Char('<')) && !address.contains(QLatin1Char('>'));
}

bool longWord(QStringView s)
{
    qsizetype run = 0;
    for (QChar c : s) {
        run = c == QLatin1Char(' ') ? 0 : run + 1;
        if (run > 900)
            return true;
    }
    return false;
}

QByteArray newBoundary()
{
    quint32 r[4];
    QRandomGenerator::system()->fillRange(r);
    QByteArray b = "=_tern_";
    for (quint32 v : r)
        b += QByteArray::number(v, 16).rightJustified(8, '0');
    return b; // "=_" never occurs in QP or base64 output (RFC 2045 6.7 and 6.8)
}

struct Entity
{
    QByteArray headers; // complete header lines, CRLF-terminated
    QByteArray body;
};

bool allLinesShort(QByteArrayView b)
{
    qsizetype start = 0;
    while (start < b.size()) {
        qsizetype nl = b.indexOf('\n', start);
        if (nl < 0)
            nl = b.size();
        if (nl - start > 998)
            return false;
        start = nl + 1;
    }
    return true;
}

Entity textEntity(const QByteArray &subtypeParams, const QByteArray &utf8, const Draft &draft)
{
    int eight = 0;
    bool bareCr = false;
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        eight += uchar(utf8[i]) >= 0x80;
        bareCr = bareCr || (utf8[i] == '\r' && (i + 1 == utf8.size() || utf8[i + 1] != '\n')) || utf8[i] == '\0';
    }
    TransferEncoding enc = draft.textEncoding;
    if (enc == TransferEncoding::Unknown || enc == TransferEncoding::Binary) {
        if (!bareCr && allLinesShort(utf8) && (eight == 0 || draft.allow8bit))
            enc = eight ? TransferEncoding::EightBit : TransferEncoding::SevenBit;
        else
            enc = eight * 3 > utf8.size() ? TransferEncoding::Base64 : TransferEncoding::QuotedPrintable;
    }
    if ((enc == TransferEncoding::SevenBit && eight) || ((enc == TransferEncoding::SevenBit || enc == TransferEncoding::EightBit)
                                                         && (bareCr || !allLinesShort(utf8))))
        enc = TransferEncoding::QuotedPrintable; // a forced 7bit/8bit that the text cannot honour
    Entity e;
    e.headers = "Content-Type: text/" + subtypeParams + "\r\nContent-Transfer-Encoding: " + transferEncodingName(enc) + "\r\n";
    if (enc == TransferEncoding::Base64)
        e.body = encodeBase64Lines(utf8);
    else if (enc == TransferEncoding::QuotedPrintable)
        e.body = encodeQuotedPrintable(utf8);
    else
        e.body = utf8;
    return e;
}

// Whether bytes can go as 7bit/8bit (RFC 2045 2.7/2.8): CRLF lines of at most 998 octets, no NUL, no bare CR
// or LF, and for 7bit no octet above 127.
bool lineSafe(QByteArrayView data, TransferEncoding encoding)
{
    qsizetype lineLength = 0;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const uchar c = uchar(data[i]);
        if (c == '\r') {
            if (i + 1 >= data.size() || data[i + 1] != '\n')
                return false;
            ++i;
            lineLength = 0;
            continue;
        }
        if (c == '\n' || c == 0 || (c >= 0x80 && encoding == TransferEncoding::SevenBit) || ++lineLength > 998)
            return false;
    }
    return true;
}

Entity attachmentEntity(const OutgoingAttachment &a)
{
    Entity e;
    const bool message = a.mimeType == "message/rfc822";
    e.headers = "Content-Type: " + a.mimeType + fileNameParameter("name", a.fileName) + "\r\n";
    e.headers += "Content-Disposition: " + QByteArray(a.contentId.isEmpty() ? "attachment" : "inline")
        + fileNameParameter("filename", a.fileName) + "\r\n";
    if (!a.contentId.isEmpty())
        e.headers += "Content-ID: <" + a.contentId + ">\r\n";
    if (message) {
        // RFC 2046 5.2.1: message/rfc822 only in 7bit, 8bit or binary.
        bool eight = false;
        for (char c : a.data)
            eight = eight || uchar(c) >= 0x80;
        e.headers += QByteArray("Content-Transfer-Encoding: ") + (eight ? "8bit" : "7bit") + "\r\n";
        // SMTP carries CRLF lines only: a message stored with bare LF gets CR added.
        e.body.reserve(a.data.size() + a.data.size() / 40);
        for (qsizetype i = 0; i < a.data.size(); ++i) {
            if (a.data[i] == '\n' && (i == 0 || a.data[i - 1] != '\r'))
                e.body += '\r';
            e.body += a.data[i];
        }
    } else if (a.encoding == TransferEncoding::QuotedPrintable) {
        e.headers += "Content-Transfer-Encoding: quoted-printable\r\n";
        e.body = encodeQuotedPrintable(a.data, !a.mimeType.startsWith("text/"));
    } else if ((a.encoding == TransferEncoding::SevenBit || a.encoding == TransferEncoding::EightBit) && lineSafe(a.data, a.encoding)) {
        e.headers += "Content-Transfer-Encoding: " + transferEncodingName(a.encoding) + "\r\n";
        e.body = a.data;
    } else {
        e.headers += "Content-Transfer-Encoding: base64\r\n";
        e.body = encodeBase64Lines(a.data);
    }
    return e;
}

Entity multipartEntity(const char *subtype, const std::vector<Entity> &parts, QByteArrayView extraParams = {})
{
    QByteArray boundary;
    for (bool clash = true; clash;) {
        boundary = newBoundary();
        clash = false;
        for (const Entity &p : parts)
            clash = clash || p.body.contains(boundary);
    }
    Entity e;
    e.headers = "Content-Type: multipart/" + QByteArray(subtype) + ";" + extraParams.toByteArray() + "\r\n boundary=\""
        + boundary + "\"\r\n";
    for (const Entity &p : parts) {
        // The line break before the next delimiter belongs to the delimiter (RFC 2046 5.1.1).
        e.body += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body + "\r\n";
    }
    e.body += "--" + boundary + "--\r\n";
    return e;
}

QByteArray addressList(const std::vector<Mailbox> &list)
{
    QByteArray out;
    for (const Mailbox &m : list) {
        if (!out.isEmpty())
            out += ", ";
        out += formatMailbox(m);
    }
    return out;
}

} // namespace

namespace {

bool printableAscii(QByteArrayView id)
{
    for (char c : id) {
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f)
            return false;
    }
    return true;
}

// Every caller-supplied string that ends up in a header is checked here, before any byte is written.
std::pair<ComposeError, QString> validate(const Draft &draft)
{
    if (draft.from.address.isEmpty())
        return {ComposeError::MissingFrom, QStringLiteral("from")};
    const std::vector<Mailbox> from{draft.from};
    const std::pair<const char *, const std::vector<Mailbox> *> lists[] = {
        {"from", &from}, {"to", &draft.to}, {"cc", &draft.cc}, {"bcc", &draft.bcc}, {"reply-to", &draft.replyTo}};
    for (const auto &[field, list] : lists) {
        for (const Mailbox &m : *list) {
            if (hasControl(QStringView(m.name)) || hasControl(QStringView(m.address)))
                return {ComposeError::HeaderInjection, QString::fromLatin1(field)};
            if (!validAddress(m.address))
                return {ComposeError::InvalidAddress, QString::fromLatin1(field)};
        }
    }
    if (draft.to.empty() && draft.cc.empty() && draft.bcc.empty())
        return {ComposeError::NoRecipients, QStringLiteral("to")};
    if (hasControl(QStringView(draft.subject)))
        return {ComposeError::HeaderInjection, QStringLiteral("subject")};
    // msg-id is printable ASCII without spaces (RFC 5322 3.6.4).
    if (!printableAscii(draft.inReplyTo) || !printableAscii(draft.messageId))
        return {ComposeError::HeaderInjection, QStringLiteral("message-id")};
    for (const QByteArray &id : draft.references) {
        if (!printableAscii(id))
            return {ComposeError::HeaderInjection, QStringLiteral("references")};
    }
    for (const auto &[name, value] : draft.extraHeaders) {
        bool nameOk = !name.isEmpty();
        for (char c : name)
            nameOk = nameOk && c > 32 && c < 127 && c != ':';
        if (!nameOk || hasControl(QStringView(value)))
            return {ComposeError::HeaderInjection, QString::fromLatin1(name)};
    }
    for (const OutgoingAttachment &a : draft.attachments) {
        if (hasControl(QStringView(a.fileName)) || !printableAscii(a.mimeType) || !printableAscii(a.contentId)
            || !a.mimeType.contains('/') || a.mimeType.contains(';') || a.mimeType.contains('"') || a.contentId.contains('>')
            || a.contentId.contains('<'))
            return {ComposeError::HeaderInjection, QStringLiteral("attachment")};
    }
    return {ComposeError::None, {}};
}

// text/plain | alternative(plain, html | related(html, inline...)), inside mixed when there are attachments.
Entity buildBody(const Draft &draft)
{
    std::vector<Entity> inlines, attached;
    for (const OutgoingAttachment &a : draft.attachments)
        (a.contentId.isEmpty() || draft.html.isEmpty() ? attached : inlines).push_back(attachmentEntity(a));
    Entity body = textEntity("plain; charset=utf-8; format=flowed", encodeFlowed(draft.text).toUtf8(), draft);
    if (!draft.html.isEmpty()) {
        Entity html = textEntity("html; charset=utf-8", draft.html.toUtf8(), draft);
        if (!inlines.empty()) {
            inlines.insert(inlines.begin(), std::move(html));
            html = multipartEntity("related", inlines, " type=\"text/html\";");
        }
        body = multipartEntity("alternative", {body, html});
    }
    if (!attached.empty()) {
        attached.insert(attached.begin(), std::move(body));
        body = multipartEntity("mixed", attached);
    }
    return body;
}

QByteArray buildHeader(const Draft &draft, const QByteArray &messageId)
{
    QByteArray h;
    h += foldHeader("Date", formatDateTime(draft.date.isValid() ? draft.date : QDateTime::currentDateTime()));
    h += foldHeader("From", formatMailbox(draft.from));
    if (!draft.replyTo.empty())
        h += foldHeader("Reply-To", addressList(draft.replyTo));
    if (!draft.to.empty())
        h += foldHeader("To", addressList(draft.to));
    if (!draft.cc.empty())
        h += foldHeader("Cc", addressList(draft.cc));
    // Bcc is never written (SECURITY.md D6): its recipients are only in the envelope.
    h += foldHeader("Subject", encodeHeaderText(draft.subject, false, longWord(draft.subject)));
    h += foldHeader("Message-ID", messageId);
    if (!draft.inReplyTo.isEmpty())
        h += foldHeader("In-Reply-To", draft.inReplyTo);
    if (!draft.references.empty()) {
        QByteArray all;
        for (const QByteArray &r : draft.references)
            all += (all.isEmpty() ? "" : " ") + r;
        h += foldHeader("References", all);
    }
    for (const auto &[name, value] : draft.extraHeaders)
        h += foldHeader(name, encodeHeaderText(value, false, longWord(value)));
    h += "MIME-Version: 1.0\r\n";
    return h;
}

bool nonAsciiLocalPart(const Mailbox &m)
{
    const QString local = m.address.section(QLatin1Char('@'), 0, -2);
    for (QChar c : local) {
        if (c.unicode() >= 0x80)
            return true;
    }
    return false;
}

} // namespace

Composed compose(const Draft &draft)
{
    Composed result;
    std::tie(result.error, result.detail) = validate(draft);
    if (!result.ok())
        return result;
    const QString domain = draft.from.aceAddress().section(QLatin1Char('@'), -1);
    result.messageId = draft.messageId.isEmpty() ? generateMessageId(domain) : draft.messageId;
    const Entity body = buildBody(draft);
    result.bytes = buildHeader(draft, result.messageId) + body.headers + "\r\n" + body.body;

    result.requiresSmtpUtf8 = nonAsciiLocalPart(draft.from);
    for (const auto *list : {&draft.to, &draft.cc, &draft.bcc, &draft.replyTo}) {
        for (const Mailbox &m : *list) {
            result.requiresSmtpUtf8 = result.requiresSmtpUtf8 || nonAsciiLocalPart(m);
            if (list == &draft.replyTo)
                continue;
            const QString ace = m.aceAddress();
            bool seen = false;
            for (const QString &r : result.recipients)
                seen = seen || r.compare(ace, Qt::CaseInsensitive) == 0;
            if (!seen)
                result.recipients.push_back(ace);
        }
    }
    return result;
}

} // namespace tern::mime
