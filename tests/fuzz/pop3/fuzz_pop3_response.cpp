// SPDX-License-Identifier: GPL-3.0-or-later
// POP3 response parser over arbitrary server bytes (SECURITY.md P5). The first byte picks the sequence of
// expected response kinds (single, multi-line, SASL); the rest is fed in two pieces.
#include "pop3/response.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    using tern::pop3::ResponseKind;
    constexpr qsizetype maxBody = 1024;
    tern::pop3::ResponseParser parser(256, maxBody);
    for (int i = 0; i < 4; ++i)
        parser.expect(ResponseKind((data[0] >> (2 * i)) % 3));
    const QByteArrayView input(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    const qsizetype split = qsizetype(data[1]) % (input.size() + 1);
    for (QByteArrayView part : {input.first(split), input.sliced(split)}) {
        parser.feed(part);
        while (auto r = parser.next()) {
            // Bounds hold: a body never exceeds its limit.
            if (r->body.size() > maxBody)
                std::abort();
            (void)r->bodyLines();
        }
    }
    return 0;
}
