// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtpsink.h"

#include <QTcpSocket>

namespace tern::test {

SmtpSink::SmtpSink(QObject *parent)
    : QTcpServer(parent)
{
}

bool SmtpSink::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

int SmtpSink::count(const QByteArray &messageId) const
{
    int n = 0;
    for (const QByteArray &m : m_messages) {
        const qsizetype end = m.indexOf("\r\n\r\n");
        const QByteArray headers = "\r\n" + m.left(end < 0 ? m.size() : end) + "\r\n";
        if (headers.contains(QByteArray("\r\nMessage-ID: " + messageId + "\r\n")))
            ++n;
    }
    return n;
}

void SmtpSink::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(socketDescriptor);
    ++m_connections;
    m_clients.insert(socket, Client{});
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        m_clients.remove(socket);
        socket->deleteLater();
    });
    socket->write("220 sink.test ESMTP\r\n");
}

void SmtpSink::onReadyRead(QTcpSocket *socket)
{
    Client &client = m_clients[socket];
    client.buffer += socket->readAll();
    qsizetype end;
    while ((end = client.buffer.indexOf("\r\n")) >= 0) {
        const QByteArray line = client.buffer.left(end);
        client.buffer.remove(0, end + 2);
        onLine(socket, client, line);
    }
}

void SmtpSink::onLine(QTcpSocket *socket, Client &client, const QByteArray &line)
{
    if (client.inData) {
        if (line != ".") {
            client.data += (line.startsWith('.') ? line.mid(1) : line) + "\r\n"; // RFC 5321 §4.5.2
            return;
        }
        client.inData = false;
        m_messages.append(std::exchange(client.data, QByteArray()));
        Q_EMIT messageReceived();
        if (!m_stall)
            socket->write("250 2.0.0 Ok: queued as SINK" + QByteArray::number(m_messages.size()) + "\r\n");
        return;
    }
    const QByteArray verb = line.left(4).toUpper();
    if (verb == "EHLO")
        socket->write("250-sink.test\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n");
    else if (verb == "AUTH")
        socket->write("235 2.7.0 Authentication successful\r\n");
    else if (verb == "DATA") {
        client.inData = true;
        socket->write("354 End data with <CR><LF>.<CR><LF>\r\n");
    } else if (verb == "QUIT") {
        socket->write("221 2.0.0 Bye\r\n");
        socket->disconnectFromHost();
    } else {
        if (verb == "RCPT")
            m_rcpt.append(line);
        socket->write("250 2.0.0 Ok\r\n"); // MAIL, RCPT, RSET, NOOP
    }
}

} // namespace tern::test
