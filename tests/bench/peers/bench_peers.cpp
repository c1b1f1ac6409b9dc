// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6's peers for the IMAP sync, measured in one run against the lab's Dovecot (a benchmark, not a test):
//   - a raw socket FETCH of the summary items Tern's sync needs, over a 100k INBOX: the limit;
//   - tern-cli's cold `sync` of that INBOX into a fresh profile (reported n/a while tern-cli cannot sync IMAP);
//   - a raw FETCH of neomutt's own header items, and neomutt (header cache on) opening that INBOX cold;
//   - a raw FETCH of the full bodies of a 10k INBOX, and mbsync mirroring it into a fresh maildir, as
//     configured by default and with FSync No.
// Everything goes over implicit TLS to 127.0.0.1, median of --runs after one warm-up of each.
//   ./tern.sh bench peers                 (starts its own lab under the build tree and stops it after)
//   ./tern.sh shell -c 'build/tests/bench/peers/bench_peers build/lab-manual/lab.env [--messages N]
//                       [--mirror N] [--runs R]'
// Peer configurations are generated here and name only the lab's ports on 127.0.0.1.
#include "labmailbox.h"
#include "peerrunner.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

using namespace tern::bench;

namespace {

const QByteArray SyncUser = "bench-fetch-100k@lab.test";   // shared with bench_imap_lab
const QByteArray MirrorUser = "bench-mirror-10k@lab.test";
const int MirrorPadding = 15 * 1024; // ~16 KB messages: PERFORMANCE.md's 10k full bodies are 158 MB

// The summary items a cold sync stores (issue 4's benchmark and core/sync).
const QByteArray TernItems = "UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)";
// What neomutt 2025 sends to fill its header cache (seen in its debug log, imap/message.c).
const QByteArray NeomuttItems =
    "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SENDER SUBJECT TO CC "
    "MESSAGE-ID REFERENCES CONTENT-TYPE CONTENT-DESCRIPTION IN-REPLY-TO REPLY-TO LINES LIST-POST LIST-SUBSCRIBE "
    "LIST-UNSUBSCRIBE X-LABEL X-ORIGINAL-TO)])";
const QByteArray BodyItems = "UID FETCH 1:* (BODY.PEEK[])";

struct Row
{
    Row(QByteArray n, QByteArray m) : name(std::move(n)), mailbox(std::move(m)) { }
    QByteArray name;
    QByteArray mailbox;
    QList<double> seconds;
    qint64 bytes = 0;        // bytes the same items take on the wire (for MB/s), 0 if not meaningful
    long maxRssKiB = 0;
    int baseline = -1;       // index of the raw row this is compared to
    QByteArray note;         // why there is no figure
};

void printTable(const QList<Row> &rows)
{
    std::printf("\n%-34s %-9s %9s %9s %8s %9s %10s\n", "measurement", "mailbox", "median s", "MB", "MB/s",
                "x raw", "peak RSS");
    for (const Row &r : rows) {
        const double m = median(r.seconds);
        if (m < 0) {
            std::printf("%-34s %-9s %9s  %s\n", r.name.constData(), r.mailbox.constData(), "n/a", r.note.constData());
            continue;
        }
        const double mb = double(r.bytes) / 1e6;
        QByteArray ratio = "-", rss = "-", rate = "-", size = "-";
        if (r.baseline >= 0 && median(rows[r.baseline].seconds) > 0)
            ratio = QByteArray::number(m / median(rows[r.baseline].seconds), 'f', 2);
        if (r.maxRssKiB)
            rss = QByteArray::number(double(r.maxRssKiB) / 1024, 'f', 0) + " MiB";
        if (r.bytes) {
            size = QByteArray::number(mb, 'f', 1);
            rate = QByteArray::number(mb / m, 'f', 1);
        }
        std::printf("%-34s %-9s %9.3f %9s %8s %9s %10s\n", r.name.constData(), r.mailbox.constData(), m,
                    size.constData(), rate.constData(), ratio.constData(), rss.constData());
    }
    std::printf("(median of %lld runs after one warm-up; MB is what the same items take on the wire)\n",
                rows.isEmpty() ? 0LL : (long long)rows.first().seconds.size());
}

// One warm-up, then `runs` timed runs; a failed run ends the row with its reason.
void measure(Row &row, int runs, const std::function<bool(double &, long &, QByteArray &)> &once)
{
    for (int run = 0; run <= runs; ++run) {
        double seconds = -1;
        long rss = 0;
        if (!once(seconds, rss, row.note) || seconds < 0) {
            row.seconds.clear();
            std::printf("  %s: %s\n", row.name.constData(), row.note.constData());
            return;
        }
        std::printf("  %s run %d: %.3f s\n", row.name.constData(), run, seconds);
        if (run > 0) {
            row.seconds.append(seconds);
            row.maxRssKiB = std::max(row.maxRssKiB, rss);
        }
        std::fflush(stdout);
    }
}

Row rawRow(const Lab &lab, const QByteArray &name, const QByteArray &mailbox, const QByteArray &user,
           const QByteArray &command, int runs)
{
    Row row{name, mailbox};
    measure(row, runs, [&](double &seconds, long &, QByteArray &note) {
        const RawResult r = rawFetch(lab, user, command, true);
        seconds = r.seconds;
        row.bytes = r.bytes;
        note = "the raw FETCH failed";
        return r.seconds >= 0;
    });
    return row;
}

struct Options
{
    QString labEnv; // empty: start a lab of our own
    int messages = 100000;
    int mirror = 10000;
    int runs = 5;
};

std::optional<Options> parseArguments(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--messages" && i + 1 < argc)
            o.messages = std::max(1, std::atoi(argv[++i]));
        else if (a == "--mirror" && i + 1 < argc)
            o.mirror = std::max(1, std::atoi(argv[++i]));
        else if (a == "--runs" && i + 1 < argc)
            o.runs = std::max(1, std::atoi(argv[++i]));
        else if (!a.startsWith("--"))
            o.labEnv = QString::fromLocal8Bit(a);
        else
            return std::nullopt;
    }
    return o;
}

