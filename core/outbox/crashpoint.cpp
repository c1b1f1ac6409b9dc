// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox/crashpoint.h"

#include <QByteArray>
#include <QtGlobal>

#include <csignal>

namespace tern::outbox {

void crashPoint(const char *name)
{
    static const QByteArray target = qgetenv("TERN_OUTBOX_CRASH_AT");
    if (!target.isEmpty() && target == name)
        std::raise(SIGKILL);
}

} // namespace tern::outbox
