// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/outbox: what a finished submission means for the message's state.
#include "outbox/outboxitem.h"

namespace tern::smtp {
class SmtpClient;
}

namespace tern::outbox {

struct SmtpOutcome
{
    State state = State::FailedTemporary;
    QString error; // one line; per recipient when the server refused recipients
    Receipt receipt;
    bool partial = false; // sent, but some recipients were refused (listed in error)
    QStringList retryRecipients = {}; // of a partial send: those refused with a 4xx, worth another attempt alone
};

// Sent: the final 2xx (the refused recipients, if any, in error). Failed-temporary: a 4xx that decided it,
// 421, or no session (connection, TLS, login: the message never started). Failed-permanent: a 5xx that
// decided it, or refused by the client (too large, SMTPUTF8, ...). Delivery-uncertain: the terminator left
// and no reply came (lost link or timeout).
SmtpOutcome classify(const smtp::SmtpClient &client, const QString &where);

} // namespace tern::outbox
