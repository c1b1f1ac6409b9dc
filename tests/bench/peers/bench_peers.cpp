// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6's peers for the IMAP sync, measured in one run against the lab's Dovecot (a benchmark, not a test):
//   - a raw socket FETCH of the summary items Tern's sync needs, over a 100k INBOX: the limit;
//   - tern-cli's cold `sync` of that INBOX into a fresh profile, the whole process;
//   - a raw FETCH of neomutt's own header items, and neomutt (header cache on) opening that INBOX cold;
//   - a raw FETCH of the full bodies of a 10k INBOX, and mbsync mirroring it into a fresh maildir, as
//     configured by default and with FSync No.
// Everything goes over implicit TLS to 127.0.0.1, except one more raw FETCH and tern-cli sync over plain IMAP
// (what TLS costs the lab's Dovecot shows apart); the last raw FETCH and tern-cli sync run with Dovecot on one
// CPU and the client on another (see pinServerAndClient()). Median of --runs rounds after one warm-up round; each round
// runs a peer right after its raw FETCH, and the ratio is the median of the per-round ratios.
//   ./tern.sh bench peers                 (starts its own lab under the build tree and stops it after)
//   ./tern.sh shell -c 'build/tests/bench/peers/bench_peers build/lab-manual/lab.env [--messages N]
//                       [--mirror N] [--runs R]'
// Peer configurations are generated here and name only the lab's ports on 127.0.0.1.
#include "labmailbox.h"
#include "peerrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sched.h>
#include <unistd.h>

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
    QList<double> seconds;   // one per round
    qint64 bytes = 0;        // bytes the same items take on the wire (for MB/s), 0 if not meaningful
    long maxRssKiB = 0;
    int baseline = -1;       // index of the raw row this is compared to, measured in the same rounds
    QByteArray note;         // why there is no figure
    bool failed = false;
};

using Once = std::function<bool(double &, long &, QByteArray &)>;

// The median of this row's time over its baseline's in the same round.
double ratio(const Row &r, const QList<Row> &rows)
{
    if (r.baseline < 0 || rows[r.baseline].failed || r.failed)
        return -1;
    const QList<double> &base = rows[r.baseline].seconds;
    QList<double> ratios;
    for (qsizetype i = 0; i < std::min(base.size(), r.seconds.size()); ++i)
        ratios.append(r.seconds[i] / base[i]);
    return median(ratios);
}

void printTable(const QList<Row> &rows, int runs)
{
    std::printf("\n%-44s %-9s %9s %9s %8s %9s %10s\n", "measurement", "mailbox", "median s", "MB", "MB/s",
                "x raw", "peak RSS");
    for (const Row &r : rows) {
        const double m = r.failed ? -1 : median(r.seconds);
        if (m < 0) {
            std::printf("%-44s %-9s %9s  %s\n", r.name.constData(), r.mailbox.constData(), "n/a", r.note.constData());
            continue;
        }
        const double mb = double(r.bytes) / 1e6;
        QByteArray x = "-", rss = "-", rate = "-", size = "-";
        if (const double q = ratio(r, rows); q > 0)
            x = QByteArray::number(q, 'f', 2);
        if (r.maxRssKiB)
            rss = QByteArray::number(double(r.maxRssKiB) / 1024, 'f', 0) + " MiB";
        if (r.bytes) {
            size = QByteArray::number(mb, 'f', 1);
            rate = QByteArray::number(mb / m, 'f', 1);
        }
        std::printf("%-44s %-9s %9.3f %9s %8s %9s %10s\n", r.name.constData(), r.mailbox.constData(), m,
                    size.constData(), rate.constData(), x.constData(), rss.constData());
    }
    std::printf("(median of %d rounds after one warm-up; each round runs a peer right after the raw FETCH it is\n"
                " compared to, and x raw is the median of those per-round ratios; MB is what the same items take\n"
                " on the wire)\n",
                runs);
}

// One warm-up round, then `runs` timed rounds; each round runs the rows of `group` once, in order. A raw FETCH
// and its peer so see the same moment of the machine, whose speed drifts here from minute to minute. A failed
// run ends its row with its reason; the others go on.
void measureRounds(QList<Row> &rows, const QList<std::pair<int, Once>> &group, int runs)
{
    for (int run = 0; run <= runs; ++run) {
        for (const auto &[index, once] : group) {
            Row &row = rows[index];
            if (row.failed)
                continue;
            double seconds = -1;
            long rss = 0;
            if (!once(seconds, rss, row.note) || seconds < 0) {
                row.failed = true;
                std::printf("  %s: %s\n", row.name.constData(), row.note.constData());
                continue;
            }
            std::printf("  %s run %d: %.3f s\n", row.name.constData(), run, seconds);
            if (run > 0) {
                row.seconds.append(seconds);
                row.maxRssKiB = std::max(row.maxRssKiB, rss);
            }
            std::fflush(stdout);
        }
    }
}

