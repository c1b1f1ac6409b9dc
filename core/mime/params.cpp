// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 2231 parameter values: name*=charset'lang'%XX, continuations name*0, name*1* ... (sections 3-4).
#include "header.h"

#include "charset.h"
#include "encodedword.h"

#include <map>

namespace tern::mime {

namespace {

constexpr int kMaxSections = 256;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = char(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

QByteArray percentDecode(QByteArrayView s)
{
    QByteArray out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out.append(char(hexValue(s[i + 1]) << 4 | hexValue(s[i + 2])));
            i += 2;
        } else {
            out.append(s[i]);
        }
    }
    return out;
}

// "charset'language'value" -> charset, value; tolerant of a missing language part.
QByteArrayView splitCharset(QByteArrayView v, QByteArrayView *charset)
{
    const qsizetype a = v.indexOf('\'');
    if (a < 0)
        return v;
    const qsizetype b = v.indexOf('\'', a + 1);
    *charset = v.first(a);
    return b < 0 ? v.mid(a + 1) : v.mid(b + 1);
}

} // namespace

QString ContentType::param(QByteArrayView name) const
{
    // name*=charset'lang'value
    const QByteArray extended = name.toByteArray() + '*';
    for (const auto &[n, v] : params) {
        if (n == extended) {
            QByteArrayView charset;
            const QByteArrayView value = splitCharset(v, &charset);
            return decodeCharset(percentDecode(value), charset);
        }
    }
    // name*0, name*1* ... in order; the first section may carry the charset.
    std::map<int, std::pair<QByteArray, bool>> sections;
    for (const auto &[n, v] : params) {
        if (n.size() <= extended.size() || !n.startsWith(extended))
            continue;
        QByteArrayView number = QByteArrayView(n).mid(extended.size());
        const bool encoded = number.endsWith('*');
        if (encoded)
            number.chop(1);
        bool ok = false;
        const int index = number.toInt(&ok);
        if (ok && index >= 0 && index < kMaxSections && !sections.count(index))
            sections.emplace(index, std::make_pair(v, encoded));
    }
    if (!sections.empty() && sections.begin()->first == 0) {
        QByteArray bytes;
        QByteArrayView charset;
        int expected = 0;
        for (const auto &[index, section] : sections) {
            if (index != expected++)
                break; // a gap: what follows cannot be placed
            QByteArrayView value(section.first);
            if (section.second) {
                if (index == 0)
                    value = splitCharset(value, &charset);
                bytes += percentDecode(value);
            } else {
                bytes += value;
            }
        }
        return charset.isEmpty() ? decodeHeaderText(bytes) : decodeCharset(bytes, charset);
    }
    for (const auto &[n, v] : params) {
        if (n == name)
            return decodeHeaderText(v); // RFC 2047 inside a quoted value: wrong, and what Outlook and Gmail send
    }
    return {};
}

} // namespace tern::mime
