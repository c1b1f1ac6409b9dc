// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "address.h"
#include "transfer.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <utility>
#include <vector>

namespace tern::mime {

struct OutgoingAttachment
{
    QString fileName;
    QByteArray mimeType = QByteArrayLiteral("application/octet-stream");
    QByteArray data;
    QByteArray contentId; // set: an inline resource of the HTML body (multipart/related, RFC 2387)
    // Unknown: base64. QP as asked; 7bit/8bit only when the bytes allow it (else base64).
    // message/rfc822 is always 7bit/8bit (RFC 2046 5.2.1).
    TransferEncoding encoding = TransferEncoding::Unknown;
};

// What the user (or a caller) wrote. Every string is checked: CR, LF, NUL or other control characters in
// any header field are rejected, never passed through (SECURITY.md D5).
struct Draft
{
    Mailbox from;
    std::vector<Mailbox> to, cc, bcc, replyTo;
    QString subject;
    QDateTime date;             // invalid: now
    QByteArray messageId;       // "<...>"; empty: generated on the sender's domain
    QByteArray inReplyTo;       // "<...>" or empty
    std::vector<QByteArray> references;
    QString text;               // the plain body, sent as format=flowed
    QString html;               // optional: then multipart/alternative
    std::vector<OutgoingAttachment> attachments;
    std::vector<std::pair<QByteArray, QString>> extraHeaders; // e.g. "User-Agent"
    bool allow8bit = false;     // the server offers 8BITMIME (RFC 6152)
    // Forced transfer encoding for the text parts; Unknown chooses the smallest safe one.
    TransferEncoding textEncoding = TransferEncoding::Unknown;
};

enum class ComposeError { None, MissingFrom, InvalidAddress, HeaderInjection, NoRecipients };

struct Composed
{
    ComposeError error = ComposeError::None;
    QString detail;                 // which field, for the UI to point at
    QByteArray bytes;               // the message for SMTP DATA and the Sent copy: never any Bcc
    QByteArray messageId;
    std::vector<QString> recipients; // envelope RCPT TO: To + Cc + Bcc, ASCII domains, no duplicates
    bool requiresSmtpUtf8 = false;  // an address has a non-ASCII local part (RFC 6531)
    bool ok() const { return error == ComposeError::None; }
};

// Builds RFC 5322 / MIME bytes: CRLF line ends, no line over 998 octets (headers folded at 78 where possible),
// RFC 2047 words for non-ASCII header text, RFC 2231 file names. Structure:
// text/plain | multipart/alternative(plain, html | multipart/related(html, inline...)), inside
// multipart/mixed when there are attachments.
Composed compose(const Draft &draft);

// A unique Message-ID on the given domain (RFC 5322 3.6.4), "<random.time@domain>".
QByteArray generateMessageId(const QString &domain);

// RFC 5322 3.3 date-time, e.g. "Mon, 4 Mar 2024 10:15:00 +0100".
QByteArray formatDateTime(const QDateTime &dateTime);

// Header formatting used by compose(), exposed for tests.
QByteArray formatMailbox(const Mailbox &mailbox); // "name <local@ace-domain>", name quoted or RFC 2047
QByteArray foldHeader(QByteArrayView name, QByteArrayView value); // "Name: value\r\n", folded at spaces

} // namespace tern::mime
