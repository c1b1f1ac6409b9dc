// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/deflate.h"

#include <zlib.h>

namespace tern::imap {

struct Deflate::Streams
{
    z_stream out{};
    z_stream in{};
    bool ok = true;
};

Deflate::Deflate(qsizetype maxInflatePerCall)
    : d(std::make_unique<Streams>())
    , m_maxInflate(maxInflatePerCall)
{
    // windowBits -15: raw deflate, as RFC 4978 §4 requires.
    d->ok = deflateInit2(&d->out, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK
        && inflateInit2(&d->in, -15) == Z_OK;
}

Deflate::~Deflate()
{
    deflateEnd(&d->out);
    inflateEnd(&d->in);
}

QByteArray Deflate::compress(QByteArrayView bytes)
{
    QByteArray result;
    if (!d->ok)
        return result;
    d->out.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    d->out.avail_in = uInt(bytes.size());
    char chunk[16384];
    do {
        d->out.next_out = reinterpret_cast<Bytef *>(chunk);
        d->out.avail_out = sizeof chunk;
        deflate(&d->out, Z_SYNC_FLUSH); // RFC 4978 §4: flush so the server sees the whole command
        result.append(chunk, qsizetype(sizeof chunk - d->out.avail_out));
    } while (d->out.avail_out == 0);
    return result;
}

std::optional<QByteArray> Deflate::decompress(QByteArrayView bytes)
{
    QByteArray result;
    if (!d->ok)
        return std::nullopt;
    d->in.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    d->in.avail_in = uInt(bytes.size());
    char chunk[16384];
    do {
        d->in.next_out = reinterpret_cast<Bytef *>(chunk);
        d->in.avail_out = sizeof chunk;
        const int rc = inflate(&d->in, Z_SYNC_FLUSH);
        if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
            d->ok = false;
            return std::nullopt;
        }
        result.append(chunk, qsizetype(sizeof chunk - d->in.avail_out));
        if (result.size() > m_maxInflate) {
            d->ok = false;
            return std::nullopt;
        }
    } while (d->in.avail_out == 0); // a full buffer means zlib may hold more output
    return result;
}

} // namespace tern::imap
