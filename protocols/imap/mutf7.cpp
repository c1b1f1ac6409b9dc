// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/mutf7.h"

#include <QList>

namespace tern::imap {

namespace {

constexpr char Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

void flushShifted(QByteArray &out, const QList<char16_t> &units)
{
    out.append('&');
    quint32 bits = 0;
    int count = 0;
    for (char16_t u : units) {
        bits = (bits << 16) | u;
        count += 16;
        while (count >= 6) {
            count -= 6;
            out.append(Alphabet[(bits >> count) & 0x3f]);
        }
    }
    if (count > 0)
        out.append(Alphabet[(bits << (6 - count)) & 0x3f]);
    out.append('-');
}

// Decodes the base64 between "&" and "-"; false if it is not valid modified base64 of UTF-16.
bool decodeShifted(QByteArrayView b64, QString &out)
{
    quint32 bits = 0;
    int count = 0;
    QString decoded;
    for (char c : b64) {
        const int v = sextet(c);
        if (v < 0)
            return false;
        bits = (bits << 6) | quint32(v);
        count += 6;
        if (count >= 16) {
            count -= 16;
            decoded.append(QChar(char16_t((bits >> count) & 0xffff)));
        }
    }
    // Leftover bits must be zero padding of fewer than 16 bits (RFC 2152 via RFC 3501 §5.1.3).
    if (count >= 6 || (bits & ((1u << count) - 1)) != 0 || decoded.isEmpty())
        return false;
    // A shifted run that only holds printable ASCII is not the canonical form; still accept it.
    out.append(decoded);
    return true;
}

} // namespace

QByteArray encodeModifiedUtf7(const QString &name)
{
    QByteArray out;
    out.reserve(name.size());
    QList<char16_t> shifted;
    for (QChar ch : name) {
        const char16_t u = ch.unicode();
        if (u >= 0x20 && u <= 0x7e) {
            if (!shifted.isEmpty()) {
                flushShifted(out, shifted);
                shifted.clear();
            }
            if (u == '&')
                out.append("&-");
            else
                out.append(char(u));
        } else {
            shifted.append(u);
        }
    }
    if (!shifted.isEmpty())
        flushShifted(out, shifted);
    return out;
}

QString decodeModifiedUtf7(QByteArrayView name)
{
    QString out;
    out.reserve(name.size());
    qsizetype i = 0;
    while (i < name.size()) {
        const char c = name[i];
        if (c != '&') {
            // 8-bit bytes are not valid here; servers that send them mean UTF-8 (or Latin-1): keep them
            // readable rather than dropping them.
            if (static_cast<unsigned char>(c) >= 0x80) {
                qsizetype j = i;
                while (j < name.size() && static_cast<unsigned char>(name[j]) >= 0x80)
                    ++j;
                out.append(QString::fromUtf8(name.sliced(i, j - i)));
                i = j;
                continue;
            }
            out.append(QLatin1Char(c));
            ++i;
            continue;
        }
        const qsizetype dash = name.indexOf('-', i + 1);
        if (dash < 0) {
            out.append(QString::fromLatin1(name.sliced(i)));
            break;
        }
        if (dash == i + 1) {
            out.append(QLatin1Char('&'));
        } else if (!decodeShifted(name.sliced(i + 1, dash - i - 1), out)) {
            out.append(QString::fromLatin1(name.sliced(i, dash - i + 1)));
        }
        i = dash + 1;
    }
    return out;
}

QByteArray encodeMailboxName(const QString &name, bool utf8Accepted)
{
    if (name.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0)
        return QByteArrayLiteral("INBOX");
    return utf8Accepted ? name.toUtf8() : encodeModifiedUtf7(name);
}

} // namespace tern::imap
