// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer.h"

#include "encodedword.h"
#include "flowed.h"

#include <QRandomGenerator>

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

bool hasControl(QByteArrayView s)
{
    for (char c : s) {
        if (uchar(c) < 0x20 || c == 0x7f)
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

Composed compose(const Draft &draft)
{
    Composed result;
    auto fail = [&](ComposeError e, const QString &detail) {
        result.error = e;
        result.detail = detail;
        result.bytes.clear();
        return result;
    };
    if (draft.from.address.isEmpty())
        return fail(ComposeError::MissingFrom, QStringLiteral("from"));
    const std::pair<const char *, const std::vector<Mailbox> *> lists[] = {
        {"from", nullptr}, {"to", &draft.to}, {"cc", &draft.cc}, {"bcc", &draft.bcc}, {"reply-to", &draft.replyTo}};
    for (const auto &[field, list] : lists) {
        const std::vector<Mailbox> single{draft.from};
        for (const Mailbox &m : list ? *list : single) {
            if (hasControl(QStringView(m.name)) || hasControl(QStringView(m.address)))
                return fail(ComposeError::HeaderInjection, QString::fromLatin1(field));
            if (!validAddress(m.address))
                return fail(ComposeError::InvalidAddress, QString::fromLatin1(field));
        }
    }
    if (draft.to.empty() && draft.cc.empty() && draft.bcc.empty())
        return fail(ComposeError::NoRecipients, QStringLiteral("to"));
    if (hasControl(QStringView(draft.subject)))
        return fail(ComposeError::HeaderInjection, QStringLiteral("subject"));
    std::vector<QByteArray> ids = draft.references;
    ids.push_back(draft.inReplyTo);
    ids.push_back(draft.messageId);
    for (const QByteArray &id : ids) {
        bool printable = true;
        for (char c : id)
            printable = printable && uchar(c) > 0x20 && uchar(c) < 0x7f; // msg-id is printable ASCII (RFC 5322 3.6.4)
        if (!printable)
            return fail(ComposeError::HeaderInjection, QStringLiteral("message-id"));
    }
    for (const auto &[name, value] : draft.extraHeaders) {
        bool nameOk = !name.isEmpty();
        for (char c : name)
            nameOk = nameOk && c > 32 && c < 127 && c != ':';
        if (!nameOk || hasControl(QStringView(value)))
            return fail(ComposeError::HeaderInjection, QString::fromLatin1(name));
    }
    for (const OutgoingAttachment &a : draft.attachments) {
        if (hasControl(QStringView(a.fileName)) || hasControl(QByteArrayView(a.mimeType)) || hasControl(QByteArrayView(a.contentId))
            || !a.mimeType.contains('/') || a.mimeType.contains(' ') || a.mimeType.contains(';') || a.contentId.contains('>'))
            return fail(ComposeError::HeaderInjection, QStringLiteral("attachment"));
    }

    // Body structure.
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

    // Header.
    const QString domain = draft.from.aceAddress().section(QLatin1Char('@'), -1);
    result.messageId = draft.messageId.isEmpty() ? generateMessageId(domain) : draft.messageId;
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
    h += foldHeader("Message-ID", result.messageId);
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
    result.bytes = h + body.headers + "\r\n" + body.body;

    for (const auto *list : {&draft.to, &draft.cc, &draft.bcc}) {
        for (const Mailbox &m : *list) {
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
