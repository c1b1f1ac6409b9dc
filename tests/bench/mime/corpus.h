// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

// A deterministic mbox of generated but realistic messages, at least `minBytes` long: mixed sizes, plain and
// flowed text, HTML alternatives with related images, base64 attachments, forwarded messages, nested
// multiparts, RFC 2047 headers, Received chains, and text in UTF-8, ISO-8859-1/2, KOI8-R, windows-1251,
// Shift_JIS, ISO-2022-JP and GB2312. Every message starts with an mbox "From " line.
QByteArray generateMbox(qsizetype minBytes, quint32 seed = 1);
