// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace tern::store {
class Database;
}

namespace tern::compose {

struct SeenAddress
{
    QString name;    // the display name seen most recently with it, may be empty
    QString address;
    int count = 0;   // how many of the scanned messages had it in From, To or Cc
    QString display() const; // "Name <address>", or the address alone
};

// Addresses seen in the store's messages (From, To, Cc), most frequent first, for the composer's
// autocompletion. Only the newest `scanLimit` messages are read, so the cost stays bounded on a 100k store.
QList<SeenAddress> seenAddresses(store::Database &db, int limit = 500, int scanLimit = 20000);

} // namespace tern::compose
