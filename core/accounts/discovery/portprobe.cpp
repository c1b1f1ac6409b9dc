// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/portprobe.h"

#include <QTcpSocket>
#include <QTimer>

namespace tern::accounts {

PortProbe::PortProbe(QString address, DiscoverySettings settings, QObject *parent)
    : QObject(parent)
    , m_address(std::move(address))
    , m_settings(std::move(settings))
{
    QString local;
    splitAddress(m_address, &local, &m_domain);
}

QList<PortProbe::Attempt> PortProbe::attemptsFor(const QString &domain, const DiscoverySettings &s)
{
    struct Plan
    {
        ServerProtocol protocol;
        QStringList prefixes;
        quint16 tlsPort;
        quint16 startTlsPort;
    };
    const Plan plans[] = {
        {ServerProtocol::Imap, {QStringLiteral("imap."), QStringLiteral("mail."), QString()}, s.imapTlsPort, s.imapStartTlsPort},
        {ServerProtocol::Pop3, {QStringLiteral("pop."), QStringLiteral("pop3."), QStringLiteral("mail."), QString()},
         s.pop3TlsPort, s.pop3StartTlsPort},
        {ServerProtocol::Smtp, {QStringLiteral("smtp."), QStringLiteral("mail."), QString()}, s.smtpTlsPort, s.smtpStartTlsPort},
    };
    QList<Attempt> attempts;
    for (const Plan &plan : plans) {
        for (Security security : {Security::Tls, Security::StartTls}) {
            for (const QString &prefix : plan.prefixes) {
                const quint16 port = security == Security::Tls ? plan.tlsPort : plan.startTlsPort;
                attempts.append({plan.protocol, prefix + domain, port, security});
            }
        }
    }
    return attempts;
}

QString PortProbe::origin() const
{
    return QStringLiteral("imap., pop., pop3., smtp., mail.%1 and %1").arg(m_domain);
}

void PortProbe::start()
{
    if (m_domain.isEmpty()) {
        m_error = QStringLiteral("not an e-mail address");
        QMetaObject::invokeMethod(this, &PortProbe::finished, Qt::QueuedConnection);
        return;
    }
    m_attempts = attemptsFor(m_domain, m_settings);
    m_pending = int(m_attempts.size());
    for (qsizetype i = 0; i < m_attempts.size(); ++i) {
        auto *socket = new QTcpSocket(this);
        auto *timer = new QTimer(socket);
        timer->setSingleShot(true);
        auto done = [this, socket, i](bool open) {
            if (socket->property("done").toBool())
                return;
            socket->setProperty("done", true);
            m_attempts[i].open = open;
            socket->abort();
            socket->deleteLater();
            if (--m_pending == 0)
                complete();
        };
        connect(socket, &QTcpSocket::connected, this, [done] { done(true); });
        connect(socket, &QTcpSocket::errorOccurred, this, [done] { done(false); });
        connect(timer, &QTimer::timeout, this, [done] { done(false); });
        timer->start(m_settings.timeoutMs);
        const Attempt &a = m_attempts.at(i);
        socket->connectToHost(m_settings.connectHost(a.host), a.port);
    }
}

void PortProbe::complete()
{
    DiscoveredConfig config;
    config.source = DiscoverySource::Guess;
    config.origin = origin();
    config.verified = false;
    for (ServerProtocol protocol : {ServerProtocol::Imap, ServerProtocol::Pop3, ServerProtocol::Smtp}) {
        for (const Attempt &a : std::as_const(m_attempts)) {
            if (a.protocol != protocol || !a.open)
                continue;
            ServerSetting server{protocol, a.host, a.port, a.security, m_address.trimmed(), {}};
            (protocol == ServerProtocol::Smtp ? config.outgoing : config.incoming).append(server);
            break; // the best one that answered
        }
    }
    if (config.incoming.isEmpty() && config.outgoing.isEmpty())
        m_error = QStringLiteral("no common mail host name of %1 answered").arg(m_domain);
    else
        m_result = config;
    Q_EMIT finished();
}

} // namespace tern::accounts
