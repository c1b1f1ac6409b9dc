// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <utility>
#include <vector>

namespace tern::mime {

// A byte range [begin, end) into the message buffer the parser was given.
struct Range
{
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype size() const { return end - begin; }
};

// One header field as written (RFC 5322 section 2.2): value still folded, ranges into the raw message.
struct HeaderField
{
    Range name;
    Range value;
};

struct HeaderLimits
{
    qsizetype maxFieldBytes = 256 * 1024; // a longer value is cut here (a 50 MB Subject stays cheap)
    int maxFields = 2000;                 // further fields are dropped
};

// Reads the header block starting at pos (a line start) up to the empty line or `end`. Appends fields to
// `out` and returns the offset of the body (after the empty line). Tolerated: bare LF, obsolete whitespace
// before the colon (RFC 5322 4.5), an mbox "From " line at offset 0, lines without a colon (skipped).
// `truncated` is set when a limit cut something.
qsizetype parseHeaderBlock(QByteArrayView data, qsizetype pos, qsizetype end, const HeaderLimits &limits,
                           std::vector<HeaderField> &out, bool *truncated);

// Unfolds a raw field value (RFC 5322 2.2.3): removes the line breaks, trims the ends.
QByteArray unfold(QByteArrayView value);

// A structured MIME header: Content-Type, Content-Disposition (RFC 2045 5.1, RFC 2183).
struct ContentType
{
    QByteArray type;    // lower case, "text" when absent or broken
    QByteArray subtype; // lower case, "plain" when absent or broken
    std::vector<std::pair<QByteArray, QByteArray>> params; // names lower case, values unquoted, raw bytes

    bool is(const char *t, const char *s = nullptr) const;
    QByteArray rawParam(QByteArrayView name) const;
    // The decoded parameter: RFC 2231 (continuations, charset'lang'), or an RFC 2047 word in a plain value
    // as many mailers write file names.
    QString param(QByteArrayView name) const;
};

ContentType parseContentType(QByteArrayView unfoldedValue);
// Content-Disposition: the token goes into `type` ("inline"/"attachment"), subtype stays empty.
ContentType parseDisposition(QByteArrayView unfoldedValue);

} // namespace tern::mime
