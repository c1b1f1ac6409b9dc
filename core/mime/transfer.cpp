// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer.h"

#include <array>

namespace tern::mime {

namespace {

constexpr signed char kInvalid = -1;

constexpr std::array<signed char, 256> makeBase64Table()
{
    std::array<signed char, 256> t{};
    for (auto &v : t)
        v = kInvalid;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    // URL-safe variants turn up in real mail from some web mailers.
    t['-'] = 62;
    t['_'] = 63;
    return t;
}
constexpr auto kBase64 = makeBase64Table();

constexpr int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') // lower case is not legal QP (RFC 2045 6.7) but is common
        return c - 'a' + 10;
    return -1;
}

bool equalsNoCase(QByteArrayView a, const char *b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

QByteArray decodeQp(QByteArrayView in, bool underscoreIsSpace)
{
    QByteArray out(in.size(), Qt::Uninitialized);
    char *o = out.data();
    const char *p = in.data();
    const char *end = p + in.size();
    while (p < end) {
        const char c = *p;
        if (c == '=') {
            if (end - p >= 3 && hexValue(p[1]) >= 0 && hexValue(p[2]) >= 0) {
                *o++ = static_cast<char>(hexValue(p[1]) << 4 | hexValue(p[2]));
                p += 3;
                continue;
            }
            // Soft line break: '=' then optional trailing whitespace then a line end (RFC 2045 6.7 rule 5).
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t'))
                ++q;
            if (q == end) {
                p = q;
                continue;
            }
            if (*q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
                p = q + (*q == '\r' ? 2 : 1);
                continue;
            }
            *o++ = '='; // a bad escape stays as it was written
            ++p;
            continue;
        }
        if (c == '_' && underscoreIsSpace) {
            *o++ = ' ';
            ++p;
            continue;
        }
        *o++ = c;
        ++p;
    }
    out.truncate(o - out.constData());
    return out;
}

} // namespace

TransferEncoding parseTransferEncoding(QByteArrayView token)
{
    token = token.trimmed();
    if (token.isEmpty() || equalsNoCase(token, "7bit"))
        return TransferEncoding::SevenBit;
    if (equalsNoCase(token, "8bit"))
        return TransferEncoding::EightBit;
    if (equalsNoCase(token, "binary"))
        return TransferEncoding::Binary;
    if (equalsNoCase(token, "quoted-printable"))
        return TransferEncoding::QuotedPrintable;
    if (equalsNoCase(token, "base64"))
        return TransferEncoding::Base64;
    return TransferEncoding::Unknown;
}

QByteArray transferEncodingName(TransferEncoding encoding)
{
    switch (encoding) {
    case TransferEncoding::SevenBit: return QByteArrayLiteral("7bit");
    case TransferEncoding::EightBit: return QByteArrayLiteral("8bit");
    case TransferEncoding::Binary: return QByteArrayLiteral("binary");
    case TransferEncoding::QuotedPrintable: return QByteArrayLiteral("quoted-printable");
    case TransferEncoding::Base64: return QByteArrayLiteral("base64");
    case TransferEncoding::Unknown: break;
    }
    return QByteArrayLiteral("7bit");
}

QByteArray decodeBase64(QByteArrayView in)
{
    QByteArray out(in.size() / 4 * 3 + 3, Qt::Uninitialized);
    char *o = out.data();
    const auto *p = reinterpret_cast<const unsigned char *>(in.data());
    const auto *end = p + in.size();
    quint32 acc = 0;
    int bits = 0;
    // Fast path: four valid characters at a time; anything else falls to the careful loop.
    while (p < end) {
        if (end - p >= 4 && bits == 0) {
            const int a = kBase64[p[0]], b = kBase64[p[1]], c = kBase64[p[2]], d = kBase64[p[3]];
            if ((a | b | c | d) >= 0) {
                const quint32 v = quint32(a) << 18 | quint32(b) << 12 | quint32(c) << 6 | quint32(d);
                o[0] = char(v >> 16);
                o[1] = char(v >> 8);
                o[2] = char(v);
                o += 3;
                p += 4;
                continue;
            }
        }
        const unsigned char ch = *p++;
        if (ch == '=') {
            // Padding ends a quantum; a stray '=' mid-stream resets (some encoders concatenate blocks).
            acc = 0;
            bits = 0;
            continue;
        }
        const int v = kBase64[ch];
        if (v < 0)
            continue; // whitespace, line breaks, junk
        acc = acc << 6 | quint32(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = char(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    out.truncate(o - out.constData());
    return out;
}

QByteArray decodeQuotedPrintable(QByteArrayView in)
{
    return decodeQp(in, false);
}

QByteArray decodeQEncoding(QByteArrayView in)
{
    return decodeQp(in, true);
}

QByteArray decodeTransfer(QByteArrayView in, TransferEncoding encoding)
{
    switch (encoding) {
    case TransferEncoding::Base64: return decodeBase64(in);
    case TransferEncoding::QuotedPrintable: return decodeQuotedPrintable(in);
    default: return in.toByteArray();
    }
}

QByteArray encodeBase64Lines(QByteArrayView in)
{
    const QByteArray flat = in.toByteArray().toBase64();
    QByteArray out;
    out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
    for (qsizetype i = 0; i < flat.size(); i += 76) {
        out.append(QByteArrayView(flat).mid(i, 76));
        out.append("\r\n", 2);
    }
    return out;
}

QByteArray encodeQuotedPrintable(QByteArrayView in, bool binary)
{
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(in.size() * 11 / 10 + 8);
    int col = 0;
    auto put = [&](const char *s, int n) {
        if (col + n > 75) { // leave room for the soft break '='
            out.append("=\r\n", 3);
            col = 0;
        }
        out.append(s, n);
        col += n;
    };
    for (qsizetype i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        const bool lineEnd = !binary && (c == '\n' || (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n'));
        if (lineEnd) {
            if (c == '\r')
                ++i;
            out.append("\r\n", 2);
            col = 0;
            continue;
        }
        const bool nextIsLineEnd = i + 1 == in.size() || (!binary && (in[i + 1] == '\n' || in[i + 1] == '\r'));
        // Encode '=', controls, 8-bit, trailing whitespace, and a leading '.' or "From " (transport safety).
        const bool mustEncode = c == '=' || c > 126 || (c < 32 && c != '\t') || ((c == ' ' || c == '\t') && nextIsLineEnd)
            || (col == 0 && (c == '.' || (c == 'F' && in.mid(i).startsWith("From "))));
        if (mustEncode) {
            const char enc[3] = {'=', hex[c >> 4], hex[c & 15]};
            put(enc, 3);
        } else {
            const char ch = char(c);
            put(&ch, 1);
        }
    }
    return out;
}

} // namespace tern::mime
