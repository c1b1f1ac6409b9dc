// SPDX-License-Identifier: GPL-3.0-or-later
#include "mailpush.h"

#include "accounts/secretstore.h"
#include "sync/imapidle.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QThread>

namespace tern::ui {

// Lives in the watch's thread: ImapIdle and everything it creates (sockets, the sync and its store writer)
// belong to that thread.
class IdleWorker : public QObject
{
    Q_OBJECT

public:
    IdleWorker(accounts::Account account, QString profile, QByteArray primary, QString folder,
               diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_profile(std::move(profile))
        , m_primary(std::move(primary))
        , m_storePath(QDir(m_profile).filePath(QStringLiteral("store.sqlite")))
        , m_folder(std::move(folder))
        , m_log(log)
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
        m_idle = new sync::ImapIdle(m_account, *password, m_storePath, m_folder, this);
        password->fill('\0');
        m_idle->setTraceLog(m_log);
        connect(m_idle, &sync::ImapIdle::idling, this, [this] {
            Q_EMIT idling();
            // What arrived between the last sync and IDLE is not pushed: one sync catches up.
            m_idle->syncNow();
        });
        connect(m_idle, &sync::ImapIdle::changed, this, &IdleWorker::changed);
        connect(m_idle, &sync::ImapIdle::finished, this, [this] {
            Q_EMIT done(m_idle->error() == sync::ImapIdle::Error::None ? QString() : m_idle->errorString());
        });
        m_idle->start();
    }

    void stop()
    {
        if (m_idle)
            m_idle->stop();
        else
            Q_EMIT done({});
    }

Q_SIGNALS:
    void idling();
    void changed();
    void done(const QString &error);

private:
    accounts::Account m_account;
    QString m_profile;
    QByteArray m_primary;
    QString m_storePath;
    QString m_folder;
    diagnostics::TraceLog *m_log;
    sync::ImapIdle *m_idle = nullptr;
};

MailPush::MailPush(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profileDirectory))
    , m_log(log)
{
}

MailPush::~MailPush()
{
    stopAll();
    // LOGOUT takes a round trip; a server that does not answer must not keep the window from closing.
    const QDeadlineTimer deadline(3000);
    for (const Watch &w : std::as_const(m_watches)) {
        if (w.thread && !w.thread->wait(deadline)) {
            w.thread->quit();
            w.thread->wait();
        }
    }
}

bool MailPush::watch(const accounts::Account &account, const QString &folder)
{
    if (account.incomingProtocol != accounts::IncomingProtocol::Imap || !account.options.imapIdle)
        return false;
    if (isWatching(account.name, folder))
        return true;
    auto *thread = new QThread(this);
    thread->setObjectName(QStringLiteral("idle:%1").arg(account.name));
    auto *worker = new IdleWorker(account, m_profile, qgetenv("TERN_PRIMARY_PASSWORD"), folder, m_log);
    worker->moveToThread(thread);
    const QString k = key(account.name, folder);
    m_watches.insert(k, {thread, worker});
    connect(thread, &QThread::started, worker, &IdleWorker::run);
    // Direct: the worker's thread ends itself, even while the GUI thread waits for it in ~MailPush().
    connect(worker, &IdleWorker::done, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(worker, &IdleWorker::idling, this, [this, k] {
        if (auto it = m_watches.find(k); it != m_watches.end()) {
            it->idling = true;
            Q_EMIT stateChanged();
        }
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
        if (!asked && !error.isEmpty())
            Q_EMIT failed(name, folder, error);
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
    it->idling = false;
    if (it->worker)
        QMetaObject::invokeMethod(it->worker.data(), &IdleWorker::stop, Qt::QueuedConnection);
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
    return it != m_watches.constEnd() && !it->stopping && it->idling;
}

QStringList MailPush::statusLines() const
{
    QStringList accounts;
    for (auto it = m_watches.constBegin(); it != m_watches.constEnd(); ++it) {
        const QString account = it.key().left(it.key().indexOf(QChar(0)));
        if (!it->stopping && it->idling && !accounts.contains(account))
            accounts.append(account);
    }
    accounts.sort();
    QStringList lines;
    for (const QString &account : std::as_const(accounts))
        lines.append(tr("%1: waiting for new mail (IDLE)").arg(account));
    return lines;
}

} // namespace tern::ui

#include "mailpush.moc"
