// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/schema.h"

#include "store/sqlite.h"

#include <array>

namespace tern::store {

namespace {

// Version 1. Summaries keep ENVELOPE-level fields only (~700 B a message, PERFORMANCE.md); raw bodies live
// in their own table, fetched on demand. The FTS index is contentless (the text is in messages/bodies) and
// filled after the summaries by Store::indexPending(): indexing costs twice what the insert does, and a
// first sync must not wait for it. meta.fts_watermark is the highest message id the indexer has visited.
const char kV1[] = R"SQL(
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  path TEXT NOT NULL,
  delimiter TEXT NOT NULL DEFAULT '/',
  role TEXT NOT NULL DEFAULT '',
  subscribed INTEGER NOT NULL DEFAULT 1,
  uidvalidity INTEGER NOT NULL DEFAULT 0,
  uidnext INTEGER NOT NULL DEFAULT 0,
  highestmodseq INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account, path)
);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  uid INTEGER NOT NULL DEFAULT 0,
  uidl TEXT,
  message_id TEXT NOT NULL DEFAULT '',
  in_reply_to TEXT NOT NULL DEFAULT '',
  refs TEXT NOT NULL DEFAULT '',
  thread_key TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  from_name TEXT NOT NULL DEFAULT '',
  from_addr TEXT NOT NULL DEFAULT '',
  to_text TEXT NOT NULL DEFAULT '',
  cc_text TEXT NOT NULL DEFAULT '',
  date INTEGER NOT NULL DEFAULT 0,
  internal_date INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  keywords TEXT NOT NULL DEFAULT '',
  modseq INTEGER NOT NULL DEFAULT 0,
  has_attachments INTEGER NOT NULL DEFAULT 0,
  preview TEXT NOT NULL DEFAULT '',
  indexed INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX messages_folder_uid ON messages(folder_id, uid) WHERE uidl IS NULL;
CREATE UNIQUE INDEX messages_folder_uidl ON messages(folder_id, uidl) WHERE uidl IS NOT NULL;
CREATE INDEX messages_folder_date ON messages(folder_id, date DESC);
CREATE TABLE bodies (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  raw BLOB NOT NULL
);
CREATE VIRTUAL TABLE message_fts USING fts5(subject, sender, recipients, body, content='', contentless_delete=1);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  op TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  error TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  state TEXT NOT NULL,
  envelope TEXT NOT NULL,
  raw BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL DEFAULT 0,
  receipt TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  sent_copy_state TEXT NOT NULL DEFAULT 'none',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL
);
)SQL";

// Version 2. POP3 UIDLs already downloaded, kept apart from the messages: a message the user deletes locally
// while leaving it on the server must not come back with the next download, and delete-after-N-days still
// needs its first-download time. Rows go when the server no longer lists the UIDL.
const char kV2[] = R"SQL(
CREATE TABLE pop3_seen (
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  uidl TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  PRIMARY KEY (folder_id, uidl)
) WITHOUT ROWID;
INSERT OR IGNORE INTO pop3_seen (folder_id, uidl, first_seen)
  SELECT folder_id, uidl, internal_date FROM messages WHERE uidl IS NOT NULL;
)SQL";

// Version 3: the outbox (core/outbox) keeps the Message-ID it assigned at queue time in a column of its own
// (a re-send by the user keeps it; the Sent copy is found by it) and the last Sent-copy failure apart from
// the sending error.
const char kV3[] = R"SQL(
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sent_copy_error TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_account_state ON outbox(account, state);
)SQL";

// Version 4: the offline-operation journal (store/journal.h) in use. Before it no code wrote the version-1
// journal table, so it is replaced rather than altered. Rows name messages in a JSON payload (store ids with
// their UIDs when recorded); an APPEND's message travels in raw, not in the JSON. Replay reads one account's
// pending rows in id order, so that is the index.
const char kV4[] = R"SQL(
DROP TABLE IF EXISTS journal;
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  op TEXT NOT NULL,
  payload TEXT NOT NULL,
  raw BLOB,
  state TEXT NOT NULL DEFAULT 'pending',
  error TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX journal_account_state ON journal(account, state, id);
)SQL";

const std::array kMigrations{kV1, kV2, kV3, kV4};

} // namespace

int currentSchemaVersion()
{
    return int(kMigrations.size());
}

bool migrate(Database &db, QString *error)
{
    Statement version = db.prepare("PRAGMA user_version");
    if (!version.next()) {
        *error = db.error();
        return false;
    }
    int current = int(version.int64(0));
    version = Statement();
    if (current > currentSchemaVersion()) {
        *error = QStringLiteral("the store was written by a newer Tern (schema %1, this one knows %2)")
                     .arg(current)
                     .arg(currentSchemaVersion());
        return false;
    }
    for (; current < currentSchemaVersion(); ++current) {
        Transaction tx(db);
        const QByteArray bump = "PRAGMA user_version = " + QByteArray::number(current + 1);
        if (!tx.isActive() || !db.exec(kMigrations[current]) || !db.exec(bump.constData()) || !tx.commit()) {
            *error = QStringLiteral("upgrading the store to schema %1 failed: %2").arg(current + 1).arg(db.error());
            return false;
        }
    }
    return true;
}

} // namespace tern::store
