// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tern::mime {

// RFC 3676 format=flowed. Decoding joins soft-broken lines of equal quote depth, removes space-stuffing and,
// with DelSp=yes, the space before each soft break. Quoted lines come back as ">" * depth + " " + text.
QString decodeFlowed(const QString &text, bool delSp);

// Encoding: lines longer than `width` are soft-broken at spaces (a trailing space marks the break), lines
// starting with ' ', '>' or "From " are space-stuffed, trailing spaces of hard lines removed (RFC 3676 4.2).
// Line ends are CRLF. Unbreakable long words stay whole (the composer falls back to QP past 998).
QString encodeFlowed(const QString &text, int width = 72);

} // namespace tern::mime
