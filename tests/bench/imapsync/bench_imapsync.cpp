// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6's IMAP sync benchmark against the lab's Dovecot (not a test), on the 100k INBOX of
// tests/bench/imap (labmailbox.h), plain IMAP on loopback, medians of 5 in one run:
//   raw      a raw socket `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)`, discarded
//   cold     Tern's ImapSync of INBOX into a fresh store, from start() to finished() (login and LIST included,
//            every batch committed); each run in a child process, which also reports its peak RSS. Once as
//            tern-cli sync and the window run it (the default: summaries only; the search index catches up in
//            Store::indexPending(), which the first search runs: the child times that catch-up after the sync),
//            once with the search index fed with each batch (setIndexing(true): complete at finished(), which
//            the child checks after the timing)
//   warm     the same store synced again with nothing changed (QRESYNC)                 target < 0.3 s
//   warm 1%  after another connection changed the flags of 1% of the messages           target < 1 s
//            and once more right after it with nothing new, inside Dovecot's one-second maildir rescan window
//            (shown apart, with the server's raw open at that moment)
//   search   Store::search over the 100k once indexed                                   target < 100 ms
// Targets: cold <= 1.5 x raw, peak RSS < 250 MB.
//   ./tern.sh bench imapsync     (a lab of its own), or with a running lab:
//   ./tern.sh shell -c 'build/tests/bench/imapsync/bench_imapsync build/lab-manual/lab.env [messages]'
#include "labmailbox.h"

#include "store/store.h"
#include "sync/imapsync.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSslSocket>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

#include <sys/resource.h>

using namespace tern::bench;
using tern::sync::ImapSync;

