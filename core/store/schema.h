// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace tern::store {

class Database;

// The store's schema is versioned with PRAGMA user_version; each migration moves one version forward inside
// one transaction, so an interrupted upgrade leaves the previous version intact.
int currentSchemaVersion();
bool migrate(Database &db, QString *error);

} // namespace tern::store
