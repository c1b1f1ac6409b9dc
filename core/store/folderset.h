// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QHash>
#include <QList>
#include <span>

namespace tern::store {

// Reads over several folders at once, for views that span accounts (the unified Inbox) and for noticing
// new mail after a sync. Reading only: one indexed query each, nothing copied but ids.

// The messages of all the folders in display order, as Store::messageIds() does for one.
QList<qint64> messageIds(Store &store, std::span<const qint64> folderIds, Store::SortKey key = Store::SortKey::Date,
                         bool descending = true);
// The highest message id in the store (ids only grow): what "new since" is measured from.
qint64 lastMessageId(Store &store);
// Unread messages of the folders with an id above afterId, oldest first, at most limit of them.
QList<qint64> unreadSince(Store &store, std::span<const qint64> folderIds, qint64 afterId, int limit = 50);
// The account each folder belongs to (the unified Inbox names it per message); unknown ids are left out.
QHash<qint64, QString> folderAccounts(Store &store, std::span<const qint64> folderIds);
// The folders with the inbox role, over every account: what the unified Inbox shows.
QList<Folder> inboxes(Store &store);

} // namespace tern::store
