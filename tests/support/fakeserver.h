// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/linebuffer.h"

#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>

class QSslSocket;

namespace tern::test {

class LabEnv;

// A scripted server for what real servers will not do (KIMAP's fakeserver, shared by every protocol).
// Listens on 127.0.0.1, port 0, serves one connection and follows a script, one step per line:
//
//   S: text          send text + CRLF; consecutive S: lines leave in one write (injection tests rely on it)
//   C: text          expect exactly this line from the client
//   C* prefix        expect a line starting with prefix (for random SASL data)
//   !starttls        flush, then start the server side of the TLS handshake; resume when encrypted
//   !close           flush, then close the connection
//   !flood N         send N bytes of "A" with no line break, as fast as the client reads
//   !expect-close    wait for the client to close the connection
//   !accept          wait for the client's next connection (after the last one closed) and go on with it:
//                    for reconnection tests; other connections are refused as always
//   !scram-sha256 bad-signature [prefix]
//                    answer the client's SCRAM-SHA-256 first message with a valid server-first message,
//                    then its final message with a server signature that is wrong; challenges start with
//                    prefix ("334", the default, for SMTP; "+" for POP3)
//   # ...            comment; blank lines are ignored
//
// A line that does not match ends the script with failure() set and the connection closed.
class FakeServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit FakeServer(QObject *parent = nullptr);
    ~FakeServer() override;

    // Loads a script file (tests/data/scripts/...); false and failure() on a syntax error.
    bool loadScript(const QString &path);
    bool setScript(const QByteArray &text);
    // Implicit TLS: the handshake starts as soon as the client connects (RFC 8314).
    void setImplicitTls(bool on) { m_implicitTls = on; }
    void setCertificate(const QSslCertificate &certificate, const QSslKey &key);
    // The protocol versions the server accepts (default TLS 1.2 or later); for downgrade tests.
    void setTlsProtocol(QSsl::SslProtocol protocol) { m_protocol = protocol; }
    // The lab's certificate for CN=localhost (trusted through the lab CA) or its untrusted self-signed one.
    bool useLabCertificate(const LabEnv &lab, bool trusted = true);

    bool start(); // listen on 127.0.0.1:0
    quint16 port() const { return serverPort(); }

    bool isScriptDone() const { return m_pos >= m_steps.size() && m_failure.isEmpty(); }
    QString failure() const { return m_failure; }
    QList<QByteArray> clientLines() const { return m_clientLines; }
    bool isClientClosed() const { return m_clientClosed; }
    qint64 floodedBytes() const { return m_flooded; }
    QSslCertificate certificate() const { return m_certificate; }

Q_SIGNALS:
    void scriptDone();
    void clientClosed();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    struct Step
    {
        enum class Kind { Send, Expect, ExpectPrefix, StartTls, Close, Flood, ExpectClose, ScramBadSignature, Accept };
        Kind kind;
        QByteArray text;
        qint64 count = 0;
    };

    void run();
    void flush();
    void feedFlood();
    bool scramStep(const QByteArray &line);
    void failWith(const QString &why);

    QList<Step> m_steps;
    qsizetype m_pos = 0;
    QSslSocket *m_socket = nullptr;
    protocols::LineBuffer m_lines{1024 * 1024};
    QByteArray m_pendingWrite;
    QList<QByteArray> m_clientLines;
    QString m_failure;
    QSslCertificate m_certificate;
    QSslKey m_key;
    bool m_implicitTls = false;
    QSsl::SslProtocol m_protocol = QSsl::TlsV1_2OrLater;
    bool m_waitingForTls = false;
    bool m_clientClosed = false;
    qint64 m_floodLeft = 0;
    qint64 m_flooded = 0;
    int m_scramStage = 0;
    QByteArray m_scramNonce;
};

} // namespace tern::test
