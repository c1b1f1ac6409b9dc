// SPDX-License-Identifier: GPL-3.0-or-later
#include "encodedword.h"

#include "charset.h"
#include "transfer.h"

namespace tern::mime {

namespace {

struct EncodedWord
{
    QByteArrayView charset;
    QByteArray bytes;
    qsizetype end = 0;
};

// Parses "=?charset?X?text?=" at i. No whitespace inside (RFC 2047 section 5). `nextClose` caches the first
// "?=" at or after some earlier position, so that many openers before one far close (or none) stay linear.
bool parseEncodedWord(QByteArrayView s, qsizetype i, EncodedWord &w, qsizetype &nextClose)
{
    if (i + 8 > s.size() || s[i] != '=' || s[i + 1] != '?')
        return false;
    const qsizetype csStart = i + 2;
    const qsizetype q1 = s.indexOf('?', csStart);
    if (q1 < 0 || q1 == csStart || q1 + 3 >= s.size() || s[q1 + 2] != '?' || q1 - csStart > 64)
        return false;
    const char enc = s[q1 + 1];
    const qsizetype textStart = q1 + 3;
    if (nextClose != -1 && nextClose < textStart) // stale: look again from here
        nextClose = -2;
    if (nextClose == -2)
        nextClose = s.indexOf("?=", textStart);
    const qsizetype close = nextClose;
    if (close < 0)
        return false;
    const QByteArrayView text = s.mid(textStart, close - textStart);
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return false;
    }
    w.charset = s.mid(csStart, q1 - csStart);
    if (enc == 'B' || enc == 'b')
        w.bytes = decodeBase64(text);
    else if (enc == 'Q' || enc == 'q')
        w.bytes = decodeQEncoding(text);
    else
        return false;
    w.end = close + 2;
    return true;
}

bool isWhitespace(QByteArrayView s)
{
    for (char c : s) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

} // namespace

QString decodeHeaderText(QByteArrayView s)
{
    if (!s.contains("=?"))
        return decodeUndeclared(s);
    QString out;
    out.reserve(s.size());
    QByteArray pendingBytes;        // adjacent encoded words in one charset, decoded together
    QByteArrayView pendingCharset;
    auto flush = [&] {
        if (!pendingBytes.isEmpty())
            out += decodeCharset(pendingBytes, pendingCharset);
        pendingBytes.clear();
    };
    qsizetype literalStart = 0;
    bool lastWasEncoded = false;
    int words = 0;
    qsizetype i = 0;
    qsizetype nextClose = -2; // -2: not searched yet; -1: there is none
    while (words < kMaxEncodedWords) {
        const qsizetype at = s.indexOf("=?", i);
        if (at < 0)
            break;
        EncodedWord w;
        if (!parseEncodedWord(s, at, w, nextClose)) {
            i = at + 2;
            continue;
        }
        ++words;
        const QByteArrayView between = s.mid(literalStart, at - literalStart);
        if (!(lastWasEncoded && isWhitespace(between))) {
            flush();
            out += decodeUndeclared(between);
        }
        if (!pendingBytes.isEmpty() && w.charset.compare(pendingCharset, Qt::CaseInsensitive) != 0)
            flush();
        pendingCharset = w.charset;
        pendingBytes += w.bytes;
        lastWasEncoded = true;
        literalStart = i = w.end;
    }
    flush();
    out += decodeUndeclared(s.mid(literalStart));
    return out;
}

namespace {

bool needsEncoding(const QString &text)
{
    if (text.contains(QLatin1StringView("=?")))
        return true;
    for (QChar c : text) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return true;
    }
    // Leading or trailing whitespace would be lost to unfolding.
    return !text.isEmpty() && (text.front().isSpace() || text.back().isSpace());
}

bool qSafe(char c, bool phrase)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    if (phrase)
        return c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
    return c > 0x20 && c < 0x7f && c != '=' && c != '?' && c != '_';
}

QByteArray encodeChunk(QByteArrayView utf8, bool phrase)
{
    QByteArray q;
    static const char hex[] = "0123456789ABCDEF";
    for (char c : utf8) {
        if (c == ' ')
            q += '_';
        else if (qSafe(c, phrase))
            q += c;
        else {
            q += '=';
            q += hex[(uchar(c) >> 4) & 15];
            q += hex[uchar(c) & 15];
        }
    }
    const QByteArray b = utf8.toByteArray().toBase64();
    if (q.size() <= b.size())
        return "=?UTF-8?Q?" + q + "?=";
    return "=?UTF-8?B?" + b + "?=";
}

} // namespace

QByteArray encodeHeaderText(const QString &text, bool phrase, bool force)
{
    if (!force && !needsEncoding(text))
        return text.toLatin1();
    // Chunks of whole characters, at most 45 bytes of UTF-8 each: 12 bytes of framing plus B (60 characters)
    // stays within 75 per word, and Q is used only when it is no longer than B.
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    qsizetype i = 0;
    while (i < utf8.size()) {
        qsizetype n = 0;
        qsizetype j = i;
        while (j < utf8.size()) {
            qsizetype k = j + 1;
            while (k < utf8.size() && (uchar(utf8[k]) & 0xC0) == 0x80)
                ++k;
            if (k - i > 45)
                break;
            j = k;
            n = j - i;
        }
        QByteArray word = encodeChunk(QByteArrayView(utf8).mid(i, n), phrase);
        if (!out.isEmpty())
            out += "\r\n ";
        out += word;
        i += n;
    }
    return out;
}

} // namespace tern::mime
