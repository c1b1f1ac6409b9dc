// SPDX-License-Identifier: GPL-3.0-or-later
// LineBuffer under arbitrary input cut at arbitrary points: lines never exceed the bound, bytes are
// neither invented nor lost (what comes out plus what is still buffered is what went in).
#include "common/linebuffer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qsizetype maxLine = 16 + data[0];
    const size_t step = 1 + data[1] % 64;
    tern::protocols::LineBuffer buffer(maxLine);
    qsizetype out = 0;
    for (size_t i = 2; i < size; i += step) {
        const size_t n = std::min(step, size - i);
        buffer.feed(QByteArrayView(reinterpret_cast<const char *>(data + i), qsizetype(n)));
        while (auto line = buffer.takeLine()) {
            if (line->size() > maxLine)
                std::abort();
            out += line->size();
        }
        if (buffer.hasOverflowed())
            return 0;
    }
    if (out + buffer.bufferedSize() > qsizetype(size))
        std::abort();
    return 0;
}
