// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace tern::mime {

// Decodes text in a declared charset (through QStringDecoder, which uses ICU here: ISO-2022-JP, GB18030,
// Shift_JIS, KOI8-R, UTF-7 ...). A declared-wrong charset falls back sensibly, as mail readers must:
//  - no, unknown or us-ascii charset with 8-bit bytes: UTF-8 if the bytes are valid UTF-8, else windows-1252;
//  - declared UTF-8 but invalid: windows-1252 (the usual real cause);
//  - ISO-8859-1 is read as windows-1252 and GB2312/GBK as GB18030 (supersets, as the WHATWG encoding spec does);
//  - a multi-byte charset that fails to decode but is valid UTF-8: UTF-8.
QString decodeCharset(QByteArrayView bytes, QByteArrayView charset);

// Text without a declared charset (raw 8-bit headers): UTF-8 if valid, else windows-1252.
QString decodeUndeclared(QByteArrayView bytes);

} // namespace tern::mime
