// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "header.h"
#include "transfer.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace tern::mime {

// Bounds on what one message may make the parser build (SECURITY.md P3). Beyond them the rest of a
// multipart becomes one opaque part, shown as an attachment.
struct Limits
{
    int maxDepth = 50;       // nesting of multiparts and message/rfc822
    int maxParts = 10000;    // parts in the whole message
    HeaderLimits header;
};

// One MIME entity. Offsets point into Message::raw(); nothing is decoded until asked.
struct Part
{
    int parent = -1;
    int depth = 0;
    std::vector<int> children;        // sub-parts of a multipart, or the one message of a message/rfc822
    Range header;                     // the header block including its final empty line
    Range body;                       // the encoded body, without the line break before a boundary
    Range preamble, epilogue;         // multipart only
    int firstField = 0, fieldCount = 0; // into Message::fields()
    ContentType contentType;
    TransferEncoding encoding = TransferEncoding::SevenBit;
    bool hasContentType = false;
    bool opaque = false;              // a limit was hit: not parsed further, offer as an attachment
    bool missingCloseBoundary = false;

    bool isMultipart() const { return !children.empty() || (contentType.type == "multipart" && !opaque); }
};

enum class Issue : unsigned {
    None = 0,
    DepthLimit = 1u << 0,
    PartLimit = 1u << 1,
    HeaderTruncated = 1u << 2,
    MissingCloseBoundary = 1u << 3,
};

// A parsed message. Immutable after construction, so it can be read from several threads; copies share the
// raw buffer (QByteArray is implicitly shared).
class Message
{
public:
    Message() = default;
    // Parses headers and structure; bodies stay encoded in `raw` until asked for.
    explicit Message(QByteArray raw, const Limits &limits = {});

    const QByteArray &raw() const { return m_raw; }
    const std::vector<Part> &parts() const { return m_parts; }
    const Part &part(int index) const { return m_parts[size_t(index)]; }
    const Part &root() const { return m_parts.front(); }
    const std::vector<HeaderField> &fields() const { return m_fields; }
    unsigned issues() const { return m_issues; }
    bool hasIssue(Issue issue) const { return m_issues & unsigned(issue); }

    QByteArrayView view(Range range) const { return QByteArrayView(m_raw).mid(range.begin, range.size()); }
    QByteArrayView fieldName(const HeaderField &f) const { return view(f.name); }

    // Headers of a part. Names compare case-insensitively. Values are unfolded, not RFC 2047-decoded.
    QByteArray header(int part, QByteArrayView name) const;
    std::vector<QByteArray> headers(int part, QByteArrayView name) const;
    // Unstructured text (Subject, Comments ...) RFC 2047-decoded.
    QString headerText(int part, QByteArrayView name) const;

    // The body with the transfer encoding removed.
    QByteArray decodedBody(int part) const;
    // A text part's body as text: charset applied (with fallbacks), format=flowed joined.
    QString text(int part) const;
    // The encapsulated message of a message/rfc822 part, or -1.
    int encapsulated(int part) const;

private:
    friend class StructureParser;
    QByteArray m_raw;
    std::vector<Part> m_parts;
    std::vector<HeaderField> m_fields;
    unsigned m_issues = 0;
};

} // namespace tern::mime
