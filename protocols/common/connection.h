// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/tlspolicy.h"

#include <QObject>

#include <optional>

class QSslSocket;

namespace tern::protocols {

enum class ConnectionError {
    None,
    HostNotFound,
    ConnectionRefused,
    CertificateInvalid,  // chain, hostname or dates: see certificateInfo()
    TlsHandshakeFailed,  // includes a server that only speaks TLS < 1.2 (SECURITY.md T7)
    RemoteClosed,
    Network,
};

// The one place protocol code touches a socket: a thin QSslSocket adapter shared by SMTP, POP3 and IMAP.
// Bytes in, bytes out; it knows nothing of any protocol. TLS 1.2 minimum, peer verification always on.
class Connection : public QObject
{
    Q_OBJECT

public:
    explicit Connection(QObject *parent = nullptr);
    ~Connection() override;

    // Loads Qt's TLS backend and the system CA store now, on the calling thread (thread-safe). Otherwise the
    // first Connection does it, and Qt 6.8 reads the CA store file by file: about 40 ms. A front end calls
    // this on a worker thread at start-up, where it overlaps other start-up work such as unlocking the vault.
    static void preloadTls();

    void setTlsPolicy(const TlsPolicy &policy) { m_policy = policy; }

    // implicitTls: handshake first (RFC 8314); ready() follows the handshake. Otherwise ready() follows TCP.
    void connectToHost(const QString &host, quint16 port, bool implicitTls);
    // STARTTLS/STLS: drops every byte not yet delivered (they arrived in plaintext and may be injected,
    // RFC 3207 §4.2 / RFC 2595 §3.1), then handshakes; encrypted() follows.
    void startTls();
    void write(const QByteArray &bytes);
    void disconnectFromHost(); // after pending writes
    void abort();

    bool isEncrypted() const;
    TlsSessionInfo tlsSession() const;
    ConnectionError error() const { return m_error; }
    QString errorString() const { return m_errorString; } // Qt's diagnostic, for logs only
    std::optional<CertificateInfo> certificateInfo() const { return m_certificate; }

Q_SIGNALS:
    void ready();
    void encrypted();
    void received(const QByteArray &bytes);
    void progress(); // bytes left for the server: a long upload is activity, not a stall
    void failed(tern::protocols::ConnectionError error);
    void closed();

private:
    void configureTls();
    void onSslErrors(const QList<QSslError> &errors);
    void onSocketError();
    void onReadyRead();

    QSslSocket *m_socket = nullptr;
    TlsPolicy m_policy;
    QString m_host;
    quint16 m_port = 0;
    bool m_implicitTls = false;
    bool m_handshaking = false;
    bool m_pinned = false;
    bool m_failed = false;
    ConnectionError m_error = ConnectionError::None;
    QString m_errorString;
    std::optional<CertificateInfo> m_certificate;
};

} // namespace tern::protocols
