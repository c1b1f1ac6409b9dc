// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the IMAP benchmarks (bench_imap_lab, bench_peers): reading the lab's lab.env, filling a lab
// mailbox fast by writing maildir files directly, and a raw socket client that sends one FETCH and
// discards the answer (the physical limit every IMAP client here is held against).
#include <QByteArray>
#include <QList>
#include <QString>

class QSslSocket;
class QTcpSocket;

namespace tern::bench {

struct Lab
{
    QString envFile;       // lab.env, as given to readLab()
    QString dir;           // the lab directory (lab.env's folder)
    QString host = QStringLiteral("127.0.0.1");
    quint16 imapPort = 0;
    quint16 imapsPort = 0;
    quint16 submissionsPort = 0;
    QByteArray password;   // any name@lab.test logs in with it
    QString caFile;

    bool isValid() const { return imapPort && imapsPort && !password.isEmpty(); }
};

Lab readLab(const QString &labEnvPath);

// Message number `i` of a generated mailbox: multipart/alternative with a threaded-reply header set.
// `padding` adds that many bytes of text to the plain part (0 keeps the small message bench_imap_lab uses).
QByteArray benchMessage(int i, int padding = 0);

// Makes `user`'s INBOX hold at least `wanted` messages by writing maildir files (APPEND costs Dovecot an
// fsync per message: minutes for 100k); Dovecot indexes them on the next SELECT. Mailboxes are reused.
bool fillMailbox(const Lab &lab, const QByteArray &user, int wanted, int padding = 0);

// Reads until the tagged line for `tag` has arrived; everything read.
QByteArray readUntilTagged(QTcpSocket &socket, const QByteArray &tag);
// Connects (implicit TLS trusting the lab's CA when `tls`), logs in and selects INBOX.
bool loginRaw(QSslSocket &socket, const Lab &lab, const QByteArray &user, bool tls);

struct RawResult
{
    double seconds = -1; // < 0: failed
    qint64 bytes = 0;
};
// Logs in, sends `command` (e.g. "UID FETCH 1:* (UID FLAGS)") tagged "f" and reads and discards the answer
// until the tagged line; the time from sending to the end.
RawResult rawFetch(const Lab &lab, const QByteArray &user, const QByteArray &command, bool tls);

double median(QList<double> values);

// A lab of our own when the caller gave none: tests/lab/lab.sh start DIR, and stop on destruction.
// Benchmarks run inside Tern's root (./tern.sh bench, ./tern.sh shell), where the lab's daemons live.
class OwnLab
{
public:
    explicit OwnLab(QString dir) : m_dir(std::move(dir)) { }
    ~OwnLab();
    bool start();
    QString envFile() const { return m_dir + QStringLiteral("/lab.env"); }
    QString error() const { return m_error; }

private:
    bool run(const QString &command);

    QString m_dir, m_error;
    bool m_started = false;
};

// The lab a benchmark runs against, with user's INBOX filled: the LAB_ENV file given as argv[1], else (none,
// or "-", as ./tern.sh bench runs it) a lab of its own started in ownLab; argv[2] is the message count
// (100,000 by default). Says why on stderr and returns false when the lab cannot be had or filled.
bool openBenchLab(int argc, char **argv, OwnLab &ownLab, const QByteArray &user, Lab *lab, int *messages);

} // namespace tern::bench
