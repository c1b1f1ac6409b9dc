// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/response.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tern::imap {

// The IMAP response parser, sans-I/O (RFC 3501 §7, RFC 9051 §7): feed() whatever the socket delivered,
// then take complete typed responses with next(). A response (its lines and literals) is framed first
// and parsed in place in one pass, so memory is one response plus one read, never the mailbox.
//
// Limits come before allocation (SECURITY.md P1/P2): a literal announced above maxLiteral or a line
// longer than maxLine is a fatal error value; the parser then drops its buffer and reads nothing more.
// A malformed response is a non-fatal error value and parsing goes on at the next response.
class ResponseParser
{
public:
    struct Limits
    {
        qsizetype maxLine = 8 * 1024 * 1024;      // one line between literals (long SEARCH/VANISHED results)
        qint64 maxLiteral = 256 * 1024 * 1024;    // one literal (a message body)
        qint64 maxResponse = 512 * 1024 * 1024;   // all lines and literals of one response
    };

    ResponseParser() : ResponseParser(Limits{}) { }
    explicit ResponseParser(Limits limits);

    void feed(QByteArrayView bytes);
    std::optional<Response> next();

    // Drops everything buffered: after the STARTTLS OK nothing read before the handshake may be parsed
    // (RFC 3501 §6.2.1, SECURITY.md T2). Also clears a fatal error.
    void clear();

    // Takes the bytes not yet parsed, leaving the parser empty: after COMPRESS's OK (RFC 4978 §3) they
    // are compressed and must go through the inflater first.
    QByteArray takeBuffered();

    // RFC 6855 §3: after ENABLE UTF8=ACCEPT mailbox names are UTF-8 rather than modified UTF-7.
    void setUtf8Accepted(bool on) { m_utf8 = on; }
    bool isUtf8Accepted() const { return m_utf8; }

    // The first line of the response next() returned last, up to 200 bytes, for the protocol inspector.
    // Valid until the next call to feed() or next().
    QByteArrayView lastLine() const { return m_lastLine; }

    bool hasFailed() const { return m_failed; }
    qsizetype bufferedSize() const { return m_buf.size() - m_pos; }
    qsizetype capacity() const { return m_buf.capacity(); }

    // Parses one complete response (CRLF and literals included). Exposed for tests and the fuzzer.
    static Response parse(QByteArrayView response, bool utf8Accepted = false);

private:
    std::optional<Response> fatal(ParseError::Reason reason);

    Limits m_limits;
    QByteArray m_buf;
    qsizetype m_pos = 0;         // start of the response being framed
    qsizetype m_scan = 0;        // where framing resumes
    qsizetype m_lineStart = 0;   // start of the current line (for the line limit)
    qint64 m_literalLeft = 0;    // literal bytes still to arrive
    QByteArrayView m_lastLine;
    bool m_failed = false;
    bool m_utf8 = false;
};

} // namespace tern::imap
