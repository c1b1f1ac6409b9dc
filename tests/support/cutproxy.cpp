// SPDX-License-Identifier: GPL-3.0-or-later
#include "cutproxy.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <utility>

namespace tern::test {

struct CutProxy::Pair
{
    QTcpSocket *client = nullptr;
    QTcpSocket *server = nullptr;
    QByteArray early; // what the client sent before the server connection was up
};

CutProxy::CutProxy(QString upstreamHost, quint16 upstreamPort, QObject *parent)
    : QObject(parent)
    , m_host(std::move(upstreamHost))
    , m_upstreamPort(upstreamPort)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &CutProxy::accept);
}

CutProxy::~CutProxy()
{
    for (Pair *pair : std::as_const(m_pairs))
        delete pair;
}

bool CutProxy::start()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 CutProxy::port() const
{
    return m_server->serverPort();
}

void CutProxy::setMode(Mode mode, qint64 atByte)
{
    m_mode = mode;
    m_at = m_forwarded + atByte;
    m_acted = false;
}

void CutProxy::accept()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        if (m_acted && m_mode == Mode::Freeze) {
            client->abort(); // frozen: the client under test is about to be killed
            client->deleteLater();
            continue;
        }
        auto *pair = new Pair;
        pair->client = client;
        pair->server = new QTcpSocket(this);
        m_pairs.append(pair);
        connect(client, &QTcpSocket::readyRead, this, [this, pair] {
            if (pair->server->state() == QAbstractSocket::ConnectedState)
                relay(pair, pair->client, pair->server);
            else
                pair->early += pair->client->readAll();
        });
        connect(pair->server, &QTcpSocket::connected, this, [this, pair] {
            pass(pair->server, std::exchange(pair->early, {}));
            relay(pair, pair->client, pair->server);
        });
        connect(pair->server, &QTcpSocket::readyRead, this, [this, pair] { relay(pair, pair->server, pair->client); });
        connect(client, &QTcpSocket::disconnected, this, [this, pair] { drop(pair); });
        connect(pair->server, &QTcpSocket::disconnected, this, [this, pair] { drop(pair); });
        connect(pair->server, &QTcpSocket::errorOccurred, this, [this, pair] { drop(pair); });
        pair->server->connectToHost(m_host, m_upstreamPort);
    }
}

void CutProxy::relay(Pair *, QTcpSocket *from, QTcpSocket *to)
{
    if (!m_acted)
        pass(to, from->readAll());
}

void CutProxy::pass(QTcpSocket *to, const QByteArray &bytes)
{
    if (m_acted || bytes.isEmpty())
        return; // cut or frozen: nothing more moves
    if (m_mode != Mode::PassThrough && m_forwarded + bytes.size() >= m_at) {
        to->write(bytes.left(m_at - m_forwarded));
        to->flush();
        m_forwarded = m_at;
        act();
        return;
    }
    to->write(bytes);
    m_forwarded += bytes.size();
}

void CutProxy::act()
{
    m_acted = true;
    if (m_mode == Mode::Cut) {
        for (Pair *pair : std::as_const(m_pairs)) {
            pair->client->abort();
            pair->server->abort();
        }
    }
    Q_EMIT cutReached();
}

void CutProxy::drop(Pair *pair)
{
    // One side went away: the other goes too, gracefully (what was relayed is still written) unless the
    // proxy has acted, in which case nothing more may reach either side.
    for (QTcpSocket *socket : {pair->client, pair->server}) {
        if (socket->state() != QAbstractSocket::ConnectedState)
            continue;
        if (m_acted)
            socket->abort();
        else
            socket->disconnectFromHost();
    }
}

} // namespace tern::test
