// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace tern::sync {

// A LIST answer's folders: wire name and attributes.
using ListedFolders = QList<std::pair<QByteArray, QList<QByteArray>>>;

// The folder for a role: the one carrying the special-use attribute (RFC 6154 §2, e.g. "\\Sent", "\\Drafts"),
// whatever the language of its name, else the one named `name`; empty when neither is there (the caller
// creates it, with USE (attribute) where CREATE-SPECIAL-USE is offered, RFC 6154 §3).
QByteArray specialFolder(const ListedFolders &listed, QByteArrayView attribute, QByteArrayView name);

} // namespace tern::sync