namespace {

const QByteArray kUser = "bench-fetch-100k@lab.test"; // the mailbox bench_imap_lab fills and reuses
const QByteArray kFetch = "UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)";

tern::accounts::Account account(const Lab &lab)
{
    tern::accounts::Account a;
    a.name = QStringLiteral("bench");
    a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
    a.incoming.host = lab.host;
    a.incoming.port = lab.imapPort;
    a.incoming.security = tern::accounts::Security::None;
    a.incoming.user = QString::fromLatin1(kUser);
    a.incoming.authMechanism = QStringLiteral("PLAIN"); // as the raw client's LOGIN: no SCRAM key derivation timed
    a.incoming.security = tern::accounts::Security::None;
    return a;
}

struct SyncRun
{
    double seconds = -1;
    qint64 added = 0;
    qint64 updated = 0;
};

SyncRun sync(const Lab &lab, const QString &storePath, bool indexing = false)
{
    ImapSync s(account(lab), lab.password, storePath);
    s.setFolder(QStringLiteral("INBOX"));
    s.setIndexing(indexing);
    QEventLoop loop;
    QObject::connect(&s, &ImapSync::finished, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    s.start();
    loop.exec();
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    if (s.error() != ImapSync::Error::None) {
        std::fprintf(stderr, "sync failed: %s\n", qPrintable(s.errorString()));
        return {};
    }
    return {seconds, s.addedCount(), s.updatedCount()};
}

// Child: one cold sync into storePath; prints "seconds added maxrss-kib unindexed catch-up-seconds" (unindexed:
// what the search index still lacked when the sync had finished, indexed after the timing in catch-up-seconds,
// as the first search does).
int child(const Lab &lab, const QString &storePath, bool indexing)
{
    const SyncRun r = sync(lab, storePath, indexing);
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    tern::store::Store s;
    QElapsedTimer t;
    t.start();
    const qint64 unindexed = s.open(storePath) ? s.indexPending() : -1;
    const double catchUp = double(t.nsecsElapsed()) / 1e9;
    std::printf("%.6f %lld %ld %lld %.6f\n", r.seconds, (long long)r.added, usage.ru_maxrss, (long long)unindexed,
                catchUp);
    return r.seconds < 0 || unindexed < 0 ? 1 : 0;
}

// The server's own share of a warm sync: connect, log in, SELECT INBOX and LOGOUT over a raw socket, as the
// sync's session (plain, PLAIN) does before it asks for anything.
double rawOpen(const Lab &lab)
{
    QSslSocket s;
    QElapsedTimer t;
    t.start();
    if (!loginRaw(s, lab, kUser, false))
        return -1;
    s.write("z LOGOUT\r\n");
    readUntilTagged(s, "z");
    return double(t.nsecsElapsed()) / 1e9;
}

// 1% of the messages get \Flagged set (odd runs) or cleared (even runs) by another connection.
bool changeFlags(const Lab &lab, int messages, int run)
{
    QSslSocket s;
    if (!loginRaw(s, lab, kUser, false))
        return false;
    const QByteArray range = "1:" + QByteArray::number(std::max(1, messages / 100));
    s.write("c UID STORE " + range + (run % 2 ? " +" : " -") + "FLAGS.SILENT (\\Flagged)\r\nz LOGOUT\r\n");
    return readUntilTagged(s, "c").contains("c OK");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc >= 5 && QByteArray(argv[1]) == "--child")
        return child(readLab(QString::fromLocal8Bit(argv[2])), QString::fromLocal8Bit(argv[3]), argv[4][0] == '1');
    // Without LAB_ENV (as ./tern.sh bench runs it) the benchmark starts a lab of its own.
    OwnLab ownLab(QStringLiteral(TERN_BINARY_DIR "/lab-bench-imapsync"));
    Lab lab;
    int messages = 0;
    if (!openBenchLab(argc, argv, ownLab, kUser, &lab, &messages))
        return 1;
    // The flags the last run left are cleared first, so that each change below changes 1% (and long before
    // the warm syncs, out of Dovecot's rescan window).
    if (!changeFlags(lab, messages, 0))
        return 1;
    QTemporaryDir dir;
    QList<double> raw, cold, warm, warm1;
    QList<long> rss;
    qint64 bytes = 0;
    QString store;
    // Cold syncs as the user runs them (summaries; the index caught up afterwards) and with the search index fed
    // with each batch.
    auto coldChild = [&](const QString &path, bool index, double *seconds, long *maxRss, double *catchUp) {
        QProcess p;
        p.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--child"), lab.envFile, path, index ? QStringLiteral("1") : QStringLiteral("0")});
        if (!p.waitForFinished(600000) || p.exitCode() != 0) {
            std::fprintf(stderr, "cold sync failed: %s\n", p.readAllStandardError().constData());
            return false;
        }
        const QList<QByteArray> out = p.readAllStandardOutput().trimmed().split(' ');
        *seconds = out.value(0).toDouble();
        *maxRss = out.value(2).toLong();
        *catchUp = out.value(4).toDouble();
        if (out.value(1).toLongLong() < messages) {
            std::fprintf(stderr, "the cold sync stored fewer messages than the mailbox holds\n");
            return false;
        }
        if (index && out.value(3).toLongLong() != 0) {
            std::fprintf(stderr, "the search index lacked %s messages when the sync finished\n", out.value(3).constData());
            return false;
        }
        if (!index && out.value(3).toLongLong() < messages) {
            std::fprintf(stderr, "the catch-up indexed only %s messages\n", out.value(3).constData());
            return false;
        }
        return true;
    };
    QList<double> coldIndexed, catchUps;
    for (int run = 0; run < 6; ++run) { // run 0 warms Dovecot's cache and is not counted
        const RawResult rawRun = rawFetch(lab, kUser, kFetch, false);
        const double a = rawRun.seconds;
        bytes = rawRun.bytes;
        store = dir.filePath(QStringLiteral("cold-%1.sqlite").arg(run));
        double b = -1, c = -1, catchUp = -1, unused = 0;
        long maxRss = 0, maxRss2 = 0;
        if (a < 0 || !coldChild(store, false, &b, &maxRss, &catchUp)
            || !coldChild(dir.filePath(QStringLiteral("indexed-%1.sqlite").arg(run)), true, &c, &maxRss2, &unused))
            return 1;
        std::printf("run %d: raw %.3f s, cold sync %.3f s (peak RSS %.1f MB) + first search's index catch-up %.3f s; "
                    "indexing in the batches %.3f s (%.1f MB)\n",
                    run, a, b, double(maxRss) / 1024, catchUp, c, double(maxRss2) / 1024);
        std::fflush(stdout);
        if (run > 0) {
            raw.append(a);
            cold.append(b);
            coldIndexed.append(c);
            catchUps.append(catchUp);
            rss.append(std::max(maxRss, maxRss2));
        }
    }
    // Nothing changed: the mailbox as the cold syncs left it (they only read it), synced again and again.
    QList<double> opens;
    for (int run = 0; run < 5; ++run) {
        const double open = rawOpen(lab);
        const SyncRun w = sync(lab, store);
        if (w.seconds < 0 || w.updated != 0)
            return 1;
        std::printf("run %d: raw open %.3f s, warm %.3f s (%lld updates)\n", run, open, w.seconds, (long long)w.updated);
        std::fflush(stdout);
        warm.append(w.seconds);
        opens.append(open);
    }
    // 1% changed by another connection, then synced; then synced once more with nothing new. Dovecot rescans a
    // maildir whose cur/ changed less than a second before (its dirty-sync window, ~0.25 s for 100k files at
    // every open), so that last sync is shown apart, with the server's own open at the same moment.
    QList<double> warmAfter, opensAfter;
    for (int run = 0; run < 5; ++run) {
        if (!changeFlags(lab, messages, run + 1))
            return 1;
        const SyncRun w1 = sync(lab, store);
        const double openAfter = rawOpen(lab);
        const SyncRun w2 = sync(lab, store);
        if (w1.seconds < 0 || w2.seconds < 0 || w1.updated != std::max(1, messages / 100) || w2.updated != 0)
            return 1;
        std::printf("run %d: warm after 1%% flag changes %.3f s (%lld updates); again right after: raw open %.3f s, "
                    "warm %.3f s (%lld updates)\n",
                    run, w1.seconds, (long long)w1.updated, openAfter, w2.seconds, (long long)w2.updated);
        std::fflush(stdout);
        warm1.append(w1.seconds);
        warmAfter.append(w2.seconds);
        opensAfter.append(openAfter);
    }
    tern::store::Store s;
    if (!s.open(store) || s.indexPending() < 0)
        return 1;
    QList<double> searchCommon, searchRare;
    qsizetype commonHits = 0, rareHits = 0;
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        commonHits = s.search(QStringLiteral("bench"), QStringLiteral("quarterly planning")).size();
        searchCommon.append(double(t.nsecsElapsed()) / 1e6);
        t.restart();
        rareHits = s.search(QStringLiteral("bench"), QStringLiteral("sender42")).size();
        searchRare.append(double(t.nsecsElapsed()) / 1e6);
    }
    const double a = median(raw), b = median(cold);
    std::sort(rss.begin(), rss.end());
    const double c = median(coldIndexed);
    std::printf("%d messages, %.1f MB: raw %.3f s, cold sync %.3f s, ratio %.2f (target <= 1.5), then the first "
                "search indexes them in %.3f s; with indexing in the batches %.3f s, ratio %.2f; peak RSS %.1f MB "
                "(median; max %.1f MB; target < 250)\n",
                messages, double(bytes) / 1e6, a, b, b / a, median(catchUps), c, c / a,
                double(rss[rss.size() / 2]) / 1024, double(rss.last()) / 1024);
    std::printf("warm sync, nothing changed: %.3f s (target < 0.3; the server's raw open before it %.3f s); after 1%% "
                "flag changes: %.3f s (target < 1); nothing changed but within a second of another client's change: "
                "%.3f s (the server's raw open then %.3f s)\n",
                median(warm), median(opens), median(warm1), median(warmAfter), median(opensAfter));
    std::printf("search \"quarterly planning\" (%lld hits, limit 200): %.1f ms; \"sender42\" (%lld hits): %.1f ms "
                "(target < 100)\n",
                (long long)commonHits, median(searchCommon), (long long)rareHits, median(searchRare));
    return 0;
}
