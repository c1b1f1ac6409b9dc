// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The 100k-message lab mailbox of issue 4's benchmarks, shared by the IMAP benchmarks: the lab's address,
// filling the mailbox (maildir files written directly, reused by later runs) and the raw-socket FETCH that
// is the physical limit every client is compared with.
#include <QByteArray>
#include <QString>
#include <QTcpSocket>

namespace tern::bench {

struct Lab
{
    QString dir;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QByteArray password;
};

Lab readLab(const QString &labEnvPath);

extern const QByteArray User; // bench-fetch-100k@lab.test
extern const QByteArray FetchItems; // (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)

// Reads until a line starting with `tag` + SP has arrived; returns everything read.
QByteArray readUntilTagged(QTcpSocket &s, const QByteArray &tag);
// LOGIN as User and SELECT INBOX.
bool loginRaw(QTcpSocket &s, const Lab &lab);
// Message number i of the mailbox (about 700 bytes, multipart/alternative).
QByteArray message(int i);
// Makes INBOX hold at least `wanted` messages.
bool fill(const Lab &lab, int wanted);
// Seconds for `UID FETCH 1:* FetchItems` read and discarded on a raw socket; bytes received.
double runRaw(const Lab &lab, qint64 &bytes);

} // namespace tern::bench
