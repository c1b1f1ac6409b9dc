// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace tern::protocols {

// Splits a server's byte stream into lines, sans-I/O: feed() whatever the socket delivered, then take
// complete lines (CRLF, or a bare LF some servers send) or exact byte counts (IMAP literals).
//
// Bounded: a line that grows past maxLineLength without a terminator is an error, not an allocation
// (SECURITY.md P2: a 100 MB line without CRLF). After an overflow the buffer drops input until clear().
class LineBuffer
{
public:
    explicit LineBuffer(qsizetype maxLineLength = 1024 * 1024);

    void feed(QByteArrayView bytes);

    // The next complete line without its terminator, or nothing if no full line is buffered yet.
    std::optional<QByteArray> takeLine();
    // Exactly n raw bytes, or nothing until n are buffered. n is bounded by the caller before asking.
    std::optional<QByteArray> takeBytes(qsizetype n);

    // Discards everything buffered. STARTTLS (RFC 3207 §4.2, RFC 2595 §3.1): bytes the server sent before
    // the TLS handshake must never be read as if they came after it (CVE-2011-0411 class).
    void clear();

    qsizetype bufferedSize() const { return m_data.size() - m_pos; }
    bool hasOverflowed() const { return m_overflowed; }
    qsizetype maxLineLength() const { return m_maxLine; }

private:
    void compact();

    QByteArray m_data;
    qsizetype m_pos = 0;        // start of unread data in m_data
    qsizetype m_scanFrom = 0;   // where the search for LF resumes (avoids rescanning a long partial line)
    qsizetype m_maxLine;
    bool m_overflowed = false;
};

} // namespace tern::protocols
