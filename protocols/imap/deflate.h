// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <optional>

namespace tern::imap {

// COMPRESS=DEFLATE (RFC 4978 §4): raw deflate (RFC 1951, no zlib header) in both directions, each write
// flushed so the peer can act on it. Sans-I/O like the rest of the codec.
class Deflate
{
public:
    // Inflated output per call is bounded: a few KiB of hostile input must not become gigabytes
    // (SECURITY.md P1/P2); the parser's own limits then apply to what comes out.
    explicit Deflate(qsizetype maxInflatePerCall = 64 * 1024 * 1024);
    ~Deflate();

    QByteArray compress(QByteArrayView bytes);
    // Nothing on corrupt input or output over the bound: the connection is unusable.
    std::optional<QByteArray> decompress(QByteArrayView bytes);

private:
    struct Streams;
    std::unique_ptr<Streams> d;
    qsizetype m_maxInflate;
};

} // namespace tern::imap
