// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mime/message.h"

#include <QString>

// The structure of a parsed message as text, one part per line, for comparing with hand-written
// expectations: two spaces per depth, "type/subtype", then flags and the decoded body size,
// e.g. "  text/plain size=5" or "multipart/mixed unclosed".
QString dumpStructure(const tern::mime::Message &message);

// What a reader would see of the message's identity and files: "from: <display string>" per From mailbox
// (with "!" when the name was flagged as suspicious) and "attachment: <safe file name>" per attachment.
QString dumpSafeView(const tern::mime::Message &message);
