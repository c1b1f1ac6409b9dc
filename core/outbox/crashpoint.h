// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace tern::outbox {

// A test hook compiled into every build: when the environment variable TERN_OUTBOX_CRASH_AT names this
// point, the process kills itself with SIGKILL right there, as a power cut or `kill -9` would. The
// crash-recovery tests use it to stop `tern-cli send` at exact moments:
//   queued             the new message is committed to the outbox, nothing sent yet
//   sending            the state `sending` is committed, before connecting (so before MAIL FROM)
//   before-terminator  the data-sent marker is committed, the DATA payload and terminator not yet written
//   after-reply        the server's final 2xx arrived, before `sent` is committed
//   sent               `sent` is committed, before the Sent copy
//   before-append      the Sent folder is chosen, before APPEND
//   after-append       the server took the APPEND, before the copy is recorded as done
// Unset (as in production) it costs one environment lookup per process.
void crashPoint(const char *name);

} // namespace tern::outbox
