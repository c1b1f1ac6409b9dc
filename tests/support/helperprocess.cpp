// SPDX-License-Identifier: GPL-3.0-or-later
#include "helperprocess.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QUdpSocket>

namespace tern::test {

HelperProcess::~HelperProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
}

bool HelperProcess::waitFor(const QByteArray &marker, QProcess::ProcessChannel channel, int timeoutMs)
{
    m_process.setReadChannel(channel);
    const QDeadlineTimer deadline(timeoutMs);
    while (!m_buffer.contains(marker)) {
        if (m_process.state() == QProcess::NotRunning || deadline.hasExpired()) {
            m_error = QStringLiteral("%1 did not become ready: %2%3")
                          .arg(m_process.program(), QString::fromUtf8(m_buffer),
                               QString::fromUtf8(m_process.readAllStandardError()));
            return false;
        }
        // Blocks only this test's thread, and only until the helper writes: no fixed sleep.
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_buffer += m_process.readAll();
    }
    return true;
}

bool HelperProcess::startScript(const QString &script, const QStringList &args)
{
    const QString path = qEnvironmentVariable("TERN_SOURCE_DIR") + QStringLiteral("/tests/support/") + script;
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(QStringLiteral("python3"), QStringList{path} + args);
    if (!waitFor("\n", QProcess::StandardOutput, 30000))
        return false;
    const qsizetype end = m_buffer.indexOf('\n');
    const QByteArray line = m_buffer.left(end).trimmed();
    m_buffer.remove(0, end + 1);
    if (!line.startsWith("READY ")) {
        m_error = QStringLiteral("%1 said: %2").arg(script, QString::fromUtf8(line));
        return false;
    }
    m_port = quint16(line.mid(6).toUInt());
    return m_port != 0;
}

bool HelperProcess::startDnsmasq(const QStringList &records)
{
    // A port free for both UDP and TCP right now; dnsmasq cannot report one it chose itself.
    for (int attempt = 0; attempt < 20 && m_port == 0; ++attempt) {
        QUdpSocket udp;
        if (!udp.bind(QHostAddress::LocalHost, 0))
            continue;
        QTcpServer tcp;
        if (tcp.listen(QHostAddress::LocalHost, udp.localPort()))
            m_port = udp.localPort();
    }
    if (m_port == 0) {
        m_error = QStringLiteral("no free port for dnsmasq");
        return false;
    }
    QStringList args = {QStringLiteral("--no-daemon"), QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
                        QStringLiteral("--no-poll"), QStringLiteral("--conf-file=/dev/null"),
                        QStringLiteral("--pid-file"), QStringLiteral("--log-facility=-"),
                        QStringLiteral("--listen-address=127.0.0.1"), QStringLiteral("--bind-interfaces"),
                        QStringLiteral("--port=%1").arg(m_port)};
    // dnsmasq drops root to "nobody"; as another user it keeps the one it runs as.
    if (const QByteArray user = qgetenv("USER"); !user.isEmpty() && user != "root")
        args << QStringLiteral("--user=%1").arg(QString::fromLocal8Bit(user));
    args << records;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("/usr/sbin/dnsmasq"), args);
    return waitFor("started", QProcess::StandardOutput, 30000);
}

QByteArray HelperProcess::output()
{
    m_buffer += m_process.readAll();
    return m_buffer;
}

} // namespace tern::test
