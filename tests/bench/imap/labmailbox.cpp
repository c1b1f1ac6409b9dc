// SPDX-License-Identifier: GPL-3.0-or-later
#include "labmailbox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslSocket>

#include <algorithm>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::bench {

Lab readLab(const QString &labEnvPath)
{
    Lab lab;
    lab.envFile = labEnvPath;
    lab.dir = QFileInfo(labEnvPath).absolutePath();
    QFile f(labEnvPath);
    if (!f.open(QIODevice::ReadOnly))
        return lab;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray key = line.left(eq), value = line.mid(eq + 1).trimmed();
        if (key == "TERN_LAB_IMAP_PORT")
            lab.imapPort = quint16(value.toUInt());
        else if (key == "TERN_LAB_IMAPS_PORT")
            lab.imapsPort = quint16(value.toUInt());
        else if (key == "TERN_LAB_SUBMISSIONS_PORT")
            lab.submissionsPort = quint16(value.toUInt());
        else if (key == "TERN_LAB_PASSWORD")
            lab.password = value;
        else if (key == "TERN_LAB_CA")
            lab.caFile = QString::fromLocal8Bit(value);
    }
    return lab;
}

QByteArray benchMessage(int i, int padding)
{
    const QByteArray n = QByteArray::number(i);
    QByteArray text = "Hello number " + n + ".\r\n";
    // Plain text lines of 76 characters, the shape of a long mail body.
    static const QByteArray line = QByteArray(74, 'x') + "\r\n";
    while (text.size() < padding)
        text += line;
    return "From: Sender " + QByteArray::number(i % 97) + " <sender" + QByteArray::number(i % 97)
        + "@example.com>\r\nTo: Fred <fred@lab.test>\r\nCc: team@example.org\r\nSubject: Re: Quarterly planning, item "
        + n + "\r\nDate: Wed, 17 Jul 2024 02:23:25 +0200\r\nMessage-ID: <msg-" + n + "@example.com>\r\nIn-Reply-To: <parent-"
        + n + "@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b" + n
        + "\r\n\r\n--b" + n + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "--b" + n
        + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello number " + n + ".</p>\r\n--b" + n + "--\r\n";
}

QByteArray readUntilTagged(QTcpSocket &s, const QByteArray &tag)
{
    QByteArray all;
    const QByteArray needle = "\r\n" + tag + ' ';
    while (s.bytesAvailable() || s.waitForReadyRead(120000)) {
        all += s.readAll();
        const qsizetype at = all.startsWith(QByteArray(tag + ' ')) ? 0 : all.lastIndexOf(needle);
        if (at >= 0 && all.indexOf("\r\n", at + 2) >= 0)
            return all;
    }
    return all;
}

bool loginRaw(QSslSocket &s, const Lab &lab, const QByteArray &user, bool tls)
{
    if (tls) {
        QSslSocket &ssl = s;
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setCaCertificates(QSslCertificate::fromPath(lab.caFile));
        ssl.setSslConfiguration(config);
        ssl.setPeerVerifyName(QStringLiteral("localhost"));
        ssl.connectToHostEncrypted(lab.host, lab.imapsPort);
        if (!ssl.waitForEncrypted(10000))
            return false;
    } else {
        s.connectToHost(lab.host, lab.imapPort);
        if (!s.waitForConnected(10000))
            return false;
    }
    if (!s.bytesAvailable() && !s.waitForReadyRead(10000))
        return false;
    s.readAll();
    s.write("l LOGIN " + user + ' ' + lab.password + "\r\ns SELECT INBOX\r\n");
    return readUntilTagged(s, "s").contains("s OK");
}

namespace {

quint32 exists(const QByteArray &selectResponse)
{
    const qsizetype at = selectResponse.indexOf(" EXISTS");
    if (at < 0)
        return 0;
    const qsizetype start = selectResponse.lastIndexOf("* ", at) + 2;
    return selectResponse.mid(start, at - start).toUInt();
}

} // namespace

bool fillMailbox(const Lab &lab, const QByteArray &user, int wanted, int padding)
{
    QSslSocket s;
    if (!loginRaw(s, lab, user, false)) // Dovecot creates the user's Maildir on first use
        return false;
    s.write("x SELECT INBOX\r\n");
    const quint32 have = exists(readUntilTagged(s, "x"));
    if (int(have) >= wanted)
        return true;
    const QString cur = lab.dir + QStringLiteral("/mail/") + QString::fromLatin1(user.left(user.indexOf('@')))
        + QStringLiteral("/Maildir/cur");
    struct stat owner{};
    if (!QDir().mkpath(cur) || ::stat(QFile::encodeName(cur).constData(), &owner) != 0)
        return false;
    std::printf("%s: writing maildir files: %u -> %d messages...\n", user.constData(), have, wanted);
    QElapsedTimer t;
    t.start();
    for (int i = int(have) + 1; i <= wanted; ++i) {
        const QByteArray m = benchMessage(i, padding);
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

RawResult rawFetch(const Lab &lab, const QByteArray &user, const QByteArray &command, bool tls)
{
    QSslSocket s;
    RawResult r;
    if (!loginRaw(s, lab, user, tls))
        return r;
    QElapsedTimer t;
    t.start();
    s.write("f " + command + "\r\n");
    QByteArray tail;
    bool done = false;
    while (!done && (s.bytesAvailable() || s.waitForReadyRead(120000))) {
        const QByteArray chunk = s.readAll(); // discarded: only the end is looked for
        r.bytes += chunk.size();
        // Only the last bytes are kept, in one small buffer. `tail = (tail + chunk).right(n)` ratchets up the
        // capacity each copy inherits, until every read pays for a 32 MB allocation: 18k of them over TLS.
        const qsizetype keep = std::min<qsizetype>(chunk.size(), 256);
        tail.append(chunk.constData() + chunk.size() - keep, keep);
        if (tail.size() > 256)
            tail.remove(0, tail.size() - 256);
        const qsizetype at = tail.lastIndexOf("\r\nf ");
        done = at >= 0 && tail.indexOf("\r\n", at + 2) >= 0;
    }
    if (done && tail.contains("\r\nf OK"))
        r.seconds = double(t.nsecsElapsed()) / 1e9;
    return r;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

OwnLab::~OwnLab()
{
    if (m_started)
        run(QStringLiteral("stop"));
}

bool OwnLab::start()
{
    m_started = run(QStringLiteral("start"));
    return m_started;
}

bool OwnLab::run(const QString &command)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("bash"), {QStringLiteral(TERN_SOURCE_DIR "/tests/lab/lab.sh"), command, m_dir});
    // No timeout of ours: lab.sh bounds its own waits, and wiping a left-over 100k mailbox can take minutes.
    if (p.waitForFinished(-1) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
        return true;
    m_error = QString::fromLocal8Bit(p.readAll().trimmed());
    return false;
}

bool openBenchLab(int argc, char **argv, OwnLab &ownLab, const QByteArray &user, Lab *lab, int *messages)
{
    QString labEnv = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (labEnv.isEmpty() || labEnv == QStringLiteral("-")) {
        if (!ownLab.start()) {
            std::fprintf(stderr, "could not start a lab: %s\n", qPrintable(ownLab.error()));
            return false;
        }
        labEnv = ownLab.envFile();
    }
    *lab = readLab(labEnv);
    *messages = argc > 2 ? std::atoi(argv[2]) : 100000;
    if (!lab->isValid() || !fillMailbox(*lab, user, *messages)) {
        std::fprintf(stderr, "lab not reachable or fill failed\n");
        return false;
    }
    return true;
}

} // namespace tern::bench
