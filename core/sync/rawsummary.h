// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core: the store's summary of a whole RFC 5322 message we hold the bytes of (a POP3 download,
// a sent message's local copy), parsed by core/mime. IMAP summaries come from FETCH instead (imapsummary.h).
#include "store/messagesummary.h"

#include <QByteArray>

namespace tern::sync {

// Envelope fields, sizes, attachment presence, the text for the search index and a preview; internalDate
// (and the date when the message has none) is `now`, seconds since the epoch.
store::MessageSummary summaryFromMessage(const QByteArray &raw, qint64 now);

} // namespace tern::sync
