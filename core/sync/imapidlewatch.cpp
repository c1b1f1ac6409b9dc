// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapidlewatch.h"

#include <QTimer>

namespace tern::sync {

ImapIdleWatch::ImapIdleWatch(accounts::Account account, QByteArray password, QString storePath, QString folder,
                             QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_storePath(std::move(storePath))
    , m_folder(std::move(folder))
    , m_retry(new QTimer(this))
{
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &ImapIdleWatch::connectOnce);
}

ImapIdleWatch::~ImapIdleWatch()
{
    m_password.fill('\0');
}

void ImapIdleWatch::setTimings(const Timings &timings)
{
    m_timings = timings;
    m_backoff = Backoff(timings.firstRetryMs, timings.maxRetryMs);
}

void ImapIdleWatch::start()
{
    connectOnce();
}

void ImapIdleWatch::stop()
{
    m_stopping = true;
    m_retry->stop();
    if (m_idle) {
        m_idle->stop(); // ended() follows
        return;
    }
    setState(State::Stopped);
    QMetaObject::invokeMethod(this, &ImapIdleWatch::finished, Qt::QueuedConnection);
}

void ImapIdleWatch::retryNow()
{
    if (m_state == State::Retrying && m_retry->isActive()) {
        m_retry->stop();
        connectOnce();
    }
}

bool ImapIdleWatch::isTransient(ImapIdle::Error error)
{
    switch (error) {
    case ImapIdle::Error::Certificate:    // the user has to look at it
    case ImapIdle::Error::Authentication: // retrying a wrong password could lock the account
    case ImapIdle::Error::NoIdle:         // the server will not grow IDLE
        return false;
    default:
        return true;
    }
}

bool ImapIdleWatch::isNetworkFailure() const
{
    return m_lastError == ImapIdle::Error::Connection || m_lastError == ImapIdle::Error::Timeout
           || m_lastError == ImapIdle::Error::Tls;
}

void ImapIdleWatch::connectOnce()
{
    m_idle = new ImapIdle(m_account, m_password, m_storePath, m_folder, this);
    m_idle->setTraceLog(m_traceLog);
    m_idle->setTimings(m_timings.idle);
    connect(m_idle, &ImapIdle::idling, this, [this] {
        m_backoff.reset();
        setState(State::Idling);
        // What arrived before this IDLE (since the last sync, or while disconnected) is not pushed: catch up.
        m_idle->syncNow();
    });
    connect(m_idle, &ImapIdle::newMail, this, &ImapIdleWatch::newMail);
    connect(m_idle, &ImapIdle::changed, this, &ImapIdleWatch::changed);
    connect(m_idle, &ImapIdle::synced, this, &ImapIdleWatch::synced);
    connect(m_idle, &ImapIdle::finished, this, &ImapIdleWatch::ended);
    setState(State::Connecting);
    m_idle->start();
}

void ImapIdleWatch::ended()
{
    ImapIdle *done = std::exchange(m_idle, nullptr);
    done->deleteLater();
    if (m_stopping) {
        setState(State::Stopped);
        Q_EMIT finished();
        return;
    }
    // Ended on its own: a clean end while nobody asked is a lost connection too.
    m_lastError = done->error() == ImapIdle::Error::None ? ImapIdle::Error::Connection : done->error();
    m_lastErrorString = done->errorString().isEmpty() ? QStringLiteral("the connection ended") : done->errorString();
    if (!isTransient(m_lastError)) {
        setState(State::Stopped);
        Q_EMIT finished();
        return;
    }
    m_retryInMs = m_backoff.next();
    m_retry->start(m_retryInMs);
    setState(State::Retrying);
}

void ImapIdleWatch::setState(State state)
{
    m_state = state;
    Q_EMIT stateChanged(); // also for Retrying → Retrying: the wait changed
}

} // namespace tern::sync
