// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 4's end-to-end benchmark against the lab's Dovecot (not a test): a 100k-message INBOX, then
//   (a) a raw socket client that logs in, sends `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE
//       ENVELOPE BODYSTRUCTURE)` and discards the bytes until the tagged OK: the physical limit here;
//   (b) Tern's Session doing the same and producing typed responses.
// Median of 5 (after one warm-up of each), plain IMAP on loopback. Target (b) <= 1.25 x (a).
//   ./tern.sh lab start
//   ./tern.sh shell -c 'build/tests/bench/imap/bench_imap_lab build/lab-manual/lab.env [messages]'
// The mailbox is filled once by writing maildir files directly (APPEND costs Dovecot an fsync per
// message: minutes for 100k) and reused by later runs; Dovecot indexes it on the next SELECT.
#include "imap/session.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTcpSocket>

#include <algorithm>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tern::imap;
namespace cmd = tern::imap::commands;

namespace {

struct Lab
{
    QString dir;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QByteArray password;
};

Lab readLab(const QString &path)
{
    Lab lab;
    lab.dir = QFileInfo(path).absolutePath();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return lab;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("TERN_LAB_IMAP_PORT="))
            lab.port = quint16(line.mid(19).toUInt());
        else if (line.startsWith("TERN_LAB_PASSWORD="))
            lab.password = line.mid(18).trimmed();
    }
    return lab;
}

const QByteArray User = "bench-fetch-100k@lab.test";

// Reads until a line starting with `tag` + SP has arrived; returns everything read.
QByteArray readUntilTagged(QTcpSocket &s, const QByteArray &tag)
{
    QByteArray all;
    const QByteArray needle = "\r\n" + tag + ' ';
    while (s.waitForReadyRead(60000)) {
        all += s.readAll();
        const qsizetype at = all.startsWith(QByteArray(tag + ' ')) ? 0 : all.lastIndexOf(needle);
        if (at >= 0 && all.indexOf("\r\n", at + 2) >= 0)
            return all;
    }
    return all;
}

bool loginRaw(QTcpSocket &s, const Lab &lab)
{
    s.connectToHost(lab.host, lab.port);
    if (!s.waitForConnected(10000) || !s.waitForReadyRead(10000))
        return false;
    s.readAll();
    s.write("l LOGIN " + User + ' ' + lab.password + "\r\ns SELECT INBOX\r\n");
    return readUntilTagged(s, "s").contains("s OK");
}

QByteArray message(int i)
{
    const QByteArray n = QByteArray::number(i);
    return "From: Sender " + QByteArray::number(i % 97) + " <sender" + QByteArray::number(i % 97)
        + "@example.com>\r\nTo: Fred <fred@lab.test>\r\nCc: team@example.org\r\nSubject: Re: Quarterly planning, item "
        + n + "\r\nDate: Wed, 17 Jul 2024 02:23:25 +0200\r\nMessage-ID: <msg-" + n + "@example.com>\r\nIn-Reply-To: <parent-"
        + n + "@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b" + n
        + "\r\n\r\n--b" + n + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello number " + n + ".\r\n--b" + n
        + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello number " + n + ".</p>\r\n--b" + n + "--\r\n";
}

quint32 exists(const QByteArray &selectResponse)
{
    const qsizetype at = selectResponse.indexOf(" EXISTS");
    if (at < 0)
        return 0;
    const qsizetype start = selectResponse.lastIndexOf("* ", at) + 2;
    return selectResponse.mid(start, at - start).toUInt();
}

bool fill(const Lab &lab, int wanted)
{
    QTcpSocket s;
    if (!loginRaw(s, lab)) // Dovecot creates the user's Maildir on first use
        return false;
    s.write("x SELECT INBOX\r\n");
    const quint32 have = exists(readUntilTagged(s, "x"));
    if (int(have) >= wanted)
        return true;
    const QString cur = lab.dir + QStringLiteral("/mail/") + QString::fromLatin1(User.left(User.indexOf('@')))
        + QStringLiteral("/Maildir/cur");
    struct stat owner{};
    if (!QDir().mkpath(cur) || ::stat(QFile::encodeName(cur).constData(), &owner) != 0)
        return false;
    std::printf("writing maildir files: %u -> %d messages...\n", have, wanted);
    QElapsedTimer t;
    t.start();
    for (int i = int(have) + 1; i <= wanted; ++i) {
        const QByteArray m = message(i);
        const QByteArray name = QFile::encodeName(cur) + "/1700000000.M" + QByteArray::number(i) + "P1.bench,S="
            + QByteArray::number(m.size()) + ":2,S";
        const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || ::write(fd, m.constData(), size_t(m.size())) != m.size())
            return false;
        if (::fchown(fd, owner.st_uid, owner.st_gid) != 0) { /* already the owner */ }
        ::close(fd);
    }
    s.write("y NOOP\r\n");
    readUntilTagged(s, "y");
    std::printf("written in %.1f s\n", double(t.elapsed()) / 1000);
    return true;
}

const QByteArray FetchItems = "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)";

double runRaw(const Lab &lab, qint64 &bytes)
{
    QTcpSocket s;
    if (!loginRaw(s, lab))
        return -1;
    QElapsedTimer t;
    t.start();
    s.write("f UID FETCH 1:* " + FetchItems + "\r\n");
    bytes = 0;
    QByteArray tail;
    while (s.waitForReadyRead(60000)) {
        const QByteArray chunk = s.readAll(); // discarded: only the end is looked for
        bytes += chunk.size();
        tail = QByteArray(tail + chunk).right(256);
        const qsizetype at = tail.lastIndexOf("\r\nf ");
        if (at >= 0 && tail.indexOf("\r\n", at + 2) >= 0)
            break;
    }
    return double(t.nsecsElapsed()) / 1e9;
}

double runSession(const Lab &lab, qint64 &fetched, qsizetype &peakBuffer)
{
    QTcpSocket s;
    s.connectToHost(lab.host, lab.port);
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

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_imap_lab LAB_ENV [messages]\n");
        return 1;
    }
    const Lab lab = readLab(QString::fromLocal8Bit(argv[1]));
    const int messages = argc > 2 ? std::atoi(argv[2]) : 100000;
    if (!lab.port || !fill(lab, messages)) {
        std::fprintf(stderr, "lab not reachable or fill failed\n");
        return 1;
    }
    QList<double> raw, typed;
    qint64 bytes = 0, fetched = 0;
    qsizetype peak = 0;
    for (int run = 0; run < 6; ++run) { // run 0 warms Dovecot's cache and is not counted
        const double a = runRaw(lab, bytes);
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
