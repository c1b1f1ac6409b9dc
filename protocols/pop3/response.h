// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/linebuffer.h"

#include <QByteArray>
#include <QList>

#include <deque>
#include <optional>

namespace tern::pop3 {

// One server response, RFC 1939 §3: a status line, then for multi-line commands the dot-unstuffed body.
struct Response
{
    enum class Status { Ok, Err, Continuation };
    Status status = Status::Err;
    QByteArray text;     // after "+OK " / "-ERR " / "+ " (for a continuation, the base64 challenge)
    QByteArray code;     // extended response code, RFC 2449 §8: "[IN-USE]" -> "IN-USE"
    QByteArray body;     // multi-line: lines unstuffed (RFC 1939 §3), each ending in CRLF, no terminator
    bool isOk() const { return status == Status::Ok; }
    QList<QByteArray> bodyLines() const; // body split into lines, without CRLF
    friend bool operator==(const Response &, const Response &) = default;
};

// Which shape of response the next one is: only the client knows (RFC 1939 §3), so it says so per command.
enum class ResponseKind {
    SingleLine,  // USER, PASS, STAT, DELE, NOOP, RSET, QUIT, STLS, LIST n, UIDL n, APOP
    MultiLine,   // CAPA, LIST, UIDL, TOP, RETR: a body follows "+OK"
    Sasl,        // AUTH (RFC 5034): "+ challenge" or a final status
};

// Splits the server's byte stream into responses, sans-I/O. Bounded: a status line over maxLineLength or a
// body over maxBodySize is an error before it is stored (SECURITY.md P1/P2). Body lines are bounded only by
// the body limit: real messages carry lines far beyond RFC 5322's 998 octets, and one such message must
// not make a whole maildrop undownloadable.
class ResponseParser
{
public:
    enum class Error { None, LineTooLong, BodyTooLarge, Malformed, Unexpected };

    explicit ResponseParser(qsizetype maxLineLength = 64 * 1024, qsizetype maxBodySize = 64 * 1024 * 1024);

    // Queue the kind of the next expected response (pipelining queues several).
    void expect(ResponseKind kind) { m_expected.push_back(kind); }
    void feed(QByteArrayView bytes);
    std::optional<Response> next();
    Error error() const { return m_error; }
    qsizetype pendingCount() const { return qsizetype(m_expected.size()); }
    void setMaxBodySize(qsizetype size) { m_maxBody = size; }
    // STLS (RFC 2595 §4): nothing received before the handshake may be read after it.
    void clear();

private:
    protocols::LineBuffer m_buffer;
    qsizetype m_maxStatusLine;
    qsizetype m_maxBody;
    std::deque<ResponseKind> m_expected;
    std::optional<Response> m_partial; // a multi-line response whose status arrived, body incomplete
    Error m_error = Error::None;
};

} // namespace tern::pop3
