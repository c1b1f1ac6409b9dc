// SPDX-License-Identifier: GPL-3.0-or-later
// The IMAP response parser under arbitrary bytes cut at arbitrary points (SECURITY.md P4/P5): no crash,
// no unbounded growth, and the same responses whether the stream arrives whole or in pieces.
#include "imap/responseparser.h"

#include <cstdint>
#include <cstdlib>

using tern::imap::Response;
using tern::imap::ResponseParser;

namespace {

QList<Response::Kind> run(QByteArrayView input, qsizetype step)
{
    ResponseParser::Limits limits;
    limits.maxLine = 4096;
    limits.maxLiteral = 4096;
    limits.maxResponse = 16384;
    ResponseParser parser(limits);
    QList<Response::Kind> kinds;
    for (qsizetype i = 0; i < input.size(); i += step) {
        parser.feed(input.sliced(i, qMin(step, input.size() - i)));
        while (auto r = parser.next())
            kinds.append(r->kind);
        if (parser.capacity() > 1024 * 1024)
            std::abort();
    }
    return kinds;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype step = 1 + data[0] % 32;
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    if (run(input, input.size() + 1) != run(input, step))
        std::abort();
    return 0;
}
