// SPDX-License-Identifier: GPL-3.0-or-later
#include "labmailbox.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::bench {

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

static quint32 exists(const QByteArray &selectResponse)
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

} // namespace tern::bench
