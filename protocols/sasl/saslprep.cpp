// SPDX-License-Identifier: GPL-3.0-or-later
#include "sasl/saslprep.h"

#include <QList>

namespace tern::sasl {

namespace {

// RFC 3454 C.1.2: non-ASCII space characters (mapped to SPACE by RFC 4013 §2.1).
bool isNonAsciiSpace(char32_t c)
{
    return c == 0x00A0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F
           || c == 0x3000;
}

// RFC 3454 B.1: commonly mapped to nothing (RFC 4013 §2.1).
bool isMappedToNothing(char32_t c)
{
    return c == 0x00AD || c == 0x034F || c == 0x1806 || (c >= 0x180B && c <= 0x180D) || (c >= 0x200B && c <= 0x200D)
           || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF;
}

// RFC 4013 §2.3: C.1.2, C.2.1, C.2.2, C.3-C.9 (ASCII space C.1.1 is allowed).
bool isProhibited(char32_t c)
{
    if (isNonAsciiSpace(c))
        return true;
    if (c < 0x20 || c == 0x7F)                                              // C.2.1
        return true;
    if ((c >= 0x80 && c <= 0x9F) || c == 0x06DD || c == 0x070F || c == 0x180E || c == 0x200C || c == 0x200D
        || c == 0x2028 || c == 0x2029 || (c >= 0x2060 && c <= 0x2063) || (c >= 0x206A && c <= 0x206F)
        || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC) || (c >= 0x1D173 && c <= 0x1D17A)) // C.2.2
        return true;
    if ((c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) || (c >= 0x100000 && c <= 0x10FFFD)) // C.3
        return true;
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)            // C.4
        return true;
    if (c >= 0xD800 && c <= 0xDFFF)                                         // C.5
        return true;
    if (c >= 0xFFF9 && c <= 0xFFFD)                                         // C.6
        return true;
    if (c >= 0x2FF0 && c <= 0x2FFB)                                         // C.7
        return true;
    if (c == 0x0340 || c == 0x0341 || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x206A && c <= 0x206F))                                    // C.8
        return true;
    if (c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F))                     // C.9
        return true;
    return false;
}

} // namespace

std::optional<QString> saslPrep(const QString &input)
{
    QString mapped;
    mapped.reserve(input.size());
    for (char32_t c : input.toUcs4()) {
        if (isMappedToNothing(c))
            continue;
        if (isNonAsciiSpace(c))
            c = U' ';
        mapped.append(QString::fromUcs4(&c, 1));
    }
    const QString normalized = mapped.normalized(QString::NormalizationForm_KC);
    const QList<uint> codePoints = normalized.toUcs4();
    bool hasRandAL = false;
    bool hasL = false;
    for (uint c : codePoints) {
        if (isProhibited(c))
            return std::nullopt;
        const QChar::Direction d = QChar::direction(char32_t(c));
        hasRandAL = hasRandAL || d == QChar::DirR || d == QChar::DirAL;
        hasL = hasL || d == QChar::DirL;
    }
    // RFC 3454 §6: right-to-left text must not mix with left-to-right and must start and end with it.
    if (hasRandAL) {
        auto isRandAL = [](uint c) {
            const QChar::Direction d = QChar::direction(char32_t(c));
            return d == QChar::DirR || d == QChar::DirAL;
        };
        if (hasL || !isRandAL(codePoints.constFirst()) || !isRandAL(codePoints.constLast()))
            return std::nullopt;
    }
    return normalized;
}

} // namespace tern::sasl
