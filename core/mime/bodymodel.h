// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "message.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace tern::mime {

struct Attachment
{
    int part = -1;
    QString fileName;       // safe to save under (see safeFileName)
    QString declaredName;   // the name the sender gave, decoded, control and bidi characters removed; display only
    QByteArray mimeType;    // "type/subtype", lower case
    QByteArray contentId;   // without the angle brackets, or empty
    bool isInline = false;  // Content-Disposition inline, or a resource of a multipart/related
    bool isOpaque = false;  // what was left when a parser limit was hit
    qsizetype encodedSize = 0;
    qsizetype approximateSize = 0; // decoded size estimated from the encoded one, without decoding
};

// What the UI shows of a message: the body alternatives, inline resources by Content-ID (for cid: URLs,
// RFC 2392) and attachments. Built from the structure only; nothing is decoded until asked. Keeps a reference
// to the Message, which must outlive it.
class BodyModel
{
public:
    explicit BodyModel(const Message &message);

    int plainPart() const { return m_plain; } // -1 if none
    int htmlPart() const { return m_html; }   // -1 if none
    QString plainText() const;
    QString html() const;

    const std::vector<Attachment> &attachments() const { return m_attachments; }
    // The part a "cid:" URL refers to (with or without "cid:" and angle brackets), or -1.
    int partForContentId(QStringView cid) const;

    // Decoded content and its SHA-256 (the hash for de-duplication and for showing the user).
    QByteArray content(int part) const { return m_message.decodedBody(part); }
    static QByteArray sha256(const QByteArray &content);

private:
    void visit(int part);
    void visitAlternative(int part);
    void visitRelated(int part);
    void addAttachment(int part, bool isInline);
    bool isAttachmentDisposition(int part) const;

    const Message &m_message;
    int m_plain = -1;
    int m_html = -1;
    std::vector<Attachment> m_attachments;
};

inline constexpr int kMaxFileNameLength = 120;

// A file name safe to create in a folder the user chose (SECURITY.md D3): no path (only the last component
// of '/' or '\\' paths), no drive, no control, bidi or invisible characters, no characters Windows forbids,
// no leading dots (hidden files, ".."), no trailing dots or spaces, no reserved device names (CON, NUL,
// COM1 ... with any extension), at most kMaxFileNameLength characters keeping the extension. Empty results
// become "attachment" plus an extension for the MIME type.
QString safeFileName(const QString &declared, QByteArrayView mimeType);

// Text with control, bidi-override and invisible characters removed (for showing a sender's claims).
QString withoutInvisible(const QString &text);

} // namespace tern::mime
