// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "smtp/capabilities.h"
#include "smtp/message.h"

namespace tern::smtp {

// What the client decides about a message before MAIL FROM, given the server's EHLO extensions.

// Refuses early what the server cannot take or what would be unsafe to send: SIZE (RFC 1870 §6),
// SMTPUTF8 needed but absent (RFC 6531 §3.4), 8-bit body without 8BITMIME (RFC 6152), addresses that
// could inject a command, no recipients.
MessageResult::Refusal checkEnvelope(const OutgoingMessage &message, const Capabilities &caps);
// MAIL FROM parameters: SIZE, BODY=8BITMIME, SMTPUTF8, and DSN's RET/ENVID (RFC 3461 §4.3/§4.4).
QList<QByteArray> mailParameters(const OutgoingMessage &message, const Capabilities &caps);
// RCPT TO parameters: DSN's NOTIFY and ORCPT (RFC 3461 §4.1/§4.2), only when DSN is advertised.
QList<QByteArray> rcptParameters(const Recipient &recipient, const Capabilities &caps);

} // namespace tern::smtp
