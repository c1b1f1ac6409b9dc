// SPDX-License-Identifier: GPL-3.0-or-later
// Parser micro-benchmark (issue 4, PERFORMANCE.md): MB/s of ResponseParser on a generated 100k-message
// `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)` response in Dovecot's
// shape, fed in 16 KiB chunks as a socket would deliver it. Median of 5 runs; also the parser's peak
// buffer, which must stay near one response plus one read.
//   bench_imap_parser [messages] [file]   (a file replaces the generated stream, e.g. a capture)
#include "imap/responseparser.h"

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace tern::imap;

namespace {

// CPU time of this process: on a shared 2-core machine wall time mostly measures the neighbours.
double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

QByteArray generate(int messages)
{
    QByteArray out;
    out.reserve(qsizetype(messages) * 900);
    static const char *const names[] = {"Alice Example", "Bob Builder", "Carol Q. Public", "Dave"};
    for (int i = 1; i <= messages; ++i) {
        const QByteArray n = QByteArray::number(i);
        const char *name = names[i % 4];
        QByteArray subject = "\"Re: Quarterly planning notes, item " + n + " (draft)\"";
        if (i % 50 == 0) { // servers send odd subjects as literals
            const QByteArray text = "Quote \"this\" \xc3\xa4 line " + n;
            subject = "{" + QByteArray::number(text.size()) + "}\r\n" + text;
        }
        out += "* " + n + " FETCH (UID " + n + " FLAGS (\\Seen" + (i % 7 ? "" : " \\Flagged") + ") "
            "INTERNALDATE \"17-Jul-2024 02:44:25 +0200\" RFC822.SIZE " + QByteArray::number(2000 + i % 5000)
            + " ENVELOPE (\"Wed, 17 Jul 2024 02:23:25 +0200\" " + subject + " ((\"" + name
            + "\" NIL \"sender" + QByteArray::number(i % 97) + "\" \"example.com\")) ((\"" + name
            + "\" NIL \"sender\" \"example.com\")) ((\"" + name + "\" NIL \"sender\" \"example.com\")) "
            "((NIL NIL \"fred\" \"example.org\")) NIL NIL \"<parent-" + n + "@example.com>\" \"<msg-" + n
            + "@example.com>\") BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL "
            "\"quoted-printable\" 1234 40 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL "
            "\"quoted-printable\" 4321 80 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b1_" + n
            + "\") NIL NIL NIL))\r\n";
    }
    out += "A5 OK Fetch completed (0.123 + 0.000 secs).\r\n";
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    const int messages = argc > 1 ? std::atoi(argv[1]) : 100000;
    QByteArray stream;
    if (argc > 2) {
        QFile f(QString::fromLocal8Bit(argv[2]));
        if (!f.open(QIODevice::ReadOnly))
            return 1;
        stream = f.readAll();
    } else {
        stream = generate(messages);
    }
    constexpr qsizetype Chunk = 16 * 1024;
    QList<double> seconds, cpu;
    qint64 responses = 0, errors = 0;
    quint64 uidSum = 0;
    qsizetype peak = 0;
    for (int run = 0; run < 5; ++run) {
        ResponseParser parser;
        responses = errors = 0;
        uidSum = 0;
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = cpuSeconds();
        for (qsizetype i = 0; i < stream.size(); i += Chunk) {
            parser.feed(QByteArrayView(stream).sliced(i, qMin(Chunk, stream.size() - i)));
            while (auto r = parser.next()) {
                ++responses;
                if (r->kind == Response::Kind::Error)
                    ++errors;
                else if (const FetchData *f = r->get<FetchData>())
                    uidSum += f->uid.value_or(0);
            }
            peak = qMax(peak, parser.capacity());
        }
        seconds.append(double(timer.nsecsElapsed()) / 1e9);
        cpu.append(cpuSeconds() - cpuStart);
    }
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu.begin(), cpu.end());
    const double median = seconds[2];
    const double mb = double(stream.size()) / 1e6;
    std::printf("imap parser: %.1f MB in %lld responses (%lld errors, uid sum %llu)\n", mb, (long long)responses,
                (long long)errors, (unsigned long long)uidSum);
    std::printf("median of 5: %.3f s = %.1f MB/s = %.0f responses/s (min %.3f s, max %.3f s)\n", median, mb / median,
                double(responses) / median, seconds.first(), seconds.last());
    std::printf("median CPU time: %.3f s = %.1f MB/s\n", cpu[2], mb / cpu[2]);
    std::printf("parser buffer peak: %lld bytes (16 KiB reads)\n", (long long)peak);
    return errors == 0 ? 0 : 2;
}
