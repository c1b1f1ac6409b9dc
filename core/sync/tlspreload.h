// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace tern::sync {

// Loads the TLS stack and the system CA store on the calling thread (thread-safe; see
// protocols::Connection::preloadTls). A front end runs it on a worker thread at start-up, before its first
// connection, so that the ~40 ms it takes overlaps unlocking the vault and opening the store.
void preloadTls();

} // namespace tern::sync
