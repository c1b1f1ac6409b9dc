// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/imapclient.h"

#include <QList>
#include <QString>

namespace tern::test {

class LabEnv;

// "Another client" for tests of IMAP sync: a logged-in ImapClient on the lab's implicit-TLS port whose
// commands run one at a time to their tagged answer, keeping the untagged data each produced.
class LabImap
{
public:
    LabImap(const LabEnv &lab, const QString &user, const QString &password);
    ~LabImap();

    bool isLoggedIn() const { return m_loggedIn; }
    // Runs a command to its tagged answer; false when it did not end with OK.
    bool run(imap::Command command);
    bool select(const QByteArray &mailbox);
    // APPEND to mailbox; returns the new UID (APPENDUID, RFC 4315), 0 on failure.
    quint32 append(const QByteArray &mailbox, const QByteArray &message, const QList<QByteArray> &flags = {});
    imap::EncodeOptions options() { return m_client.session().encodeOptions(); }
    imap::ImapClient &client() { return m_client; }
    const imap::Session::Result &result() const { return m_result; }
    const QList<imap::Response> &untagged() const { return m_untagged; }

private:
    bool wait(const QByteArray &tag);

    imap::ImapClient m_client;
    QList<imap::Session::Event> m_events;
    QList<imap::Response> m_untagged;
    imap::Session::Result m_result;
    bool m_loggedIn = false;
};

} // namespace tern::test
