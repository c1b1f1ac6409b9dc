// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 4's end-to-end benchmark against the lab's Dovecot (not a test): a 100k-message INBOX, then
//   (a) a raw socket client that logs in, sends `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE
//       ENVELOPE BODYSTRUCTURE)` and discards the bytes until the tagged OK: the physical limit here;
//   (b) Tern's Session doing the same and producing typed responses.
// Median of 5 (after one warm-up of each), plain IMAP on loopback. Target (b) <= 1.25 x (a).
//   ./tern.sh bench imap_lab              (starts its own lab under the build tree and stops it after)
//   ./tern.sh shell -c 'build/tests/bench/imap/bench_imap_lab build/lab-manual/lab.env|- [messages]'
// The mailbox is filled once by writing maildir files directly (APPEND costs Dovecot an fsync per
// message: minutes for 100k) and reused by later runs; Dovecot indexes it on the next SELECT.
#include "imap/session.h"
#include "labmailbox.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTcpSocket>

#include <cstdio>

using namespace tern::imap;
using namespace tern::bench;
namespace cmd = tern::imap::commands;

namespace {

const QByteArray User = "bench-fetch-100k@lab.test";
const QByteArray FetchItems = "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)";

double runSession(const Lab &lab, qint64 &fetched, qsizetype &peakBuffer)
{
    QTcpSocket s;
    s.connectToHost(lab.host, lab.imapPort);
    if (!s.waitForConnected(10000))
        return -1;
    Session::Options options;
    options.tls = Session::TlsMode::CleartextAllowed;
    Session session(options);
    session.connected(false);
    enum { Greeting, LoggingIn, Selecting, Fetching, Done } phase = Greeting;
    QByteArray fetchTag;
    QElapsedTimer t;
    fetched = 0;
    peakBuffer = 0;
    while (phase != Done && s.waitForReadyRead(60000)) {
        session.receive(s.readAll());
        for (const Session::Event &e : session.takeEvents()) {
            if (e.kind == Session::Event::Kind::Ready) {
                session.login(User, lab.password);
                phase = LoggingIn;
            } else if (e.kind == Session::Event::Kind::Authenticated) {
                session.select("INBOX");
                phase = Selecting;
            } else if (e.kind == Session::Event::Kind::Selected) {
                t.start();
                fetchTag = session.send(cmd::uidFetch({{1, SequenceSet::Star}},
                                                      {"UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODYSTRUCTURE"}));
                phase = Fetching;
            } else if (e.kind == Session::Event::Kind::Untagged && e.response.get<FetchData>()) {
                ++fetched;
            } else if (e.kind == Session::Event::Kind::CommandFinished && e.result.tag == fetchTag && phase == Fetching) {
                phase = Done;
            } else if (e.kind == Session::Event::Kind::Closed) {
                return -1;
            }
        }
        const QByteArray out = session.takeOutgoing();
        if (!out.isEmpty())
            s.write(out);
    }
    return phase == Done ? double(t.nsecsElapsed()) / 1e9 : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // for QSslSocket and QProcess
    // Without LAB_ENV (as ./tern.sh bench runs it) the benchmark starts a lab of its own.
    OwnLab ownLab(QStringLiteral(TERN_BINARY_DIR "/lab-bench-imap"));
    Lab lab;
    int messages = 0;
    if (!openBenchLab(argc, argv, ownLab, User, &lab, &messages))
        return 1;
    QList<double> raw, typed;
    qint64 bytes = 0, fetched = 0;
    qsizetype peak = 0;
    for (int run = 0; run < 6; ++run) { // run 0 warms Dovecot's cache and is not counted
        const RawResult plain = rawFetch(lab, User, "UID FETCH 1:* " + FetchItems, false);
        const double a = plain.seconds;
        bytes = plain.bytes;
        const double b = runSession(lab, fetched, peak);
        if (a < 0 || b < 0) {
            std::fprintf(stderr, "run %d failed\n", run);
            return 1;
        }
        if (run > 0) {
            raw.append(a);
            typed.append(b);
        }
        std::printf("run %d: raw %.3f s, session %.3f s (%lld FETCH responses)\n", run, a, b, (long long)fetched);
    }
    const double a = median(raw), b = median(typed);
    std::printf("%d messages, %.1f MB: raw %.3f s (%.1f MB/s), session %.3f s (%.1f MB/s), ratio %.2f\n", messages,
                double(bytes) / 1e6, a, double(bytes) / 1e6 / a, b, double(bytes) / 1e6 / b, b / a);
    Q_UNUSED(peak);
    return 0;
}
