// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tern::mime {

// RFC 2047 decoding of unstructured header text (Subject, display-name words). Whitespace between adjacent
// encoded words is dropped (RFC 2047 section 6.2); adjacent words in one charset are joined before decoding so
// a character split across words survives. At most kMaxEncodedWords are decoded, the rest stays as written:
// an encoded-word bomb costs one linear pass. Raw 8-bit text is read as UTF-8, else windows-1252.
inline constexpr int kMaxEncodedWords = 1000;
QString decodeHeaderText(QByteArrayView unfolded);

// RFC 2047 encoding for the composer: returns `text` as is if it is printable ASCII without "=?", else
// encoded words (UTF-8, B or Q whichever is shorter), each at most 75 characters, joined by folding
// whitespace "\r\n ". `phrase` restricts Q to the characters allowed in a phrase (RFC 2047 5(3)).
// `force` encodes even plain ASCII (a word too long to fold).
QByteArray encodeHeaderText(const QString &text, bool phrase = false, bool force = false);

} // namespace tern::mime
