// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pop3/response.h"

#include <QByteArray>

namespace tern::pop3 {

// Bytes for the wire, the redacted text for the protocol inspector, and the response shape to expect.
struct Command
{
    QByteArray bytes;
    QByteArray trace;
    ResponseKind kind = ResponseKind::SingleLine;
};

namespace command {

Command capa();                                    // CAPA, RFC 2449 §5
Command stls();                                    // STLS, RFC 2595 §4
Command user(const QByteArray &name);              // USER, RFC 1939 §7
Command pass(const QByteArray &password);          // PASS, RFC 1939 §7 (trace: "PASS ***")
// APOP, RFC 1939 §7: name SP lowercase-hex(MD5(timestamp + secret)); the digest is passed in.
Command apop(const QByteArray &name, const QByteArray &hexDigest);
Command auth(const QByteArray &mechanism, const std::optional<QByteArray> &initialResponse); // RFC 5034 §4
Command authResponse(const QByteArray &response);  // base64 line answering "+ challenge"
Command authCancel();                              // "*", RFC 5034 §4
Command stat();                                    // STAT, RFC 1939 §5
Command list(int message = 0);                     // LIST [msg], RFC 1939 §5 (0 = all, multi-line)
Command uidl(int message = 0);                     // UIDL [msg], RFC 1939 §7
Command retr(int message);                         // RETR, RFC 1939 §5
Command top(int message, int lines);               // TOP, RFC 1939 §7
Command dele(int message);                         // DELE, RFC 1939 §5
Command rset();                                    // RSET, RFC 1939 §5
Command noop();                                    // NOOP, RFC 1939 §5
Command quit();                                    // QUIT, RFC 1939 §6 (enters UPDATE: deletions happen)

} // namespace command

// The APOP timestamp from a greeting ("+OK ... <1896.697170952@dbc.mtview.ca.us>"), RFC 1939 §7.
QByteArray apopTimestamp(const QByteArray &greetingText);

} // namespace tern::pop3
