// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapidle.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"
#include "sync/imapsync.h"
#include "sync/tracedsession.h"

namespace tern::sync {

using imap::Session;

ImapIdle::ImapIdle(accounts::Account account, QByteArray password, QString storePath, QString folder, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_storePath(std::move(storePath))
    , m_folder(std::move(folder))
{
}

ImapIdle::~ImapIdle() = default;

void ImapIdle::start()
{
    m_client = new imap::ImapClient(imapConfig(m_account, m_password), this);
    m_client->setServer(m_account.incoming.host, m_account.incoming.port);
    m_client->setTlsPolicy(tlsPolicy(m_account));
    m_trace = std::make_unique<TracedSession>();
    m_trace->begin(m_traceLog, m_account, *m_client);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this] {
        m_trace->loggedIn(*m_client);
        if (!m_client->session().hasCapability("IDLE")) {
            fail(Error::NoIdle, QStringLiteral("the server does not offer IDLE: new mail is seen at the next sync"));
            m_client->logout();
            return;
        }
        // QRESYNC makes pushes name UIDs (VANISHED instead of EXPUNGE, RFC 7162 §3.2.10); not needed here,
        // but it spares the server sequence bookkeeping for us. EXAMINE: watching never changes \Recent.
        if (m_client->session().hasCapability("QRESYNC"))
            m_client->enable({"QRESYNC"});
        m_client->select(imap::encodeMailboxName(m_folder, m_client->session().encodeOptions().utf8Accepted), true);
        m_client->idle();
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        using Kind = Session::Event::Kind;
        if (e.kind == Kind::IdleStarted) {
            if (!m_idling) {
                m_idling = true;
                Q_EMIT idling();
            }
        } else if (e.kind == Kind::CommandFinished && e.result.error != Session::Error::None
                   && e.result.error != Session::Error::ConnectionClosed && !m_stopping) {
            fail(Error::Protocol, QStringLiteral("the server refused %1: server said %2")
                                      .arg(QString::fromLatin1(e.result.command), QString::fromUtf8(e.result.text)));
            m_client->logout();
        } else if (e.kind == Kind::Untagged && m_idling) {
            const imap::Response &r = e.response;
            if (r.get<imap::ExistsData>() || r.get<imap::ExpungeData>() || r.get<imap::VanishedData>()
                || r.get<imap::FetchData>())
                onPush();
        }
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        m_idling = false;
        const QString where = QStringLiteral("%1:%2").arg(m_account.incoming.host).arg(m_account.incoming.port);
        const Failure failure = imapFailure(*m_client, where);
        if (const auto error = errorFor<Error>(failure.kind))
            fail(*error, failure.message);
        else if (!m_stopping)
            fail(Error::Connection, QStringLiteral("connection to %1 ended while waiting for new mail").arg(where));
        m_trace->end(m_error == Error::None ? QString() : m_errorString);
        if (!m_sync)
            QMetaObject::invokeMethod(this, &ImapIdle::finished, Qt::QueuedConnection);
    });
    m_client->start();
}

void ImapIdle::stop()
{
    m_stopping = true;
    if (m_client && !m_client->isFinished()) {
        m_client->stopIdle();
        m_client->logout();
    }
}

void ImapIdle::onPush()
{
    if (m_sync) {
        m_dirty = true; // the running sync may have missed it: one more after it
        return;
    }
    runSync();
}

void ImapIdle::runSync()
{
    m_dirty = false;
    m_sync = new ImapSync(m_account, m_password, m_storePath, this);
    m_sync->setFolder(m_folder);
    m_sync->setTraceLog(m_traceLog);
    connect(m_sync, &ImapSync::finished, this, [this] {
        ImapSync *done = m_sync;
        m_sync = nullptr;
        done->deleteLater();
        if (done->error() != ImapSync::Error::None) {
            fail(Error::Sync, done->errorString());
        } else {
            if (done->addedCount() > 0)
                Q_EMIT newMail(done->addedCount());
            // A sync that found nothing new (the catch-up after IDLE starts, a push of what we already hold)
            // must not make the window re-read a 100k folder while the user scrolls it.
            if (done->addedCount() > 0 || done->updatedCount() > 0 || done->removedCount() > 0)
                Q_EMIT changed();
        }
        if (m_client->isFinished())
            Q_EMIT finished();
        else if (m_dirty && !m_stopping)
            runSync();
    });
    m_sync->start();
}

void ImapIdle::fail(Error error, const QString &message)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
}

} // namespace tern::sync
