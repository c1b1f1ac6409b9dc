// SPDX-License-Identifier: GPL-3.0-or-later
#include "labimap.h"

#include "labenv.h"

#include <QTest>

namespace tern::test {

using imap::Session;

namespace {

imap::ImapClient::Config config(const QString &user, const QString &password)
{
    imap::ImapClient::Config c;
    c.security = imap::ImapClient::Security::ImplicitTls;
    c.credentials.username = user;
    c.credentials.password = password;
    return c;
}

} // namespace

LabImap::LabImap(const LabEnv &lab, const QString &user, const QString &password)
    : m_client(config(user, password))
{
    protocols::TlsPolicy policy;
    policy.extraCaCertificates = lab.caCertificates();
    policy.peerVerifyName = QStringLiteral("localhost");
    m_client.setTlsPolicy(policy);
    m_client.setServer(lab.host(), lab.port(QStringLiteral("IMAPS")));
    QObject::connect(&m_client, &imap::ImapClient::sessionEvent, &m_client,
                     [this](const Session::Event &e) { m_events.append(e); });
    QObject::connect(&m_client, &imap::ImapClient::loggedIn, &m_client, [this] { m_loggedIn = true; });
    m_client.start();
    (void)QTest::qWaitFor([this] { return m_loggedIn || m_client.isFinished(); }, 20000);
}

LabImap::~LabImap()
{
    if (!m_client.isFinished()) {
        m_client.logout();
        (void)QTest::qWaitFor([this] { return m_client.isFinished(); }, 10000);
    }
}

bool LabImap::wait(const QByteArray &tag)
{
    m_untagged.clear();
    m_result = {};
    if (tag.isEmpty())
        return false;
    const qsizetype start = m_events.size();
    qsizetype done = -1;
    (void)QTest::qWaitFor([&] {
        for (qsizetype i = start; i < m_events.size() && done < 0; ++i) {
            if (m_events[i].kind == Session::Event::Kind::CommandFinished && m_events[i].result.tag == tag)
                done = i;
        }
        return done >= 0 || m_client.isFinished();
    }, 30000);
    if (done < 0)
        return false;
    for (qsizetype j = start; j < done; ++j) {
        if (m_events[j].kind == Session::Event::Kind::Untagged)
            m_untagged.append(m_events[j].response);
    }
    m_result = m_events[done].result;
    return m_result.error == Session::Error::None;
}

bool LabImap::run(imap::Command command)
{
    return wait(m_client.send(std::move(command)));
}

bool LabImap::select(const QByteArray &mailbox)
{
    return wait(m_client.select(mailbox));
}

quint32 LabImap::append(const QByteArray &mailbox, const QByteArray &message, const QList<QByteArray> &flags)
{
    if (!run(imap::commands::append(mailbox, message, options(), flags))
        || m_result.code.kind != imap::ResponseCode::Kind::AppendUid || m_result.code.set.isEmpty())
        return 0;
    return m_result.code.set.ranges().first().first;
}

} // namespace tern::test
