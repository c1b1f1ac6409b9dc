// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/connection.h"

#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslSocket>

namespace tern::protocols {

Connection::Connection(QObject *parent)
    : QObject(parent)
    , m_socket(new QSslSocket(this))
{
    connect(m_socket, &QSslSocket::connected, this, [this] {
        // TCP_NODELAY: the last command of a pipeline or the message terminator must not wait ~40 ms for
        // Nagle and delayed ACKs (PERFORMANCE.md, SMTP row).
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (!m_implicitTls)
            Q_EMIT ready();
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_handshaking = false;
        if (m_implicitTls)
            Q_EMIT ready();
        else
            Q_EMIT encrypted();
        // Application data that arrived with the end of the handshake (a TLS 1.3 server's greeting) may
        // already be buffered; readyRead will not repeat for it.
        if (!m_failed && m_socket->bytesAvailable() > 0)
            onReadyRead();
    });
    connect(m_socket, &QSslSocket::sslErrors, this, &Connection::onSslErrors);
    connect(m_socket, &QSslSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QSslSocket::bytesWritten, this, &Connection::progress);
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, &Connection::progress);
    connect(m_socket, &QSslSocket::errorOccurred, this, &Connection::onSocketError);
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (!m_failed)
            Q_EMIT closed();
    });
}

Connection::~Connection() = default;

void Connection::preloadTls()
{
    // The default configuration is built from the backend's CA store: asking for it loads both.
    (void)QSslConfiguration::defaultConfiguration();
}

void Connection::configureTls()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setProtocol(QSsl::TlsV1_2OrLater); // SECURITY.md T7
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!m_policy.extraCaCertificates.isEmpty())
        config.addCaCertificates(m_policy.extraCaCertificates);
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(m_policy.peerVerifyName.isEmpty() ? m_host : m_policy.peerVerifyName);
}

void Connection::connectToHost(const QString &host, quint16 port, bool implicitTls)
{
    m_host = host;
    m_port = port;
    m_implicitTls = implicitTls;
    configureTls();
    if (implicitTls) {
        m_handshaking = true;
        m_socket->connectToHostEncrypted(host, port, m_socket->peerVerifyName());
    } else {
        m_socket->connectToHost(host, port);
    }
}

void Connection::startTls()
{
    // Anything still unread arrived before the handshake: drop it, never hand it to the protocol.
    m_socket->readAll();
    m_handshaking = true;
    m_socket->startClientEncryption();
}

void Connection::write(const QByteArray &bytes)
{
    m_socket->write(bytes);
}

void Connection::disconnectFromHost()
{
    m_socket->disconnectFromHost();
}

void Connection::abort()
{
    m_failed = true;
    m_socket->abort();
}

bool Connection::isEncrypted() const
{
    return m_socket->isEncrypted();
}

TlsSessionInfo Connection::tlsSession() const
{
    TlsSessionInfo info;
    info.encrypted = m_socket->isEncrypted();
    if (!info.encrypted)
        return info;
    info.protocol = m_socket->sessionProtocol();
    info.cipher = m_socket->sessionCipher().name();
    info.peerSha256 = m_socket->peerCertificate().digest(QCryptographicHash::Sha256);
    info.pinned = m_pinned;
    return info;
}

void Connection::onSslErrors(const QList<QSslError> &errors)
{
    const QSslCertificate leaf = m_socket->peerCertificate();
    const CertificateInfo info = CertificateInfo::from(leaf, errors);
    // The one exception: the user pinned this exact certificate (T6). Only the errors reported for it are
    // ignored, and only when the fingerprint matches byte for byte.
    QByteArray pin = m_policy.pinnedSha256;
    for (const TlsPolicy::Pin &p : m_policy.pins) {
        if (pin.isEmpty() && p.port == m_port && p.host.compare(m_host, Qt::CaseInsensitive) == 0)
            pin = p.sha256;
    }
    if (!pin.isEmpty() && !leaf.isNull() && info.sha256Fingerprint == pin) {
        m_pinned = true;
        m_socket->ignoreSslErrors(errors);
        return;
    }
    m_certificate = info;
}

void Connection::onReadyRead()
{
    if (m_handshaking)
        return; // QSslSocket delivers nothing before the handshake; this is belt and braces
    const QByteArray bytes = m_socket->readAll();
    if (!bytes.isEmpty())
        Q_EMIT received(bytes);
}

void Connection::onSocketError()
{
    if (m_failed)
        return;
    const QAbstractSocket::SocketError e = m_socket->error();
    if (e == QAbstractSocket::RemoteHostClosedError && !m_handshaking)
        return; // disconnected() follows and reports closed()
    m_errorString = m_socket->errorString();
    switch (e) {
    case QAbstractSocket::HostNotFoundError:
        m_error = ConnectionError::HostNotFound;
        break;
    case QAbstractSocket::ConnectionRefusedError:
        m_error = ConnectionError::ConnectionRefused;
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
    case QAbstractSocket::RemoteHostClosedError: // closed during the handshake
        m_error = m_certificate ? ConnectionError::CertificateInvalid : ConnectionError::TlsHandshakeFailed;
        break;
    default:
        m_error = m_certificate ? ConnectionError::CertificateInvalid : ConnectionError::Network;
        break;
    }
    m_failed = true;
    m_socket->abort();
    Q_EMIT failed(m_error);
}

} // namespace tern::protocols
