// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/session.h"

namespace tern::imap {

// One command from queueing to its tagged response. Internal to the session.
struct Session::Pending
{
    QByteArray tag;
    Command command;
    QList<QByteArray> parts;  // tagged wire parts; parts after the first wait for "+"
    qsizetype sent = 0;
    Purpose purpose = Purpose::User;
    bool exclusive = false;   // nothing else in flight with it (STARTTLS, AUTHENTICATE, IDLE, literals, ...)
    std::optional<QByteArray> initialResponse; // AUTHENTICATE without SASL-IR: sent after the first "+"
    bool aborted = false;
    QByteArray mailbox;       // SELECT/EXAMINE
};

} // namespace tern::imap