QList<Row> measureAll(const Lab &lab, PeerRunner &peers, const Options &o)
{
    const QByteArray big = QByteArray::number(o.messages / 1000) + "k";
    const QByteArray small = QByteArray::number(o.mirror / 1000) + "k";
    QList<Row> rows;
    rows.append(rawRow(lab, "raw FETCH, summary items", big, SyncUser, TernItems, o.runs));
    Row tern{"tern-cli sync (cold)", big};
    tern.baseline = 0;
    tern.bytes = rows[0].bytes;
    measure(tern, o.runs, [&](double &s, long &rss, QByteArray &note) {
        return peers.ternSync(SyncUser, QStringLiteral(TERN_BINARY_DIR "/app/tern-cli"), s, rss, note);
    });
    rows.append(tern);

    rows.append(rawRow(lab, "raw FETCH, neomutt's header items", big, SyncUser, NeomuttItems, o.runs));
    Row neomutt{"neomutt, header cache (cold)", big};
    neomutt.baseline = int(rows.size()) - 1;
    neomutt.bytes = rows.last().bytes;
    measure(neomutt, o.runs, [&](double &s, long &rss, QByteArray &note) {
        return peers.neomuttColdOpen(SyncUser, o.messages, s, rss, note);
    });
    rows.append(neomutt);

    rows.append(rawRow(lab, "raw FETCH, full bodies", small, MirrorUser, BodyItems, o.runs));
    const int bodiesRow = int(rows.size()) - 1;
    for (const bool fsync : {true, false}) {
        Row mbsync{fsync ? "mbsync mirror (default)" : "mbsync mirror (FSync No)", small};
        mbsync.baseline = bodiesRow;
        mbsync.bytes = rows[bodiesRow].bytes;
        measure(mbsync, o.runs, [&](double &s, long &rss, QByteArray &note) {
            return peers.mbsyncMirror(MirrorUser, o.mirror, fsync, s, rss, note);
        });
        rows.append(mbsync);
    }
    return rows;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // QSslSocket wants one
    std::optional<Options> options = parseArguments(argc, argv);
    if (!options) {
        std::fprintf(stderr, "usage: bench_peers [LAB_ENV] [--messages N] [--mirror N] [--runs R]\n");
        return 2;
    }
    const QString buildDir = QStringLiteral(TERN_BINARY_DIR);
    OwnLab ownLab(buildDir + QStringLiteral("/lab-bench-peers"));
    if (options->labEnv.isEmpty()) {
        if (!ownLab.start()) {
            std::fprintf(stderr, "could not start a lab: %s\n", qPrintable(ownLab.error()));
            return 1;
        }
        options->labEnv = ownLab.envFile();
    }
    const Lab lab = readLab(options->labEnv);
    if (!lab.isValid() || !fillMailbox(lab, SyncUser, options->messages)
        || !fillMailbox(lab, MirrorUser, options->mirror, MirrorPadding)) {
        std::fprintf(stderr, "lab not reachable or the mailboxes could not be filled\n");
        return 1;
    }
    QTemporaryDir work(buildDir + QStringLiteral("/bench-peers-XXXXXX"));
    if (!work.isValid()) {
        std::fprintf(stderr, "no work directory under %s\n", qPrintable(buildDir));
        return 1;
    }
    PeerRunner peers(lab, work.path());
    printTable(measureAll(lab, peers, *options));
    return 0;
}
