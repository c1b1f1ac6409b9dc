// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeserver.h"

#include "labenv.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslSocket>

namespace tern::test {

FakeServer::FakeServer(QObject *parent)
    : QTcpServer(parent)
{
}

FakeServer::~FakeServer() = default;

bool FakeServer::loadScript(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_failure = QStringLiteral("cannot read script ") + path;
        return false;
    }
    return setScript(file.readAll());
}

bool FakeServer::setScript(const QByteArray &text)
{
    m_steps.clear();
    m_pos = 0;
    for (QByteArray line : text.split('\n')) {
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        if (line.startsWith("S: ") || line == "S:") {
            m_steps.append({Step::Kind::Send, line.mid(3)});
        } else if (line.startsWith("C: ") || line == "C:") {
            m_steps.append({Step::Kind::Expect, line.mid(3)});
        } else if (line.startsWith("C* ")) {
            m_steps.append({Step::Kind::ExpectPrefix, line.mid(3)});
        } else if (line == "!starttls") {
            m_steps.append({Step::Kind::StartTls, {}});
        } else if (line == "!close") {
            m_steps.append({Step::Kind::Close, {}});
        } else if (line == "!expect-close") {
            m_steps.append({Step::Kind::ExpectClose, {}});
        } else if (line == "!accept") {
            m_steps.append({Step::Kind::Accept, {}});
        } else if (line.startsWith("!flood ")) {
            m_steps.append({Step::Kind::Flood, {}, line.mid(7).toLongLong()});
        } else if (line.startsWith("!scram-sha256 bad-signature")) {
            // Optional continuation prefix: "334" (SMTP, the default) or "+" (POP3).
            const QByteArray prefix = line.mid(27).trimmed();
            m_steps.append({Step::Kind::ScramBadSignature, prefix.isEmpty() ? QByteArray("334") : prefix});
        } else {
            m_failure = QStringLiteral("script syntax: ") + QString::fromUtf8(line);
            return false;
        }
    }
    return true;
}

void FakeServer::setCertificate(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

bool FakeServer::useLabCertificate(const LabEnv &lab, bool trusted)
{
    const QString dir = lab.value(QStringLiteral("TERN_LAB_DIR")) + QStringLiteral("/tls/");
    const QString certPath = trusted ? dir + QStringLiteral("server.pem") : lab.value(QStringLiteral("TERN_LAB_UNTRUSTED_CERT"));
    const QString keyPath = trusted ? dir + QStringLiteral("server.key") : lab.value(QStringLiteral("TERN_LAB_UNTRUSTED_KEY"));
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return false;
    const QSslCertificate cert(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    if (cert.isNull() || key.isNull())
        return false;
    setCertificate(cert, key);
    return true;
}

bool FakeServer::start()
{
    return listen(QHostAddress::LocalHost, 0);
}

void FakeServer::incomingConnection(qintptr socketDescriptor)
{
    const bool next = m_socket && m_clientClosed && m_pos < m_steps.size()
                      && m_steps.at(m_pos).kind == Step::Kind::Accept;
    if (next) { // !accept: the script goes on with this connection
        m_socket->disconnect(this);
        m_socket->deleteLater();
        m_socket = nullptr;
        m_clientClosed = false;
        m_lines.clear();
        ++m_pos;
    }
    if (m_socket) { // one client per script
        QTcpSocket extra;
        extra.setSocketDescriptor(socketDescriptor);
        extra.abort();
        return;
    }
    m_socket = new QSslSocket(this);
    if (!m_socket->setSocketDescriptor(socketDescriptor)) {
        failWith(QStringLiteral("cannot adopt socket"));
        return;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(m_certificate);
    config.setPrivateKey(m_key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    config.setProtocol(m_protocol);
    m_socket->setSslConfiguration(config);

    connect(m_socket, &QSslSocket::readyRead, this, [this] {
        m_lines.feed(m_socket->readAll());
        run();
    });
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_waitingForTls = false;
        run();
    });
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] { feedFlood(); });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        m_clientClosed = true;
        m_floodLeft = 0;
        if (m_pos < m_steps.size() && m_steps.at(m_pos).kind == Step::Kind::ExpectClose) {
            ++m_pos;
            if (m_pos >= m_steps.size() && m_failure.isEmpty())
                Q_EMIT scriptDone();
        }
        Q_EMIT clientClosed();
    });
    if (m_implicitTls) {
        m_waitingForTls = true;
        m_socket->startServerEncryption();
        return;
    }
    run();
}

