// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>

#include <memory>
#include <optional>

namespace tern::imap {

// FETCH data items (RFC 3501 §7.4.2, RFC 9051 §7.5.2). Strings are the server's bytes; a null QByteArray
// (isNull()) is NIL, an empty non-null one is "".

// One element of an ENVELOPE address list (RFC 3501 §7.4.2). Groups (RFC 2822 §3.4) arrive as a start
// marker (host NIL, mailbox = group name) and an end marker (host NIL, mailbox NIL), kept as sent.
struct Address
{
    QByteArray name;
    QByteArray adl;
    QByteArray mailbox;
    QByteArray host;

    bool isGroupStart() const { return host.isNull() && !mailbox.isNull(); }
    bool isGroupEnd() const { return host.isNull() && mailbox.isNull(); }
    friend bool operator==(const Address &, const Address &) = default;
};

struct Envelope
{
    QByteArray date; // RFC 5322 date text, unparsed
    QByteArray subject; // still RFC 2047 encoded
    QList<Address> from, sender, replyTo, to, cc, bcc;
    QByteArray inReplyTo;
    QByteArray messageId;
    friend bool operator==(const Envelope &, const Envelope &) = default;
};

struct BodyParam
{
    QByteArray name;
    QByteArray value;
    friend bool operator==(const BodyParam &, const BodyParam &) = default;
};

// BODYSTRUCTURE / BODY (RFC 3501 §7.4.2 and the "body" rule of §9). Types are upper-cased as servers vary.
struct BodyStructure
{
    QByteArray type;    // "TEXT", "MULTIPART", ...
    QByteArray subtype; // "PLAIN", "MIXED", ...
    QList<BodyParam> params;
    // Single parts
    QByteArray id;
    QByteArray description;
    QByteArray encoding;
    qint64 size = 0;
    qint64 lines = -1; // text/* and message/rfc822 only
    QByteArray md5;
    // message/rfc822 (and message/global, RFC 6532)
    std::shared_ptr<Envelope> envelope;
    // multipart children, or the one body of an encapsulated message
    QList<BodyStructure> parts;
    // Extension data (both kinds)
    QByteArray disposition;
    QList<BodyParam> dispositionParams;
    QList<QByteArray> language;
    QByteArray location;

    bool isMultipart() const { return type == "MULTIPART"; }
    bool isMessage() const { return envelope != nullptr; }
};

// BODY[section]<origin>, BINARY[section]<origin> (RFC 3516), RFC822, RFC822.HEADER, RFC822.TEXT.
struct BodySection
{
    QByteArray section;   // what was inside the brackets, e.g. "1.2.HEADER.FIELDS (FROM)"; RFC822.* map to "", "HEADER", "TEXT"
    qint64 origin = -1;   // <origin> of a partial fetch, -1 if none
    bool binary = false;  // BINARY[...]
    QByteArray data;      // null when the server sent NIL
};

struct FetchData
{
    quint32 sequence = 0;
    std::optional<quint32> uid;
    std::optional<QList<QByteArray>> flags;
    std::optional<QDateTime> internalDate;
    std::optional<qint64> size;          // RFC822.SIZE
    std::optional<Envelope> envelope;
    std::optional<BodyStructure> body;   // BODYSTRUCTURE or BODY
    std::optional<quint64> modseq;       // RFC 7162 §3.1.4
    std::optional<QByteArray> preview;   // RFC 8970 (null when NIL)
    std::optional<QByteArray> emailId;   // RFC 8474
    std::optional<QByteArray> threadId;
    QList<BodySection> sections;
    QList<std::pair<QByteArray, qint64>> binarySizes; // BINARY.SIZE[section]
};

} // namespace tern::imap
