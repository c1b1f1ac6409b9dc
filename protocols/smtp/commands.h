// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

namespace tern::smtp {

// What goes on the wire and what the protocol inspector shows for it (secrets already hidden).
struct Command
{
    QByteArray bytes;
    QByteArray trace;
};

// Whether an address can be put inside <...> on a command line: no CR, LF, NUL, angle brackets or
// spaces. A caller's address must never become a second command (SECURITY.md D5).
bool isSafeAddress(QByteArrayView address);
// Whether a domain/address literal can be an EHLO argument (RFC 5321 §4.1.1.1).
bool isSafeDomain(QByteArrayView domain);
// xtext, RFC 3461 §4: "+" and "=" and bytes outside 33..126 as "+XX".
QByteArray xtext(QByteArrayView value);

namespace command {

Command ehlo(const QByteArray &domain);          // EHLO, RFC 5321 §4.1.1.1
Command helo(const QByteArray &domain);          // HELO, RFC 5321 §4.1.1.1
Command startTls();                              // STARTTLS, RFC 3207 §4
// AUTH, RFC 4954 §4: the initial response base64-encoded ("=" when present but empty); trace hides it.
Command auth(const QByteArray &mechanism, const std::optional<QByteArray> &initialResponse);
Command authResponse(const QByteArray &response); // a base64 line answering a 334 challenge (§4)
Command authCancel();                            // "*", RFC 4954 §4
// MAIL FROM, RFC 5321 §4.1.1.2; parameters (SIZE, BODY, SMTPUTF8, RET, ENVID) already formatted.
Command mailFrom(const QByteArray &address, const QList<QByteArray> &parameters);
Command rcptTo(const QByteArray &address, const QList<QByteArray> &parameters); // RCPT, RFC 5321 §4.1.1.3
Command data();                                  // DATA, RFC 5321 §4.1.1.4
Command rset();                                  // RSET, RFC 5321 §4.1.1.5
Command noop();                                  // NOOP, RFC 5321 §4.1.1.9
Command quit();                                  // QUIT, RFC 5321 §4.1.1.10

// The message after a 354: line endings normalised to CRLF (bare CR and bare LF both become CRLF),
// leading dots doubled (RFC 5321 §4.5.2), and the terminator CRLF.CRLF appended — one buffer, so the body
// and terminator leave in one write (no Nagle/delayed-ACK stall, PERFORMANCE.md).
Command dataPayload(QByteArrayView message);
// BDAT, RFC 3030 §2: the whole message as one LAST chunk, line endings normalised, no dot-stuffing.
Command bdatLast(QByteArrayView message);

} // namespace command

// CRLF normalisation shared by DATA and BDAT (a missing final CRLF added); also gives the size the SIZE
// extension talks about.
QByteArray normalizeLineEndings(QByteArrayView message);
// normalizeLineEndings(message).size(), without the copy (a 20 MB message is measured twice per send).
qsizetype normalizedSize(QByteArrayView message);

} // namespace tern::smtp
