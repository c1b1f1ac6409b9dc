// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapidle.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"
#include "sync/imapsync.h"
#include "sync/tracedsession.h"

#include <QTimer>

namespace tern::sync {

using imap::Session;

ImapIdle::ImapIdle(accounts::Account account, QByteArray password, QString storePath, QString folder, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_storePath(std::move(storePath))
    , m_folder(std::move(folder))
    , m_refresh(new QTimer(this))
    , m_answer(new QTimer(this))
{
    m_refresh->setSingleShot(true);
    m_answer->setSingleShot(true);
    connect(m_refresh, &QTimer::timeout, this, &ImapIdle::reissue);
    connect(m_answer, &QTimer::timeout, this, [this] {
        if (!m_client || m_client->isFinished())
            return;
        fail(Error::Timeout, QStringLiteral("no answer from %1:%2 within %3 s to %4: the connection is dead")
                                 .arg(m_account.incoming.host)
                                 .arg(m_account.incoming.port)
                                 .arg(m_timings.answerMs / 1000.0)
                                 .arg(m_awaited));
        m_client->abort(); // LOGOUT would wait as long again
    });
}

ImapIdle::~ImapIdle() = default;

void ImapIdle::start()
{
    m_client = newImapClient(m_account, m_password, m_timings.answerMs, this); // connecting, logging in and LOGOUT
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
        watchAnswer(QStringLiteral("EXAMINE and IDLE"));
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        using Kind = Session::Event::Kind;
        if (e.kind == Kind::IdleStarted) {
            idleStarted();
        } else if (e.kind == Kind::CommandFinished && e.result.command == "IDLE" && m_reissuing
                   && e.result.error == Session::Error::None) {
            idleEnded();
        } else if (e.kind == Kind::CommandFinished && e.result.error != Session::Error::None
                   && e.result.error != Session::Error::ConnectionClosed && !m_stopping
                   && m_client->isLoggedIn()) { // a refused login is the client's own error (Authentication)
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
        m_refresh->stop();
        m_answer->stop();
        if (const auto failed = imapSessionEnd<Error>(*m_client, m_account, m_stopping, QStringLiteral("while waiting for new mail")))
            fail(failed->first, failed->second);
        m_trace->end(m_error == Error::None ? QString() : m_errorString);
        if (!m_sync)
            QMetaObject::invokeMethod(this, &ImapIdle::finished, Qt::QueuedConnection);
    });
    m_client->start();
}

void ImapIdle::idleStarted()
{
    m_answer->stop();
    m_refresh->start(m_timings.refreshMs);
    if (!m_idling) {
        m_idling = true;
        Q_EMIT idling();
    }
}

// RFC 2177 §3: DONE, then IDLE again, so the server's inactivity timer never ends the session; the tagged
// answer to DONE doubles as a probe: a link that died silently shows here, and nowhere else while idling.
void ImapIdle::reissue()
{
    if (m_stopping || !m_client || m_client->isFinished())
        return;
    m_reissuing = true;
    m_client->stopIdle();
    watchAnswer(QStringLiteral("DONE"));
}

void ImapIdle::idleEnded()
{
    m_reissuing = false;
    m_answer->stop();
    if (!m_stopping) {
        m_client->idle();
        watchAnswer(QStringLiteral("IDLE"));
    }
}

void ImapIdle::watchAnswer(const QString &what)
{
    m_awaited = what;
    m_answer->start(m_timings.answerMs);
}

void ImapIdle::stop()
{
    m_stopping = true;
    m_refresh->stop();
    m_answer->stop();
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
            Q_EMIT synced();
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
    // The first fault wins, except a failed sync: that happened on another connection, and why this one
    // ended says more about whether to come back.
    if (m_error != Error::None && m_error != Error::Sync)
        return;
    m_error = error;
    m_errorString = message;
}

} // namespace tern::sync
