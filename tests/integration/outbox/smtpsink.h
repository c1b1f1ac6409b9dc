// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpServer>

class QTcpSocket;

namespace tern::test {

// A minimal cleartext submission server that takes every message and counts them: what the crash tests need
// to tell "delivered once" from "twice" or "never", across any number of connections from any number of
// tern-cli processes. Not a script (FakeServer is that): it answers EHLO (AUTH PLAIN), AUTH, MAIL, RCPT,
// DATA, RSET, NOOP and QUIT. With setStallAfterData(true) it never answers the end of data, as a server
// that hangs after the terminator.
class SmtpSink : public QTcpServer
{
    Q_OBJECT

public:
    explicit SmtpSink(QObject *parent = nullptr);

    bool start(); // 127.0.0.1, port 0
    void setStallAfterData(bool on) { m_stall = on; }

    // Messages whose terminator arrived (answered or not), in order.
    QList<QByteArray> messages() const { return m_messages; }
    // How many of them carry this Message-ID header value.
    int count(const QByteArray &messageId) const;
    int connections() const { return m_connections; }
    QList<QByteArray> rcptLines() const { return m_rcpt; } // every RCPT TO line, in order

Q_SIGNALS:
    void messageReceived();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    struct Client
    {
        QByteArray buffer;
        bool inData = false;
        QByteArray data;
    };
    void onReadyRead(QTcpSocket *socket);
    void onLine(QTcpSocket *socket, Client &client, const QByteArray &line);

    QHash<QTcpSocket *, Client> m_clients;
    QList<QByteArray> m_messages;
    QList<QByteArray> m_rcpt;
    int m_connections = 0;
    bool m_stall = false;
};

} // namespace tern::test
