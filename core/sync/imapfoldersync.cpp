// SPDX-License-Identifier: GPL-3.0-or-later
// ImapSync, one folder after SELECT: the resynchronisation syncplan.h chose, then the new messages in
// newest-first batches handed to the writer as each arrives.
#include "sync/imapsync.h"

#include "imap/imapclient.h"
#include "store/store.h"
#include "sync/imapsync_p.h"
#include "sync/storewriter.h"
#include "sync/syncplan.h"

#include <algorithm>

namespace tern::sync {

namespace cmd = imap::commands;
using imap::SequenceSet;

namespace {
// Two batches in flight: the server streams the next while we hand the last to the writer.
constexpr int kPipelineDepth = 2;
}

void ImapSync::syncFull()
{
    FolderRun &r = *m_run;
    const qint64 folderId = r.local.id;
    const qint64 uidValidity = r.server.uidValidity;
    // UIDVALIDITY first, UIDNEXT 0: an interrupted first sync is resumed as one, and a later UIDVALIDITY
    // change is still recognised.
    m_writer->post([folderId, uidValidity](store::Store &s) { return s.setFolderSyncState(folderId, uidValidity, 0, 0); });
    r.known = r.plan.dropCache ? QList<qint64>() : m_store->uids(folderId);
    const bool esearch = m_client->session().hasCapability("ESEARCH");
    const QList<QByteArray> ret = esearch ? QList<QByteArray>{"ALL"} : QList<QByteArray>{};
    run(m_client->send(cmd::uidSearch({{"ALL", {}}}, m_client->session().encodeOptions(), ret)), [this](bool) {
        FolderRun &r = *m_run;
        const UidDiff diff = diffUids(r.known, r.searched);
        postRemovals(diff.removed);
        r.newUids = diff.added;
        if (diff.kept.isEmpty()) {
            fetchNew();
            return;
        }
        // Resuming: the messages stored before the interruption may have changed flags since.
        r.flags.clear();
        run(m_client->send(cmd::uidFetch(SequenceSet::fromList(diff.kept), {"UID", "FLAGS"})), [this](bool) {
            postFlagUpdates();
            fetchNew();
        });
    });
}

void ImapSync::syncFallback()
{
    FolderRun &r = *m_run;
    r.known = m_store->uids(r.local.id);
    if (r.local.uidNext <= 1) {
        searchNew([this] { fetchNew(); });
        return;
    }
    // RFC 3501 alone: the FLAGS of every message we know, which also says which of them still exist.
    r.flags.clear();
    r.flagUids.clear();
    const SequenceSet old{{1, quint32(r.local.uidNext - 1)}};
    run(m_client->send(cmd::uidFetch(old, {"UID", "FLAGS"})), [this](bool) {
        FolderRun &r = *m_run;
        QList<quint32> existing;
        for (quint32 uid : std::as_const(r.flagUids)) {
            if (uid < r.local.uidNext)
                existing.append(uid);
        }
        postRemovals(diffUids(r.known, existing).removed);
        postFlagUpdates();
        searchNew([this] { fetchNew(); });
    });
}

void ImapSync::syncCondStore()
{
    FolderRun &r = *m_run;
    r.flags.clear();
    r.localCount = r.plan.dropCache ? 0 : m_store->messageCount(r.local.id); // only CONDSTORE needs it
    // RFC 7162 §3.1.4.1: only what changed since the cached HIGHESTMODSEQ.
    run(m_client->send(cmd::uidFetch({{1, SequenceSet::Star}}, {"UID", "FLAGS"}, quint64(r.local.highestModSeq))),
        [this](bool) {
            postFlagUpdates();
            searchNew([this] {
                FolderRun &r = *m_run;
                if (!mayHaveExpunges(r.localCount, r.newUids.size(), r.server.exists)) {
                    fetchNew();
                    return;
                }
                // Something was expunged: a UID listing says what (CONDSTORE has no VANISHED).
                r.known = m_store->uids(r.local.id);
                r.searched.clear();
                const SequenceSet old{{1, quint32(r.local.uidNext - 1)}};
                run(m_client->send(cmd::uidSearch({{"UID " + old.toBytes(), {}}}, m_client->session().encodeOptions())),
                    [this](bool) {
                        FolderRun &r = *m_run;
                        postRemovals(diffUids(r.known, r.searched).removed);
                        fetchNew();
                    });
            });
        });
}

void ImapSync::syncQresync()
{
    FolderRun &r = *m_run;
    // SELECT (QRESYNC ...) has already said it all (RFC 7162 §3.2.5.2): VANISHED (EARLIER) and changed FLAGS.
    QList<qint64> gone;
    for (qint64 uid : std::as_const(r.vanished)) {
        if (uid < r.local.uidNext)
            gone.append(uid);
    }
    postRemovals(gone);
    postFlagUpdates();
    searchNew([this] { fetchNew(); });
}

void ImapSync::searchNew(std::function<void()> then)
{
    FolderRun &r = *m_run;
    const quint32 from = quint32(std::max<qint64>(1, r.local.uidNext));
    if (r.server.uidNext != 0 && r.server.uidNext <= from) {
        then(); // RFC 3501 §2.3.1.1: nothing was added since UIDNEXT was cached
        return;
    }
    r.searched.clear();
    const bool esearch = m_client->session().hasCapability("ESEARCH");
    const QList<QByteArray> ret = esearch ? QList<QByteArray>{"ALL"} : QList<QByteArray>{};
    const SequenceSet range{{from, SequenceSet::Star}};
    run(m_client->send(cmd::uidSearch({{"UID " + range.toBytes(), {}}}, m_client->session().encodeOptions(), ret)),
        [this, from, then](bool) {
            FolderRun &r = *m_run;
            // "n:*" also matches the highest UID when it is below n (RFC 3501 §6.4.8).
            for (quint32 uid : std::as_const(r.searched)) {
                if (uid >= from)
                    r.newUids.append(uid);
            }
            then();
        });
}

void ImapSync::fetchNew()
{
    FolderRun &r = *m_run;
    r.batches = newestFirstBatches(r.newUids, m_batchSize, m_largestBatch);
    r.progress->total = r.newUids.size();
    Q_EMIT progress(0, r.progress->total);
    if (r.batches.isEmpty()) {
        finishFolder();
        return;
    }
    for (int i = 0; i < kPipelineDepth; ++i)
        fetchNextBatch();
}

void ImapSync::fetchNextBatch()
{
    FolderRun &r = *m_run;
    if (r.nextBatch >= r.batches.size())
        return;
    QList<QByteArray> items{"UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE"};
    ++r.inFlight;
    run(m_client->send(cmd::uidFetch(r.batches.at(r.nextBatch++), items)), [this](bool) { onBatchDone(); });
}

void ImapSync::onBatchDone()
{
    FolderRun &r = *m_run;
    --r.inFlight;
    auto batch = std::make_shared<QList<store::MessageSummary>>(std::move(r.fetched));
    r.fetched = {};
    batch->removeIf([](const store::MessageSummary &m) { return m.uid == 0; });
    const qint64 folderId = r.local.id;
    auto inserted = std::make_shared<qint64>(0);
    auto progress = r.progress;
    const qint64 count = batch->size();
    m_writer->post(
        [folderId, batch, inserted, index = m_indexing](store::Store &s) {
            *inserted = s.insertSummaries(folderId, *batch, index);
            return *inserted >= 0;
        },
        [this, inserted, progress, count] {
            m_added += *inserted;
            progress->done += count;
            Q_EMIT this->progress(progress->done, progress->total);
        },
        true);
    if (r.nextBatch < r.batches.size())
        fetchNextBatch();
    else if (r.inFlight == 0)
        finishFolder();
}

void ImapSync::finishFolder()
{
    FolderRun &r = *m_run;
    postFlagUpdates(); // pushed while the batches ran
    qint64 uidNext = r.server.uidNext;
    if (uidNext == 0) { // UIDNEXT is optional before IMAP4rev2: one past the highest UID seen
        uidNext = std::max<qint64>(1, r.local.uidNext);
        for (quint32 uid : std::as_const(r.newUids))
            uidNext = std::max<qint64>(uidNext, qint64(uid) + 1);
    }
    const qint64 folderId = r.local.id;
    const qint64 uidValidity = r.server.uidValidity;
    const qint64 modseq = r.server.noModSeq ? 0 : qint64(r.server.highestModSeq);
    if (uidValidity == r.local.uidValidity && uidNext == r.local.uidNext && modseq == r.local.highestModSeq) {
        ++m_foldersSynced; // nothing moved: no write, no fsync (a warm sync of an unchanged folder writes nothing)
        nextFolder();
        return;
    }
    // Queued after every batch of this folder: saved only when all of them committed.
    m_writer->post([folderId, uidValidity, uidNext, modseq](store::Store &s) {
        return s.setFolderSyncState(folderId, uidValidity, uidNext, modseq);
    },
                   [this] { ++m_foldersSynced; });
    nextFolder();
}

void ImapSync::postFlagUpdates()
{
    FolderRun &r = *m_run;
    QList<store::FlagUpdate> updates;
    for (const store::FlagUpdate &u : std::as_const(r.flags)) {
        if (r.local.uidNext == 0 || u.uid < r.local.uidNext) // newer ones arrive whole with their batch
            updates.append(u);
    }
    r.flags.clear();
    if (updates.isEmpty())
        return;
    m_updated += updates.size();
    const qint64 folderId = r.local.id;
    m_writer->post([folderId, updates = std::move(updates)](store::Store &s) { return s.updateFlags(folderId, updates); });
}

void ImapSync::postRemovals(const QList<qint64> &uids)
{
    if (uids.isEmpty())
        return;
    m_removed += uids.size();
    const qint64 folderId = m_run->local.id;
    m_writer->post([folderId, uids](store::Store &s) { return s.removeUids(folderId, uids); });
}

} // namespace tern::sync
