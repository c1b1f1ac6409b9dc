// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: one IMAP session recorded in the protocol inspector's log (when the caller gave one),
// from connection to end, with the TLS state and capabilities it negotiated. The trace itself is redacted at
// the source (protocols/common/trace.h); this only frames it.
#include <QString>

namespace tern::accounts {
struct Account;
}
namespace tern::diagnostics {
class TraceLog;
}
namespace tern::imap {
class ImapClient;
}

namespace tern::sync {

class TracedSession
{
public:
    // Starts a session in log and points the client's trace at it; nothing happens when log is null.
    void begin(diagnostics::TraceLog *log, const accounts::Account &account, imap::ImapClient &client);
    void loggedIn(const imap::ImapClient &client);
    void end(const QString &outcome);

private:
    diagnostics::TraceLog *m_log = nullptr;
    quint64 m_session = 0;
};

} // namespace tern::sync