// Dovecot's master (and so every process it forks from now on) on one CPU, this process (and the tern-cli it
// starts) on another; `on` false gives both every CPU back. On this two-core machine the lab's server and
// the client otherwise share both cores: a raw FETCH, which hardly uses any, leaves Dovecot's imap and TLS
// proxy processes a core each, while a client that parses and stores takes one of them away. Pinned, both
// rows give the server the same one core, and the ratio is the client's own cost.
bool pinServerAndClient(const Lab &lab, bool on)
{
    QFile pidFile(lab.dir + QStringLiteral("/dovecot/run/master.pid"));
    const pid_t server = pidFile.open(QIODevice::ReadOnly) ? pid_t(pidFile.readAll().trimmed().toInt()) : 0;
    if (server <= 0)
        return false;
    cpu_set_t serverCpus, clientCpus;
    CPU_ZERO(&serverCpus);
    CPU_ZERO(&clientCpus);
    const int cpus = std::min(CPU_SETSIZE, int(sysconf(_SC_NPROCESSORS_ONLN)));
    if (cpus < 2)
        return false;
    for (int cpu = 0; cpu < cpus; ++cpu) {
        if (!on || cpu == 0)
            CPU_SET(cpu, &serverCpus);
        if (!on || cpu == 1)
            CPU_SET(cpu, &clientCpus);
    }
    // The master and the processes already running in its session (long-lived login and auth processes).
    bool ok = sched_setaffinity(server, sizeof serverCpus, &serverCpus) == 0;
    const QStringList procs = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : procs) {
        bool number = false;
        const pid_t pid = pid_t(entry.toInt(&number));
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!number || pid == server || !stat.open(QIODevice::ReadOnly))
            continue;
        // pid (comm) state ppid pgrp session ...: the fields after the last ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 3 && fields[3].toInt() == server)
            sched_setaffinity(pid, sizeof serverCpus, &serverCpus);
    }
    return ok && sched_setaffinity(0, sizeof clientCpus, &clientCpus) == 0;
}

// A raw FETCH of `command` as `user`; the row learns how many bytes the items take on the wire.
Once rawOnce(const Lab &lab, Row &row, const QByteArray &user, const QByteArray &command, bool tls)
{
    return [&lab, &row, user, command, tls](double &seconds, long &, QByteArray &note) {
        const RawResult r = rawFetch(lab, user, command, tls);
        seconds = r.seconds;
        row.bytes = r.bytes;
        note = "the raw FETCH failed";
        return r.seconds >= 0;
    };
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
    const QString ternCli = QStringLiteral(TERN_BINARY_DIR "/app/tern-cli");
    QList<Row> rows{{"raw FETCH, summary items", big},
                    {"tern-cli sync (cold)", big},
                    {"raw FETCH, summary items, plain IMAP", big},
                    {"tern-cli sync (cold), plain IMAP", big},
                    {"raw FETCH, neomutt's header items", big},
                    {"neomutt, header cache (cold)", big},
                    {"raw FETCH, full bodies", small},
                    {"mbsync mirror (default)", small},
                    {"mbsync mirror (FSync No)", small},
                    {"raw FETCH, summary items, server on 1 CPU", big},
                    {"tern-cli sync (cold), server on 1 CPU", big}};
    for (int peer : {1, 3, 5, 10})
        rows[peer].baseline = peer - 1;
    rows[7].baseline = rows[8].baseline = 6;

    measureRounds(rows,
                  {{0, rawOnce(lab, rows[0], SyncUser, TernItems, true)},
                   {1, [&](double &s, long &rss, QByteArray &note) { return peers.ternSync(SyncUser, ternCli, true, s, rss, note); }}},
                  o.runs);
    measureRounds(rows,
                  {{2, rawOnce(lab, rows[2], SyncUser, TernItems, false)},
                   {3, [&](double &s, long &rss, QByteArray &note) { return peers.ternSync(SyncUser, ternCli, false, s, rss, note); }}},
                  o.runs);
    measureRounds(rows,
                  {{4, rawOnce(lab, rows[4], SyncUser, NeomuttItems, true)},
                   {5, [&](double &s, long &rss, QByteArray &note) { return peers.neomuttColdOpen(SyncUser, o.messages, s, rss, note); }}},
                  o.runs);
    measureRounds(rows,
                  {{6, rawOnce(lab, rows[6], MirrorUser, BodyItems, true)},
                   {7, [&](double &s, long &rss, QByteArray &note) { return peers.mbsyncMirror(MirrorUser, o.mirror, true, s, rss, note); }},
                   {8, [&](double &s, long &rss, QByteArray &note) { return peers.mbsyncMirror(MirrorUser, o.mirror, false, s, rss, note); }}},
                  o.runs);
    if (pinServerAndClient(lab, true)) {
        measureRounds(rows,
                      {{9, rawOnce(lab, rows[9], SyncUser, TernItems, true)},
                       {10, [&](double &s, long &rss, QByteArray &note) { return peers.ternSync(SyncUser, ternCli, true, s, rss, note); }}},
                      o.runs);
        pinServerAndClient(lab, false);
    } else {
        rows[9].failed = rows[10].failed = true;
        rows[9].note = rows[10].note = "cannot pin: needs two CPUs and Dovecot's master.pid";
    }
    for (int peer : {1, 3, 5, 7, 8, 10})
        rows[peer].bytes = rows[rows[peer].baseline].bytes;
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
    printTable(measureAll(lab, peers, *options), options->runs);
    return 0;
}
