// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnostics/protocolsink.h"

#include "diagnostics/tracelog.h"

namespace tern::diagnostics {

protocols::TraceSink sinkFor(TraceLog *log, quint64 session)
{
    if (!log)
        return {};
    return [log, session](const protocols::TraceEntry &e) {
        TraceRecord::Kind kind = TraceRecord::Kind::Event;
        if (e.direction == protocols::TraceEntry::Direction::Sent)
            kind = TraceRecord::Kind::Sent;
        else if (e.direction == protocols::TraceEntry::Direction::Received)
            kind = TraceRecord::Kind::Received;
        log->append(session, kind, e.msecsSinceEpoch, e.text);
    };
}

} // namespace tern::diagnostics
