// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: the decisions of an IMAP folder sync, sans-I/O (unit-tested on their own): which
// resynchronisation a folder needs given what the store holds and what SELECT reported, how new UIDs are cut
// into newest-first batches, and what a UID listing says about the cache.
#include "imap/sequenceset.h"
#include "imap/session.h"
#include "store/store.h"

#include <QList>

namespace tern::sync {

enum class SyncMode {
    Full,      // nothing trustworthy cached (first sync, an interrupted first sync, a new UIDVALIDITY): list
               // every UID, fetch the ones the store lacks, drop the ones the server lacks
    Qresync,   // RFC 7162 §3.2.5: SELECT (QRESYNC ...) reported VANISHED (EARLIER) and changed FLAGS
    CondStore, // RFC 7162 §3.1: UID FETCH (FLAGS) (CHANGEDSINCE), deletions by UID SEARCH when counts differ
    Fallback,  // RFC 3501 only: FLAGS of every known UID (which also tells which are gone), new UIDs above UIDNEXT
};

struct FolderPlan
{
    SyncMode mode = SyncMode::Full;
    bool dropCache = false; // RFC 9051 §2.3.1.1: UIDVALIDITY changed, every cached UID is meaningless
};

// local: the store's folder (uidNext 0 means no sync of it ever completed). qresyncSent: SELECT carried the
// QRESYNC parameter. condstore: CONDSTORE is active (offered, and implied by ENABLE QRESYNC).
FolderPlan planFolder(const store::Folder &local, const imap::MailboxInfo &server, bool qresyncSent, bool condstore);

// UIDs cut into batches, the highest UIDs first, each as a compact uid-set: the first of firstBatch UIDs (the
// newest mail, shown at once), each next one twice as large up to largestBatch (fewer commands and commits
// for the rest of a big mailbox), and the last one no larger than the first (its insert is the sync's tail).
// largestBatch at or below firstBatch: all batches of firstBatch.
QList<imap::SequenceSet> newestFirstBatches(QList<quint32> uids, int firstBatch, int largestBatch = 0);

struct UidDiff
{
    QList<qint64> removed; // in the store, not on the server
    QList<quint32> added;  // on the server, not in the store
    QList<quint32> kept;   // in both
};
UidDiff diffUids(QList<qint64> local, QList<quint32> server);

// Without QRESYNC, deletions cost a full UID listing; EXISTS tells whether any happened at all.
inline bool mayHaveExpunges(qint64 localCount, qint64 newCount, quint32 exists)
{
    return localCount + newCount != qint64(exists);
}

} // namespace tern::sync
