// SPDX-License-Identifier: GPL-3.0-or-later
#include "charset.h"

#include <QStringDecoder>

#include <cstring>

namespace tern::mime {

namespace {

bool isAscii(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 w;
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull)
            return false;
    }
    for (; i < n; ++i) {
        if (p[i] & 0x80)
            return false;
    }
    return true;
}

QString windows1252(QByteArrayView bytes)
{
    QStringDecoder d("windows-1252");
    if (!d.isValid())
        return QString::fromLatin1(bytes);
    return d.decode(bytes);
}

// Charsets in which a pure-ASCII byte string means that ASCII text (not UTF-7, ISO-2022 escapes, UTF-16/32).
bool asciiCompatible(QByteArrayView cs, QByteArrayView bytes)
{
    if (cs.startsWith("utf-16") || cs.startsWith("utf-32") || cs.startsWith("ucs"))
        return false;
    if (cs == "utf-7" || cs == "unicode-1-1-utf-7")
        return !bytes.contains('+');
    if (cs.startsWith("iso-2022") || cs.startsWith("hz"))
        return !bytes.contains('\x1b') && !bytes.contains('~');
    return true;
}

} // namespace

QString decodeUndeclared(QByteArrayView bytes)
{
    if (isAscii(bytes))
        return QString::fromLatin1(bytes);
    if (bytes.isValidUtf8())
        return QString::fromUtf8(bytes);
    return windows1252(bytes);
}

QString decodeCharset(QByteArrayView bytes, QByteArrayView declared)
{
    QByteArray cs = declared.trimmed().toByteArray().toLower();
    if (const qsizetype star = cs.indexOf('*'); star >= 0) // RFC 2231 language suffix
        cs.truncate(star);
    if (isAscii(bytes) && asciiCompatible(cs, bytes))
        return QString::fromLatin1(bytes);
    if (cs.isEmpty() || cs == "us-ascii" || cs == "ascii" || cs == "utf-8" || cs == "utf8" || cs == "unknown-8bit"
        || cs == "x-unknown" || cs == "default")
        return decodeUndeclared(bytes);
    if (cs == "iso-8859-1" || cs == "latin1" || cs == "iso_8859-1" || cs == "l1" || cs == "cp1252")
        return windows1252(bytes);
    if (cs == "gb2312" || cs == "gbk" || cs == "x-gbk" || cs == "cp936" || cs == "euc-cn")
        cs = QByteArrayLiteral("gb18030");
    else if (cs == "tis-620" || cs == "iso-8859-11")
        cs = QByteArrayLiteral("windows-874");
    else if (cs == "ks_c_5601-1987")
        cs = QByteArrayLiteral("windows-949");
    QStringDecoder decoder(cs.constData());
    if (!decoder.isValid())
        return decodeUndeclared(bytes);
    QString text = decoder.decode(bytes);
    if (decoder.hasError() && bytes.isValidUtf8())
        return QString::fromUtf8(bytes);
    return text;
}

} // namespace tern::mime
