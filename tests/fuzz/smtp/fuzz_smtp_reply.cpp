// SPDX-License-Identifier: GPL-3.0-or-later
// SMTP reply parser and EHLO capability reading over arbitrary server bytes (SECURITY.md P5).
// The input is fed in two pieces split at its first byte's value, so partial-line paths are covered too.
#include "smtp/capabilities.h"
#include "smtp/reply.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = size ? qsizetype(data[0]) % (qsizetype(size) + 1) : 0;
    tern::smtp::ReplyParser parser(256, 16);
    for (QByteArrayView part : {input.first(split), input.sliced(split)}) {
        parser.feed(part);
        while (auto reply = parser.next()) {
            // The bounds hold: never more lines or longer lines than configured, codes 200..599.
            if (reply->lines.size() > 16 || reply->code < 200 || reply->code > 599)
                std::abort();
            for (const QByteArray &line : reply->lines) {
                if (line.size() > 256)
                    std::abort();
            }
            const auto caps = tern::smtp::Capabilities::fromEhloReply(*reply);
            (void)caps.sizeLimit();
            (void)caps.authMechanisms();
            (void)reply->wireText();
        }
    }
    return 0;
}
