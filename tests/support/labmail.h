// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labenv.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace tern::test {

// Mail traffic on the lab for end-to-end tests, through Tern's own protocol clients and the lab's CA:
// what a test needs to put mail in a mailbox and look at the server's side afterwards.
class LabMail
{
public:
    explicit LabMail(const LabEnv &lab) : m_lab(lab) { }

    // Submits each message from sender to `to` over SUBMISSIONS; true when Postfix accepted every one.
    bool submit(const LabEnv::User &sender, const QString &to, const QList<QByteArray> &messages) const;
    // STAT over POP3S: how many messages the server holds for user (-1 on failure).
    qint64 pop3Count(const LabEnv::User &user) const;

    // A small RFC 5322 message with a Message-ID derived from the subject.
    static QByteArray message(const LabEnv::User &from, const LabEnv::User &to, const QByteArray &subject,
                              const QByteArray &body);

    // tern-cli account add for user on the lab, trusting the lab's CA; incoming "pop3" or "imap" on
    // incomingPort (implicit TLS), SMTP on smtpPort (0: the lab's SUBMISSIONS), implicit TLS. Returns
    // tern-cli's stderr on failure, empty on success.
    static QByteArray addAccount(const QString &program, const QString &profile, const LabEnv &lab,
                                 const QString &name, const LabEnv::User &user, const QString &incoming,
                                 quint16 incomingPort, quint16 smtpPort = 0);

private:
    const LabEnv &m_lab;
};

} // namespace tern::test
