// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QString>

class QTcpServer;
class QTcpSocket;

namespace tern::test {

// A loopback TCP relay between a client under test and a real server, for fault injection (issue 6's
// reliability tests): it forwards bytes both ways untouched (TLS passes through end to end) and, when told,
// acts at an exact point of the conversation, counted in bytes across both directions and every connection:
//   Cut     both sockets are aborted there: the server connection is lost mid-command, mid-literal, mid-TLS
//           record, wherever the count falls;
//   Freeze  nothing more is forwarded and cutReached() fires, so the test can SIGKILL the client at that
//           point (a kill at a byte position, not at a time: no sleeps, reproducible from the seed).
// Bytes are forwarded in the order they arrive; a chunk that crosses the point is split there.
class CutProxy : public QObject
{
    Q_OBJECT

public:
    enum class Mode { PassThrough, Cut, Freeze };

    CutProxy(QString upstreamHost, quint16 upstreamPort, QObject *parent = nullptr);
    ~CutProxy() override;

    bool start(); // listens on 127.0.0.1, a free port
    quint16 port() const;

    // The next run acts after atByte bytes (counted from now); PassThrough forwards everything.
    void setMode(Mode mode, qint64 atByte = 0);
    qint64 forwarded() const { return m_forwarded; }
    bool hasActed() const { return m_acted; }

Q_SIGNALS:
    void cutReached();

private:
    struct Pair;
    void accept();
    void relay(Pair *pair, QTcpSocket *from, QTcpSocket *to);
    void pass(QTcpSocket *to, const QByteArray &bytes);
    void act();
    void drop(Pair *pair);

    QString m_host;
    quint16 m_upstreamPort;
    QTcpServer *m_server;
    QList<Pair *> m_pairs;
    Mode m_mode = Mode::PassThrough;
    qint64 m_at = 0;
    qint64 m_forwarded = 0;
    bool m_acted = false;
};

} // namespace tern::test
