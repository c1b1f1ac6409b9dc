// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/linebuffer.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace tern::smtp {

// Enhanced mail system status code, RFC 3463 §2 (class.subject.detail), carried in replies per RFC 2034.
struct EnhancedStatus
{
    int statusClass = 0;
    int subject = 0;
    int detail = 0;
    QByteArray toString() const;
    friend bool operator==(const EnhancedStatus &, const EnhancedStatus &) = default;
};

// One complete server reply, RFC 5321 §4.2: a three-digit code and one or more lines of text.
struct Reply
{
    int code = 0;
    QList<QByteArray> lines;               // each line's text after "NNN " / "NNN-"
    std::optional<EnhancedStatus> enhanced; // from the first line, when its class matches the code

    bool isPositiveCompletion() const { return code >= 200 && code < 300; }
    bool isIntermediate() const { return code >= 300 && code < 400; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500 && code < 600; }
    // The server's own words, lines joined by LF (for errors and receipts, never parsed further).
    QByteArray text() const { return lines.join('\n'); }
    // The reply as received, for the protocol trace.
    QByteArray wireText() const;
    friend bool operator==(const Reply &, const Reply &) = default;
};

// Splits the server's byte stream into replies, sans-I/O. Bounded: a line longer than maxLineLength or a
// reply of more than maxLines lines is an error (SECURITY.md P2), never an allocation.
class ReplyParser
{
public:
    enum class Error { None, LineTooLong, TooManyLines, Malformed };

    // RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it, so the bound is looser.
    explicit ReplyParser(qsizetype maxLineLength = 8192, int maxLines = 512);

    void feed(QByteArrayView bytes);
    // The next complete reply, or nothing (then check error()). After an error nothing more is returned.
    std::optional<Reply> next();
    Error error() const { return m_error; }
    // Drops everything buffered: after "220 Ready to start TLS" (RFC 3207 §4.2, CVE-2011-0411 class).
    void clear();
    qsizetype bufferedSize() const { return m_buffer.bufferedSize(); }

private:
    protocols::LineBuffer m_buffer;
    int m_maxLines;
    Reply m_partial;
    Error m_error = Error::None;
};

} // namespace tern::smtp
