// SPDX-License-Identifier: GPL-3.0-or-later
#include "header.h"

#include <cstring>

namespace tern::mime {

namespace {

qsizetype lineEnd(QByteArrayView data, qsizetype pos, qsizetype end)
{
    const void *nl = std::memchr(data.data() + pos, '\n', size_t(end - pos));
    return nl ? static_cast<const char *>(nl) - data.data() : end;
}

bool isBlankLine(QByteArrayView data, qsizetype pos, qsizetype nl)
{
    return nl == pos || (nl == pos + 1 && data[pos] == '\r');
}

} // namespace

qsizetype parseHeaderBlock(QByteArrayView data, qsizetype pos, qsizetype end, const HeaderLimits &limits,
                           std::vector<HeaderField> &out, bool *truncated)
{
    int count = 0;
    if (pos == 0 && data.first(end).startsWith("From ")) // an mbox separator line before the first header
        pos = std::min(end, lineEnd(data, pos, end) + 1);
    while (pos < end) {
        qsizetype nl = lineEnd(data, pos, end);
        if (isBlankLine(data, pos, nl))
            return std::min(end, nl + 1);
        const char first = data[pos];
        if (first == ' ' || first == '\t') {
            // A continuation with no field before it: junk, skipped.
            pos = std::min(end, nl + 1);
            continue;
        }
        const void *colon = std::memchr(data.data() + pos, ':', size_t(nl - pos));
        if (!colon) {
            // Not a header line. If the first line of the block has no colon at all the message has no header
            // (some generators omit it): the body starts here.
            if (count == 0)
                return pos;
            pos = std::min(end, nl + 1);
            continue;
        }
        const qsizetype colonAt = static_cast<const char *>(colon) - data.data();
        qsizetype nameEnd = colonAt;
        while (nameEnd > pos && (data[nameEnd - 1] == ' ' || data[nameEnd - 1] == '\t'))
            --nameEnd;
        // The value runs over continuation lines (those starting with whitespace).
        qsizetype valueEnd = nl;
        while (valueEnd < end) {
            const qsizetype next = valueEnd + 1;
            if (next >= end || (data[next] != ' ' && data[next] != '\t'))
                break;
            valueEnd = lineEnd(data, next, end);
        }
        qsizetype vEnd = valueEnd;
        if (vEnd > colonAt + 1 && data[vEnd - 1] == '\r')
            --vEnd;
        Range value{colonAt + 1, std::max(colonAt + 1, vEnd)};
        if (value.size() > limits.maxFieldBytes) {
            value.end = value.begin + limits.maxFieldBytes;
            if (truncated)
                *truncated = true;
        }
        if (nameEnd > pos && count < limits.maxFields) {
            out.push_back(HeaderField{Range{pos, nameEnd}, value});
            ++count;
        } else if (count >= limits.maxFields && truncated) {
            *truncated = true;
        }
        pos = std::min(end, valueEnd + 1);
    }
    return end;
}

QByteArray unfold(QByteArrayView value)
{
    value = value.trimmed();
    if (!value.contains('\n') && !value.contains('\r'))
        return value.toByteArray();
    QByteArray out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '\r' || c == '\n')
            continue; // the whitespace after the break stays, as RFC 5322 2.2.3 says
        out.append(c);
    }
    return out;
}

// ------------------------------------------------------------------------------------------ Content-Type

namespace {

bool isTSpecialOrSpace(char c)
{
    return c == ';' || c == '=' || c == ' ' || c == '\t' || c == '"' || c == '(' || c == ')' || c == ',';
}

void skipSpaceAndComments(QByteArrayView s, qsizetype &i)
{
    while (i < s.size()) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c == '(') {
            int depth = 0;
            for (; i < s.size(); ++i) {
                if (s[i] == '\\') {
                    ++i;
                    continue;
                }
                if (s[i] == '(')
                    ++depth;
                else if (s[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
            }
        } else {
            break;
        }
    }
}

QByteArray readToken(QByteArrayView s, qsizetype &i, bool allowSlash)
{
    const qsizetype start = i;
    while (i < s.size() && !isTSpecialOrSpace(s[i]) && (allowSlash || s[i] != '/'))
        ++i;
    return s.mid(start, i - start).toByteArray();
}

QByteArray readValue(QByteArrayView s, qsizetype &i)
{
    if (i < s.size() && s[i] == '"') {
        QByteArray out;
        ++i;
        while (i < s.size() && s[i] != '"') {
            if (s[i] == '\\' && i + 1 < s.size())
                ++i;
            out.append(s[i++]);
        }
        if (i < s.size())
            ++i;
        return out;
    }
    // Unquoted: real mail puts spaces in unquoted file names; take everything up to ';'.
    const qsizetype start = i;
    while (i < s.size() && s[i] != ';')
        ++i;
    return s.mid(start, i - start).trimmed().toByteArray();
}

void parseParams(QByteArrayView s, qsizetype i, ContentType &ct)
{
    while (i < s.size() && ct.params.size() < 64) {
        skipSpaceAndComments(s, i);
        if (i < s.size() && s[i] == ';') {
            ++i;
            continue;
        }
        QByteArray name = readToken(s, i, true).toLower();
        skipSpaceAndComments(s, i);
        if (i >= s.size() || s[i] != '=') {
            while (i < s.size() && s[i] != ';')
                ++i;
            continue;
        }
        ++i;
        skipSpaceAndComments(s, i);
        QByteArray value = readValue(s, i);
        if (!name.isEmpty())
            ct.params.emplace_back(std::move(name), std::move(value));
    }
}

} // namespace

bool ContentType::is(const char *t, const char *s) const
{
    return type == t && (!s || subtype == s);
}

QByteArray ContentType::rawParam(QByteArrayView name) const
{
    for (const auto &[n, v] : params) {
        if (n == name)
            return v;
    }
    return {};
}

ContentType parseContentType(QByteArrayView s)
{
    ContentType ct;
    qsizetype i = 0;
    skipSpaceAndComments(s, i);
    QByteArray type = readToken(s, i, false).toLower();
    skipSpaceAndComments(s, i);
    QByteArray subtype;
    if (i < s.size() && s[i] == '/') {
        ++i;
        skipSpaceAndComments(s, i);
        subtype = readToken(s, i, false).toLower();
    }
    if (type.isEmpty() || subtype.isEmpty()) {
        // RFC 2045 5.2: a broken Content-Type means text/plain; us-ascii. Parameters still count, though,
        // since a lone "charset=" line is common.
        ct.type = QByteArrayLiteral("text");
        ct.subtype = QByteArrayLiteral("plain");
    } else {
        ct.type = std::move(type);
        ct.subtype = std::move(subtype);
    }
    parseParams(s, i, ct);
    return ct;
}

ContentType parseDisposition(QByteArrayView s)
{
    ContentType ct;
    qsizetype i = 0;
    skipSpaceAndComments(s, i);
    ct.type = readToken(s, i, true).toLower();
    parseParams(s, i, ct);
    return ct;
}

} // namespace tern::mime
