// SPDX-License-Identifier: GPL-3.0-or-later
#include "mailpush.h"

#include "accounts/secretstore.h"

#include <QDir>
#include <QThread>
#include <QTimer>

namespace tern::ui {

using sync::ImapIdleWatch;

// Lives in the watch's thread: ImapIdleWatch and everything it creates (sockets, the sync and its store
// writer) belong to that thread.
class IdleWorker : public QObject
{
    Q_OBJECT

public:
    IdleWorker(accounts::Account account, QString profile, QByteArray primary, QString folder,
               diagnostics::TraceLog *log, ImapIdleWatch::Timings timings)
        : m_account(std::move(account))
        , m_profile(std::move(profile))
        , m_primary(std::move(primary))
        , m_storePath(QDir(m_profile).filePath(QStringLiteral("store.sqlite")))
        , m_folder(std::move(folder))
        , m_log(log)
        , m_timings(timings)
    {
    }
    ~IdleWorker() override { m_primary.fill('\0'); }

    void run()
    {
        // The vault's key derivation takes a while: here, not on the GUI thread.
        accounts::SecretStore secrets(m_profile, m_primary);
        m_primary.fill('\0');
        auto password = secrets.load(m_account.incomingSecretKey());
        if (!password) {
            Q_EMIT done(tr("cannot read the password: %1").arg(secrets.error()));
            return;
        }
        m_watch = new ImapIdleWatch(m_account, *password, m_storePath, m_folder, this);
        password->fill('\0');
        m_watch->setTraceLog(m_log);
        m_watch->setTimings(m_timings);
        connect(m_watch, &ImapIdleWatch::stateChanged, this, [this] {
            Q_EMIT stateChanged(int(m_watch->state()), m_watch->retryInMs(), m_watch->isNetworkFailure());
        });
        connect(m_watch, &ImapIdleWatch::changed, this, &IdleWorker::changed);
        connect(m_watch, &ImapIdleWatch::synced, this, &IdleWorker::synced);
        connect(m_watch, &ImapIdleWatch::finished, this, [this] {
            Q_EMIT done(m_watch->lastError() == sync::ImapIdle::Error::None || m_stopping ? QString()
                                                                                           : m_watch->lastErrorString());
        });
        m_watch->start();
    }

    void stop()
    {
        m_stopping = true;
        if (m_watch)
            m_watch->stop();
        else
            Q_EMIT done({});
    }

    void retryNow()
    {
        if (m_watch)
            m_watch->retryNow();
    }

    void setTimings(const ImapIdleWatch::Timings &timings)
    {
        m_timings = timings;
        if (m_watch)
            m_watch->setTimings(timings);
    }

Q_SIGNALS:
    void stateChanged(int state, int retryInMs, bool networkFailure);
    void changed();
    void synced();
    void done(const QString &error);

private:
    accounts::Account m_account;
    QString m_profile;
    QByteArray m_primary;
    QString m_storePath;
    QString m_folder;
    diagnostics::TraceLog *m_log;
    ImapIdleWatch::Timings m_timings;
    ImapIdleWatch *m_watch = nullptr;
    bool m_stopping = false;
};

MailPush::MailPush(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profileDirectory))
    , m_log(log)
    , m_ticker(new QTimer(this))
{
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, &MailPush::stateChanged);
}

MailPush::~MailPush()
{
    stopAll();
    // LOGOUT takes a round trip; a server that does not answer must not keep the window from closing.
    // Every thread, not only the watched ones: a watch that just ended may still be on its way out.
    const QDeadlineTimer deadline(3000);
    const QList<QThread *> threads = findChildren<QThread *>(Qt::FindDirectChildrenOnly);
    for (QThread *thread : threads) {
        if (!thread->wait(deadline)) {
            thread->quit();
            thread->wait();
        }
    }
}

