// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/syncplan.h"

#include <algorithm>

namespace tern::sync {

FolderPlan planFolder(const store::Folder &local, const imap::MailboxInfo &server, bool qresyncSent, bool condstore)
{
    FolderPlan plan;
    plan.dropCache = local.uidValidity != 0 && local.uidValidity != qint64(server.uidValidity);
    if (plan.dropCache || local.uidNext == 0) {
        plan.mode = SyncMode::Full;
        return plan;
    }
    // RFC 7162 §3.1.2.1: NOMODSEQ, or a HIGHESTMODSEQ below the cached one (the server lost its mod-sequences):
    // the cached modseq says nothing, compare everything.
    const bool modseqUsable = !server.noModSeq && server.highestModSeq != 0 && local.highestModSeq != 0
        && quint64(local.highestModSeq) <= server.highestModSeq;
    if (!modseqUsable)
        plan.mode = SyncMode::Fallback;
    else if (qresyncSent)
        plan.mode = SyncMode::Qresync;
    else if (condstore)
        plan.mode = SyncMode::CondStore;
    else
        plan.mode = SyncMode::Fallback;
    return plan;
}

QList<imap::SequenceSet> newestFirstBatches(QList<quint32> uids, int firstBatch, int largestBatch)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    const qsizetype first = std::max(1, firstBatch);
    const qsizetype largest = std::max<qsizetype>(first, largestBatch);
    QList<qsizetype> sizes;
    for (qsizetype left = uids.size(), size = first; left > 0; left -= sizes.last(), size = std::min(largest, size * 2))
        sizes.append(std::min(size, left));
    // Nothing overlaps the oldest batch's insert and commit (its response is the last to arrive): no larger than
    // the first, it ends the sync sooner.
    if (sizes.size() > 1 && sizes.last() > first) {
        sizes.last() -= first;
        sizes.append(first);
    }
    QList<imap::SequenceSet> batches;
    qsizetype end = uids.size();
    for (const qsizetype size : std::as_const(sizes)) {
        batches.append(imap::SequenceSet::fromList(uids.mid(end - size, size)));
        end -= size;
    }
    return batches;
}

UidDiff diffUids(QList<qint64> local, QList<quint32> server)
{
    std::sort(local.begin(), local.end());
    std::sort(server.begin(), server.end());
    UidDiff d;
    qsizetype i = 0, j = 0;
    while (i < local.size() || j < server.size()) {
        if (j == server.size() || (i < local.size() && local[i] < qint64(server[j]))) {
            d.removed.append(local[i++]);
        } else if (i == local.size() || qint64(server[j]) < local[i]) {
            d.added.append(server[j++]);
        } else {
            d.kept.append(server[j]);
            ++i;
            ++j;
        }
    }
    return d;
}

} // namespace tern::sync
