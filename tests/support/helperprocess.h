// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace tern::test {

// A server a test starts for itself (an HTTPS autoconfig server, a TLS relay, dnsmasq), on 127.0.0.1.
// start() returns once the process said it is ready; the destructor stops it.
class HelperProcess
{
public:
    HelperProcess() = default;
    ~HelperProcess();
    HelperProcess(const HelperProcess &) = delete;
    HelperProcess &operator=(const HelperProcess &) = delete;

    // Scripts under tests/support that print "READY <port>" on stdout.
    bool startScript(const QString &script, const QStringList &args);
    // dnsmasq on a free UDP/TCP port of 127.0.0.1 answering only from its command line (no resolv.conf,
    // no /etc/hosts, no upstream: nothing it is asked leaves the machine). records: dnsmasq options such as
    // "--srv-host=_imaps._tcp.lab.test,127.0.0.1,993".
    bool startDnsmasq(const QStringList &records);

    quint16 port() const { return m_port; }
    QHostAddress address() const { return QHostAddress::LocalHost; }
    QString error() const { return m_error; }
    // What the process printed after READY (autoconfig_server.py: one "GET <path>" per request).
    QByteArray output();

private:
    bool waitFor(const QByteArray &marker, QProcess::ProcessChannel channel, int timeoutMs);

    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
    QByteArray m_buffer;
};

} // namespace tern::test