bool MailPush::watch(const accounts::Account &account, const QString &folder)
{
    if (account.incomingProtocol != accounts::IncomingProtocol::Imap)
        return false;
    if (!account.options.imapIdle) {
        bool had = false;
        for (auto it = m_watches.cbegin(); it != m_watches.cend(); ++it)
            had = had || it.key().startsWith(key(account.name, {}));
        if (had) {
            const QStringList keys = m_watches.keys();
            for (const QString &k : keys) {
                if (k.startsWith(key(account.name, {})))
                    unwatch(account.name, k.mid(account.name.size() + 1));
            }
            m_notPushed.insert(account.name, tr("IDLE is turned off in the account's settings"));
            Q_EMIT stateChanged();
        }
        return false;
    }
    if (isWatching(account.name, folder))
        return true;
    if (folder.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0)
        m_notPushed.remove(account.name); // a new attempt (Get Messages worked, settings changed)
    auto *thread = new QThread(this);
    thread->setObjectName(QStringLiteral("idle:%1").arg(account.name));
    auto *worker = new IdleWorker(account, m_profile, qgetenv("TERN_PRIMARY_PASSWORD"), folder, m_log, m_timings);
    worker->moveToThread(thread);
    const QString k = key(account.name, folder);
    Watch w;
    w.thread = thread;
    w.worker = worker;
    m_watches.insert(k, w);
    connect(thread, &QThread::started, worker, &IdleWorker::run);
    // Direct: the worker's thread ends itself, even while the GUI thread waits for it in ~MailPush().
    connect(worker, &IdleWorker::synced, this, [this, name = account.name, folder] {
        if (isWatching(name, folder))
            Q_EMIT synced(name, folder);
    });
    connect(worker, &IdleWorker::done, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(worker, &IdleWorker::stateChanged, this, [this, k, thread](int state, int retryInMs, bool network) {
        const auto it = m_watches.find(k);
        if (it == m_watches.end() || it->thread != thread || it->stopping)
            return;
        it->state = ImapIdleWatch::State(state);
        it->retryAt = QDeadlineTimer(retryInMs);
        it->networkFailure = network;
        updateTicker();
        Q_EMIT stateChanged();
    });
    connect(worker, &IdleWorker::changed, this, [this, name = account.name, folder] {
        if (isWatching(name, folder)) // not from a watch being stopped: the window has moved on
            Q_EMIT changed(name, folder);
    });
    connect(worker, &IdleWorker::done, this, [this, k, thread, name = account.name, folder](const QString &error) {
        const auto it = m_watches.find(k);
        if (it == m_watches.end() || it->thread != thread)
            return; // a newer watch took its place
        const bool asked = it->stopping;
        m_watches.erase(it);
        if (!asked && !error.isEmpty()) {
            if (folder.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0)
                m_notPushed.insert(name, error);
            Q_EMIT failed(name, folder, error);
        }
        updateTicker();
        Q_EMIT stateChanged();
    });
    thread->start();
    Q_EMIT stateChanged();
    return true;
}

void MailPush::unwatch(const QString &account, const QString &folder)
{
    const auto it = m_watches.find(key(account, folder));
    if (it == m_watches.end() || it->stopping)
        return;
    it->stopping = true;
    if (it->worker)
        QMetaObject::invokeMethod(it->worker.data(), &IdleWorker::stop, Qt::QueuedConnection);
    updateTicker();
    Q_EMIT stateChanged();
}

void MailPush::stopAll()
{
    const QStringList keys = m_watches.keys();
    for (const QString &k : keys) {
        const qsizetype split = k.indexOf(QChar(0));
        unwatch(k.left(split), k.mid(split + 1));
    }
}

bool MailPush::isWatching(const QString &account, const QString &folder) const
{
    const auto it = m_watches.constFind(key(account, folder));
    return it != m_watches.constEnd() && !it->stopping;
}

bool MailPush::isIdling(const QString &account, const QString &folder) const
{
    const auto it = m_watches.constFind(key(account, folder));
    return it != m_watches.constEnd() && !it->stopping && it->state == ImapIdleWatch::State::Idling;
}

bool MailPush::isRetrying(const QString &account, const QString &folder) const
{
    const auto it = m_watches.constFind(key(account, folder));
    return it != m_watches.constEnd() && !it->stopping && it->state == ImapIdleWatch::State::Retrying;
}

bool MailPush::isNetworkDown() const
{
    bool any = false;
    for (const Watch &w : std::as_const(m_watches)) {
        if (w.stopping)
            continue;
        // A reconnection under way keeps it down until IDLE runs again.
        if (w.state == ImapIdleWatch::State::Idling || !w.networkFailure)
            return false;
        any = true;
    }
    return any;
}

void MailPush::retryNow()
{
    for (const Watch &w : std::as_const(m_watches)) {
        if (w.worker && !w.stopping && w.state == ImapIdleWatch::State::Retrying)
            QMetaObject::invokeMethod(w.worker.data(), &IdleWorker::retryNow, Qt::QueuedConnection);
    }
}

void MailPush::setTimings(const ImapIdleWatch::Timings &timings)
{
    m_timings = timings;
    for (const Watch &w : std::as_const(m_watches)) {
        if (w.worker)
            QMetaObject::invokeMethod(w.worker.data(), [worker = w.worker, timings] {
                if (worker)
                    worker->setTimings(timings);
            }, Qt::QueuedConnection);
    }
}

void MailPush::updateTicker()
{
    bool retrying = false;
    for (const Watch &w : std::as_const(m_watches))
        retrying = retrying || (!w.stopping && w.state == ImapIdleWatch::State::Retrying);
    if (retrying && !m_ticker->isActive())
        m_ticker->start();
    else if (!retrying)
        m_ticker->stop();
}

// The account's INBOX says it; another folder's watch only when INBOX has none.
QString MailPush::lineFor(const QString &account) const
{
    auto it = m_watches.constFind(key(account, QStringLiteral("INBOX")));
    if (it == m_watches.constEnd() || it->stopping) {
        it = m_watches.constEnd();
        for (auto w = m_watches.constBegin(); w != m_watches.constEnd(); ++w) {
            if (!w->stopping && w.key().startsWith(key(account, {})))
                it = w;
        }
    }
    if (it == m_watches.constEnd())
        return m_notPushed.contains(account) ? tr("%1: new mail is not pushed (%2)").arg(account, m_notPushed.value(account))
                                             : QString();
    switch (it->state) {
    case ImapIdleWatch::State::Idling:
        return tr("%1: waiting for new mail (IDLE)").arg(account);
    case ImapIdleWatch::State::Retrying: {
        const qint64 seconds = (it->retryAt.remainingTime() + 999) / 1000;
        return it->networkFailure ? tr("%1: offline, retrying in %2 s").arg(account).arg(seconds)
                                  : tr("%1: connection lost, retrying in %2 s").arg(account).arg(seconds);
    }
    case ImapIdleWatch::State::Connecting:
        if (it->networkFailure) // the first connection says nothing; a reconnection keeps the warning up
            return tr("%1: offline, reconnecting…").arg(account);
        break;
    case ImapIdleWatch::State::Stopped:
        break;
    }
    return {};
}

QStringList MailPush::statusLines() const
{
    QStringList accounts = m_notPushed.keys();
    for (auto it = m_watches.constBegin(); it != m_watches.constEnd(); ++it) {
        const QString account = it.key().left(it.key().indexOf(QChar(0)));
        if (!it->stopping && !accounts.contains(account))
            accounts.append(account);
    }
    accounts.sort();
    QStringList lines;
    for (const QString &account : std::as_const(accounts)) {
        if (const QString line = lineFor(account); !line.isEmpty())
            lines.append(line);
    }
    return lines;
}

} // namespace tern::ui

#include "mailpush.moc"
