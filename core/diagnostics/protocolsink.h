// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/trace.h"

namespace tern::diagnostics {

class TraceLog;

// The protocol clients' trace sink that feeds one session of a TraceLog. core/ only: ui/ never sees
// protocols/ types. The log must outlive the client. A null log gives an empty sink (tracing stays off and costs nothing).
protocols::TraceSink sinkFor(TraceLog *log, quint64 session);

} // namespace tern::diagnostics
