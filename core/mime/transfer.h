// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace tern::mime {

// Content-Transfer-Encoding, RFC 2045 section 6. Unknown tokens decode as identity (RFC 2045 6.4 says treat
// the part as application/octet-stream; showing the bytes is the safe equivalent).
enum class TransferEncoding { SevenBit, EightBit, Binary, QuotedPrintable, Base64, Unknown };

TransferEncoding parseTransferEncoding(QByteArrayView token);
QByteArray transferEncodingName(TransferEncoding encoding);

// Tolerant decoders: junk and whitespace are skipped, missing padding accepted, a bad "=XY" escape is kept
// literally (what the sender most likely meant). Never fail, never allocate more than the input size.
QByteArray decodeBase64(QByteArrayView in);
QByteArray decodeQuotedPrintable(QByteArrayView in);
// RFC 2047 "Q": like quoted-printable, and '_' is a space.
QByteArray decodeQEncoding(QByteArrayView in);
QByteArray decodeTransfer(QByteArrayView in, TransferEncoding encoding);

// Encoders for the composer: CRLF line ends, lines of at most 76 characters (RFC 2045 6.7/6.8).
QByteArray encodeBase64Lines(QByteArrayView in);
// Text mode turns line breaks (LF or CRLF) into CRLF; binary mode encodes CR and LF as =0D/=0A.
QByteArray encodeQuotedPrintable(QByteArrayView in, bool binary = false);

} // namespace tern::mime
