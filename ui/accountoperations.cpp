// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountoperations.h"

#include "accountworkers.h"
#include "conflictworker.h"

#include "accounts/secretstore.h"
#include "profile.h"
#include "store/store.h"
#include "sync/accountcheck.h"
#include "sync/imapsync.h"

#include <QDir>
#include <QThread>

namespace tern::ui {

AccountOperations::AccountOperations(QString profileDirectory, diagnostics::TraceLog *log, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profileDirectory))
    , m_log(log)
{
}

// Runs a worker in a thread of its own (its store connection and session live there); handler gets the
// worker's done() arguments on this thread, after which the worker and its thread are deleted.
template<typename Worker, typename Handler>
Worker *AccountOperations::startWorker(Worker *worker, const QString &threadName, Handler handler)
{
    auto *thread = new QThread(this);
    thread->setObjectName(threadName);
    worker->moveToThread(thread);
    m_threads.append(thread);
    connect(thread, &QThread::started, worker, &Worker::run);
    connect(worker, &Worker::done, this, [thread, worker, handler](const auto &...args) {
        worker->deleteLater(); // in its thread, before the thread's loop ends
        thread->quit();
        handler(args...);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    return worker;
}

AccountOperations::~AccountOperations()
{
    for (const QPointer<QObject> &thread : std::as_const(m_threads)) {
        if (auto *t = qobject_cast<QThread *>(thread.data())) {
            t->quit();
            t->wait();
        }
    }
}

bool AccountOperations::secrets(const accounts::Account &account, QByteArray *incoming, QByteArray *smtp)
{
    // One store for the window's life: where secrets live in the vault, its key is derived (PBKDF2, 200k+
    // rounds) once, not on the GUI thread at every mark-as-read that starts a journal replay.
    if (!m_secrets)
        m_secrets = std::make_unique<accounts::SecretStore>(m_profile, qgetenv("TERN_PRIMARY_PASSWORD"));
    for (auto [key, out] : {std::pair{account.incomingSecretKey(), incoming}, std::pair{account.smtpSecretKey(), smtp}}) {
        if (!out)
            continue;
        const auto secret = m_secrets->load(key);
        if (!secret) {
            Q_EMIT finished(account.name, false, tr("cannot read the password: %1").arg(m_secrets->error()));
            return false;
        }
        *out = *secret;
    }
    return true;
}

bool AccountOperations::fetch(const accounts::Account &account)
{
    if (m_running.contains(account.name))
        return false;
    QByteArray password;
    if (!secrets(account, &password, nullptr))
        return false;
    m_running.insert(account.name);
    Q_EMIT started(account.name, tr("getting messages"));

    auto *worker = startWorker(new FetchWorker(account, password, QDir(m_profile).filePath(QStringLiteral("store.sqlite")), m_log),
                               QStringLiteral("fetch:%1").arg(account.name),
                               [this, account](bool ok, const QString &message) {
                                   m_running.remove(account.name);
                                   Q_EMIT finished(account.name, ok, message);
                                   // The summaries are in: the offline folders' bodies follow, in the background.
                                   if (ok)
                                       downloadOfflineBodies(account);
                               });
    password.fill('\0');
    connect(worker, &FetchWorker::progress, this, [this, name = account.name](int done, int total) {
        Q_EMIT progress(name, done, total);
    });
    worker->thread()->start();
    return true;
}

bool AccountOperations::downloadOfflineBodies(const accounts::Account &account)
{
    if (account.incomingProtocol != accounts::IncomingProtocol::Imap || account.options.offlineFolders.isEmpty()
        || m_offlineBodies.contains(account.name))
        return false;
    QByteArray password;
    if (!secrets(account, &password, nullptr))
        return false;
    m_offlineBodies.insert(account.name);
    Q_EMIT started(account.name, tr("downloading messages for offline reading"));
    auto *worker = startWorker(new OfflineBodiesWorker(account, password, QDir(m_profile).filePath(QStringLiteral("store.sqlite")), m_log),
                               QStringLiteral("offline:%1").arg(account.name),
                               [this, name = account.name](bool ok, const QString &message) {
                                   m_offlineBodies.remove(name);
                                   Q_EMIT offlineBodiesFinished(name, ok, message);
                               });
    password.fill('\0');
    connect(worker, &OfflineBodiesWorker::progress, this, [this, name = account.name](int done, int total) {
        Q_EMIT progress(name, done, total);
    });
    worker->thread()->start();
    return true;
}

bool AccountOperations::fetchBody(const accounts::Account &account, qint64 messageId)
{
    if (m_bodies.contains(messageId))
        return true; // already on its way
    QByteArray password;
    if (!secrets(account, &password, nullptr))
        return false;
    m_bodies.insert(messageId);
    auto *worker = startWorker(new BodyWorker(account, password, QDir(m_profile).filePath(QStringLiteral("store.sqlite")),
                                              messageId, m_log),
                               QStringLiteral("body:%1").arg(messageId), [this, messageId](bool ok, const QString &message) {
                                   m_bodies.remove(messageId);
                                   Q_EMIT bodyFetched(messageId, ok, message);
                               });
    password.fill('\0');
    worker->thread()->start();
    return true;
}

bool AccountOperations::replay(const accounts::Account &account)
{
    if (account.incomingProtocol != accounts::IncomingProtocol::Imap)
        return false;
    if (m_replaying.contains(account.name)) {
        m_replayAgain.insert(account.name); // the rows recorded since it started may have missed it
        return true;
    }
    QByteArray password;
    if (!secrets(account, &password, nullptr))
        return false;
    m_replaying.insert(account.name);
    auto *worker = startWorker(new ReplayWorker(account, password, QDir(m_profile).filePath(QStringLiteral("store.sqlite")), m_log),
                               QStringLiteral("replay:%1").arg(account.name),
                               [this, account](bool ok, const QString &message, const QStringList &conflicts) {
                                   m_replaying.remove(account.name);
                                   Q_EMIT journalReplayed(account.name, ok, message, conflicts);
                                   if (m_replayAgain.remove(account.name) && ok)
                                       replay(account);
                               });
    password.fill('\0');
    worker->thread()->start();
    return true;
}

void AccountOperations::resolveConflicts(const QString &account, const QList<qint64> &entryIds, bool retry)
{
    auto *worker = startWorker(new ConflictWorker(account, entryIds, retry, QDir(m_profile).filePath(QStringLiteral("store.sqlite"))),
                               QStringLiteral("conflicts:%1").arg(account), [this, account, retry](bool ok, const QString &message) {
                                   Q_EMIT conflictsResolved(account, retry, ok, message);
                               });
    worker->thread()->start();
}

bool AccountOperations::storeServerDraft(const accounts::Account &account, const QByteArray &messageId,
                                         const QByteArray &raw)
{
    if (account.incomingProtocol != accounts::IncomingProtocol::Imap || messageId.isEmpty())
        return false;
    if (m_drafting.contains(messageId)) {
        m_draftWaiting.insert(messageId, {account, raw}); // replaces an older waiting version: it is stale
        return true;
    }
    QByteArray password;
    if (!secrets(account, &password, nullptr))
        return false;
    m_drafting.insert(messageId);
    const bool removal = raw.isEmpty();
    auto *worker = startWorker(new DraftWorker(account, password, messageId, raw, m_log),
                               QStringLiteral("draft:%1").arg(account.name),
                               [this, messageId, removal](bool ok, const QString &message) {
                                   m_drafting.remove(messageId);
                                   Q_EMIT serverDraftFinished(messageId, removal, ok, message);
                                   if (const auto next = m_draftWaiting.find(messageId); next != m_draftWaiting.end()) {
                                       const auto [nextAccount, nextRaw] = *next;
                                       m_draftWaiting.erase(next);
                                       storeServerDraft(nextAccount, messageId, nextRaw);
                                   }
                               });
    password.fill('\0');
    worker->thread()->start();
    return true;
}

bool AccountOperations::check(const accounts::Account &account)
{
    if (m_running.contains(account.name))
        return false;
    QByteArray incoming, smtp;
    if (!secrets(account, &incoming, &smtp))
        return false;
    m_running.insert(account.name);
    Q_EMIT started(account.name, tr("testing the account"));
    // No store involved: network only, asynchronous on this thread.
    auto *check = new sync::AccountCheck(account, incoming, smtp, this);
    incoming.fill('\0');
    smtp.fill('\0');
    check->setTraceLog(m_log);
    connect(check, &sync::AccountCheck::finished, this, [this, check, name = account.name] {
        check->deleteLater();
        m_running.remove(name);
        const bool ok = check->error() == sync::AccountCheck::Error::None;
        for (const auto &report : check->reports()) {
            for (const QString &cap : report.capabilities) {
                // "SIZE 10240000" (RFC 1870 §4); "SIZE" or "SIZE 0" alone means no fixed limit.
                if (report.role == QLatin1StringView("smtp") && cap.startsWith(QLatin1StringView("SIZE "), Qt::CaseInsensitive))
                    m_smtpSizeLimits.insert(name, cap.mid(5).trimmed().toLongLong());
            }
        }
        Q_EMIT finished(name, ok, ok ? tr("the account works") : check->errorString());
    });
    check->start();
    return true;
}

bool AccountOperations::send(const accounts::Account &account)
{
    if (m_sending.contains(account.name)) {
        m_sendAgain.insert(account.name); // queued after that run looked: one more run picks it up
        return true;
    }
    QByteArray incoming, smtp;
    if (!secrets(account, &incoming, &smtp))
        return false;
    m_sending.insert(account.name);
    auto *worker = startWorker(new SendWorker(account, incoming, smtp, m_profile, m_log),
                               QStringLiteral("send:%1").arg(account.name), [this, account](bool ok, const QString &message) {
                                   m_sending.remove(account.name);
                                   Q_EMIT sendFinished(account.name, ok, message);
                                   if (m_sendAgain.remove(account.name))
                                       send(account);
                               });
    incoming.fill('\0');
    smtp.fill('\0');
    worker->thread()->start();
    return true;
}

} // namespace tern::ui
