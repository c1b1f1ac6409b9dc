// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/tracedsession.h"

#include "accounts/account.h"
#include "diagnostics/protocolsink.h"
#include "diagnostics/tracelog.h"
#include "imap/imapclient.h"
#include "sync/connectionsettings.h"

#include <QStringList>

namespace tern::sync {

void TracedSession::begin(diagnostics::TraceLog *log, const accounts::Account &account, imap::ImapClient &client)
{
    m_log = log;
    if (!m_log)
        return;
    m_session = m_log->beginSession(account.name, QStringLiteral("IMAP"),
                                    QStringLiteral("%1:%2").arg(account.incoming.host).arg(account.incoming.port));
    client.setTraceSink(diagnostics::sinkFor(m_log, m_session));
}

void TracedSession::loggedIn(const imap::ImapClient &client)
{
    if (!m_log || !m_session)
        return;
    m_log->setTls(m_session, tlsDescription(client.tlsSession()));
    QStringList capabilities;
    for (const QByteArray &c : client.session().capabilities())
        capabilities.append(QString::fromLatin1(c));
    m_log->setCapabilities(m_session, capabilities);
}

void TracedSession::end(const QString &outcome)
{
    if (m_log && m_session)
        m_log->endSession(m_session, outcome);
    m_session = 0;
}

} // namespace tern::sync