void FakeServer::run()
{
    while (m_socket && m_failure.isEmpty() && !m_waitingForTls && m_floodLeft == 0) {
        if (m_pos >= m_steps.size()) {
            flush();
            // Anything after the script's end is a line the client should not have sent.
            if (auto line = m_lines.takeLine()) {
                m_clientLines.append(*line);
                failWith(QStringLiteral("unexpected line after the script: ") + QString::fromUtf8(*line));
            }
            return;
        }
        const Step &step = m_steps.at(m_pos);
        switch (step.kind) {
        case Step::Kind::Send:
            m_pendingWrite += step.text + "\r\n";
            ++m_pos;
            break;
        case Step::Kind::Expect:
        case Step::Kind::ExpectPrefix: {
            flush();
            const auto line = m_lines.takeLine();
            if (!line)
                return;
            m_clientLines.append(*line);
            const bool ok = step.kind == Step::Kind::Expect ? *line == step.text : line->startsWith(step.text);
            if (!ok) {
                failWith(QStringLiteral("expected \"%1\", got \"%2\"")
                             .arg(QString::fromUtf8(step.text), QString::fromUtf8(*line)));
                return;
            }
            ++m_pos;
            break;
        }
        case Step::Kind::StartTls:
            flush();
            ++m_pos;
            m_lines.clear();
            m_waitingForTls = true;
            m_socket->startServerEncryption();
            return;
        case Step::Kind::Close:
            flush();
            ++m_pos;
            m_socket->disconnectFromHost();
            break;
        case Step::Kind::Flood:
            flush();
            m_floodLeft = step.count;
            ++m_pos;
            feedFlood();
            return;
        case Step::Kind::Accept:
            flush();
            return; // incomingConnection() goes on
        case Step::Kind::ExpectClose:
            flush();
            if (auto line = m_lines.takeLine()) {
                m_clientLines.append(*line);
                failWith(QStringLiteral("expected the client to close, got \"%1\"").arg(QString::fromUtf8(*line)));
            }
            return;
        case Step::Kind::ScramBadSignature: {
            flush();
            const auto line = m_lines.takeLine();
            if (!line)
                return;
            m_clientLines.append(*line);
            if (!scramStep(*line))
                return;
            break;
        }
        }
        if (m_pos >= m_steps.size()) {
            flush();
            Q_EMIT scriptDone();
        }
    }
}

bool FakeServer::scramStep(const QByteArray &line)
{
    if (m_scramStage == 0) {
        // "AUTH SCRAM-SHA-256 <base64 client-first>" (SMTP) or the bare base64 line (POP3 AUTH, IMAP).
        const QByteArray b64 = line.mid(line.lastIndexOf(' ') + 1);
        const QByteArray clientFirst = QByteArray::fromBase64(b64);
        const qsizetype r = clientFirst.indexOf(",r=");
        if (r < 0) {
            failWith(QStringLiteral("no SCRAM client-first message"));
            return false;
        }
        m_scramNonce = clientFirst.mid(r + 3);
        const QByteArray serverFirst = "r=" + m_scramNonce + "fake,s=" + QByteArray("salt-salt").toBase64() + ",i=4096";
        m_pendingWrite += m_steps.at(m_pos).text + ' ' + serverFirst.toBase64() + "\r\n";
        m_scramStage = 1;
        flush();
        return false; // wait for the client-final message
    }
    // Any client-final message gets a signature computed from nothing: 32 bytes that cannot be right.
    m_pendingWrite += m_steps.at(m_pos).text + ' ' + QByteArray("v=" + QByteArray(32, 'x').toBase64()).toBase64() + "\r\n";
    m_scramStage = 0;
    ++m_pos;
    return true;
}

void FakeServer::flush()
{
    if (m_socket && !m_pendingWrite.isEmpty())
        m_socket->write(std::exchange(m_pendingWrite, QByteArray()));
}

void FakeServer::feedFlood()
{
    if (!m_socket || m_floodLeft <= 0)
        return;
    // Keep about 1 MB in flight: a 100 MB line never sits in our own memory at once.
    constexpr qint64 chunk = 1024 * 1024;
    // One chunk per bytesWritten(): the count reflects what left for the client, not what we queued.
    if (m_floodLeft > 0 && m_socket->bytesToWrite() + m_socket->encryptedBytesToWrite() < chunk
        && m_socket->state() == QAbstractSocket::ConnectedState) {
        const qint64 n = qMin(chunk, m_floodLeft);
        m_socket->write(QByteArray(n, 'A'));
        m_floodLeft -= n;
        m_flooded += n;
    }
    if (m_floodLeft == 0)
        run();
}

void FakeServer::failWith(const QString &why)
{
    if (m_failure.isEmpty())
        m_failure = why;
    if (m_socket)
        m_socket->abort();
}

} // namespace tern::test
