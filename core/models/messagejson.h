// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

namespace tern::mime {
class Message;
}

namespace tern::models {

// A parsed message as tern-cli prints it (`show --json`, `parse --json`): a contract scripts rely on.
// {headers: {name: value | [values]}, from, to, cc, subject, date (ISO 8601, UTC), text, html,
//  attachments: [{filename, mime_type, size, sha256}]} and, with structure, the part tree:
// structure: {content_type, encoding, size, [filename], [opaque], parts: [...]}.
QJsonObject messageJson(const mime::Message &message, bool withStructure);

} // namespace tern::models
