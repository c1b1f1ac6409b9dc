// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/autoconfigparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tern::accounts::AutoconfigParser parser(QStringLiteral("fuzz.user@example.org"));
    if (parser.parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)))) {
        for (const auto &provider : parser.providers()) {
            for (const auto &server : provider.incoming + provider.outgoing) {
                if (server.host.isEmpty() || server.port == 0)
                    __builtin_trap(); // the parser promised to drop such servers
            }
        }
    }
    return 0;
}
