// SPDX-License-Identifier: GPL-3.0-or-later
#include "labmail.h"

#include "clirunner.h"
#include "pop3/pop3client.h"
#include "smtp/smtpclient.h"

#include <QSignalSpy>

namespace tern::test {

namespace {

protocols::TlsPolicy labPolicy(const LabEnv &lab)
{
    protocols::TlsPolicy p;
    p.extraCaCertificates = lab.caCertificates();
    return p;
}

} // namespace

bool LabMail::submit(const LabEnv::User &sender, const QString &to, const QList<QByteArray> &messages) const
{
    smtp::SessionConfig config;
    config.security = smtp::Security::ImplicitTls;
    config.credentials = sasl::Credentials{{}, sender.address, sender.password, {}, {}, 0};
    smtp::SmtpClient client(config);
    client.setTlsPolicy(labPolicy(m_lab));
    client.setServer(m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")));
    for (const QByteArray &data : messages) {
        smtp::OutgoingMessage m;
        m.from = sender.address.toUtf8();
        m.recipients.append(smtp::Recipient{to.toUtf8(), 0, false, {}});
        m.data = data;
        client.addMessage(m);
    }
    QSignalSpy finished(&client, &smtp::SmtpClient::finished);
    client.start();
    if (!finished.wait(60000) || client.error() != smtp::SessionError::None)
        return false;
    for (const auto &r : client.results()) {
        if (r.outcome != smtp::MessageResult::Outcome::Accepted)
            return false;
    }
    return true;
}

qint64 LabMail::pop3Count(const LabEnv::User &user) const
{
    pop3::SessionConfig config;
    config.credentials.username = user.address;
    config.credentials.password = user.password;
    pop3::Pop3Client client(config);
    client.setTlsPolicy(labPolicy(m_lab));
    client.setServer(m_lab.host(), m_lab.port(QStringLiteral("POP3S")));
    QSignalSpy loggedIn(&client, &pop3::Pop3Client::loggedIn);
    QSignalSpy idle(&client, &pop3::Pop3Client::idle);
    QSignalSpy finished(&client, &pop3::Pop3Client::finished);
    client.start();
    if (!loggedIn.wait(30000))
        return -1;
    client.enqueue({pop3::Request::Kind::Stat});
    if (!idle.wait(30000))
        return -1;
    const auto results = client.takeResults();
    client.quit();
    finished.wait(30000);
    return results.isEmpty() ? -1 : results.constFirst().count;
}

QByteArray LabMail::message(const LabEnv::User &from, const LabEnv::User &to, const QByteArray &subject,
                            const QByteArray &body)
{
    return "From: " + from.address.toUtf8() + "\r\nTo: " + to.address.toUtf8() + "\r\nSubject: " + subject
           + "\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMessage-ID: <" + subject.toHex() + "@lab.test>\r\n"
           + "MIME-Version: 1.0\r\n" + body;
}

QByteArray LabMail::addAccount(const QString &program, const QString &profile, const LabEnv &lab,
                               const QString &name, const LabEnv::User &user, const QString &incoming,
                               quint16 incomingPort, quint16 smtpPort)
{
    const QStringList args{
        QStringLiteral("account"), QStringLiteral("add"), name, QStringLiteral("--email"), user.address,
        QStringLiteral("--incoming"), incoming, QStringLiteral("--incoming-host"), lab.host(),
        QStringLiteral("--incoming-port"), QString::number(incomingPort), QStringLiteral("--incoming-security"),
        QStringLiteral("tls"), QStringLiteral("--smtp-host"), lab.host(), QStringLiteral("--smtp-port"),
        QString::number(smtpPort ? smtpPort : lab.port(QStringLiteral("SUBMISSIONS"))), QStringLiteral("--smtp-security"),
        QStringLiteral("tls"), QStringLiteral("--user"), user.address, QStringLiteral("--password-stdin"),
        QStringLiteral("--ca-file"), lab.caFile()};
    const CliRunner::Result r = CliRunner(program, profile).run(args, user.password.toUtf8() + '\n');
    return r.code == 0 ? QByteArray() : (r.err.isEmpty() ? QByteArray("tern-cli failed") : r.err);
}

} // namespace tern::test
