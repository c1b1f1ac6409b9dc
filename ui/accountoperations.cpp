// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountoperations.h"

#include "conflictworker.h"
#include "offlinebodiesworker.h"

#include "accounts/secretstore.h"
#include "outbox/outboxsender.h"
#include "outbox/sentcopier.h"
#include "profile.h"
#include "store/store.h"
#include "sync/accountcheck.h"
#include "sync/imapdraft.h"
#include "sync/imapfetchbody.h"
#include "sync/imapsync.h"
#include "sync/journalreplay.h"
#include "sync/pop3fetch.h"

#include <QDateTime>
#include <QDir>
#include <QLockFile>
#include <QThread>

namespace tern::ui {

namespace {

// Lives in the download thread: opens its own store connection there (SQLite connections are per thread).
class FetchWorker : public QObject
{
    Q_OBJECT

public:
    FetchWorker(accounts::Account account, QByteArray password, QString storePath, diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_password(std::move(password))
        , m_storePath(std::move(storePath))
        , m_log(log)
    {
    }

    void run()
    {
        if (!m_store.open(m_storePath)) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()));
            return;
        }
        if (m_account.incomingProtocol == accounts::IncomingProtocol::Imap)
            runImap();
        else
            runPop3();
    }

private:
    void runPop3()
    {
        auto *fetch = new sync::Pop3Fetch(m_account, m_password, &m_store, this);
        m_password.fill('\0');
        fetch->setTraceLog(m_log);
        connect(fetch, &sync::Pop3Fetch::progress, this, &FetchWorker::progress);
        connect(fetch, &sync::Pop3Fetch::finished, this, [this, fetch] {
            const bool ok = fetch->error() == sync::Pop3Fetch::Error::None;
            if (ok)
                m_store.indexPending();
            Q_EMIT done(ok, ok ? tr("%n new message(s)", nullptr, fetch->downloadedCount()) : fetch->errorString());
        });
        fetch->start();
    }

    // IMAP sync writes through its own writer thread; this thread only runs its network side.
    void runImap()
    {
        auto *sync = new sync::ImapSync(m_account, m_password, m_storePath, this);
        m_password.fill('\0');
        sync->setTraceLog(m_log);
        connect(sync, &sync::ImapSync::progress, this, [this](qint64 done, qint64 total) {
            Q_EMIT progress(int(done), int(total));
        });
        connect(sync, &sync::ImapSync::finished, this, [this, sync] {
            const bool ok = sync->error() == sync::ImapSync::Error::None;
            QString message = ok ? tr("%n new message(s)", nullptr, int(sync->addedCount())) : sync->errorString();
            if (sync->journalConflictCount() > 0)
                message += tr("; %n offline change(s) could not be applied on the server", nullptr,
                              sync->journalConflictCount());
            Q_EMIT done(ok, message);
        });
        sync->start();
    }

public:
Q_SIGNALS:
    void progress(int done, int total);
    void done(bool ok, const QString &message);

private:
    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
};

// Fetches one IMAP message body into the store, in its own thread with its own store connection.
class BodyWorker : public QObject
{
    Q_OBJECT

public:
    BodyWorker(accounts::Account account, QByteArray password, QString storePath, qint64 messageId,
               diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_password(std::move(password))
        , m_storePath(std::move(storePath))
        , m_messageId(messageId)
        , m_log(log)
    {
    }

    void run()
    {
        if (!m_store.open(m_storePath)) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()));
            return;
        }
        auto *fetch = new sync::ImapFetchBody(m_account, m_password, &m_store, m_messageId, this);
        m_password.fill('\0');
        fetch->setTraceLog(m_log);
        connect(fetch, &sync::ImapFetchBody::finished, this, [this, fetch] {
            const bool ok = fetch->error() == sync::ImapFetchBody::Error::None;
            Q_EMIT done(ok, fetch->errorString());
        });
        fetch->start();
    }

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    qint64 m_messageId;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
};

// Sends the account's due outbox messages, then makes their Sent copies, in its own thread with its own store
// connection. Holds the profile's outbox lock (the one tern-cli takes) so that only one process sends and
// recovery can tell a crashed run's leftovers from a live one's.
class SendWorker : public QObject
{
    Q_OBJECT

public:
    SendWorker(accounts::Account account, QByteArray incoming, QByteArray smtp, QString profile, diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_incoming(std::move(incoming))
        , m_smtp(std::move(smtp))
        , m_profile(std::move(profile))
        , m_log(log)
    {
    }

    void run()
    {
        const core::Profile profile(m_profile);
        if (!m_store.open(profile.filePath(QStringLiteral("store.sqlite")))) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()));
            return;
        }
        m_lock = std::make_unique<QLockFile>(profile.filePath(QStringLiteral("outbox.lock")));
        m_lock->setStaleLockTime(0); // a long send is not stale; a dead owner is detected by its process id
        if (!m_lock->tryLock(30000)) {
            Q_EMIT done(false, tr("another program is sending from this profile; the message stays in the outbox"));
            return;
        }
        outbox::OutboxStore queue(m_store.database());
        if (queue.recover(QDateTime::currentSecsSinceEpoch()) < 0) {
            Q_EMIT done(false, tr("cannot update the outbox: %1").arg(queue.error()));
            return;
        }
        auto *sender = new outbox::OutboxSender(m_account, m_smtp, &m_store, this);
        m_smtp.fill('\0');
        sender->setTraceLog(m_log);
        connect(sender, &outbox::OutboxSender::finished, this, [this, sender] {
            QStringList failures;
            int sent = 0;
            for (const auto &o : sender->outcomes()) {
                if (o.state == outbox::State::Sent)
                    ++sent;
                else
                    failures << QStringLiteral("%1: %2").arg(outbox::stateName(o.state), o.error);
            }
            if (!sender->storeError().isEmpty())
                failures << tr("cannot update the outbox: %1").arg(sender->storeError());
            m_result = failures.isEmpty() ? tr("%n message(s) sent", nullptr, sent) : failures.join(QStringLiteral("; "));
            m_ok = failures.isEmpty();
            copySent();
        });
        sender->start();
    }

private:
    void copySent()
    {
        auto *copier = new outbox::SentCopier(m_account, m_incoming, &m_store, this);
        m_incoming.fill('\0');
        connect(copier, &outbox::SentCopier::finished, this, [this, copier] {
            if (!copier->errorString().isEmpty())
                m_result += QStringLiteral(" (%1)").arg(copier->errorString());
            m_lock->unlock();
            Q_EMIT done(m_ok, m_result);
        });
        copier->start();
    }

public:
Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    accounts::Account m_account;
    QByteArray m_incoming;
    QByteArray m_smtp;
    QString m_profile;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
    std::unique_ptr<QLockFile> m_lock;
    bool m_ok = false;
    QString m_result;
};

// Replays one IMAP account's offline journal, in its own thread with its own store connection.
class ReplayWorker : public QObject
{
    Q_OBJECT

public:
    ReplayWorker(accounts::Account account, QByteArray password, QString storePath, diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_password(std::move(password))
        , m_storePath(std::move(storePath))
        , m_log(log)
    {
    }

    void run()
    {
        if (!m_store.open(m_storePath)) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()), {});
            return;
        }
        auto *replay = new sync::JournalReplay(m_account, m_password, &m_store, this);
        m_password.fill('\0');
        replay->setTraceLog(m_log);
        connect(replay, &sync::JournalReplay::finished, this, [this, replay] {
            QStringList conflicts;
            for (const sync::JournalReplay::Conflict &c : replay->conflicts())
                conflicts.append(c.reason);
            const bool ok = replay->error() == sync::JournalReplay::Error::None;
            Q_EMIT done(ok, ok ? tr("%n change(s) sent to the server", nullptr, replay->replayedCount())
                               : tr("changes kept for later: %1").arg(replay->errorString()),
                        conflicts);
        });
        replay->start();
    }

Q_SIGNALS:
    void done(bool ok, const QString &message, const QStringList &conflicts);

private:
    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
};

} // namespace

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

namespace {

// Stores or removes a draft's server copy in its own thread (the IMAP session lives there).
class DraftWorker : public QObject
{
    Q_OBJECT

public:
    DraftWorker(accounts::Account account, QByteArray password, QByteArray messageId, QByteArray raw,
                diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_password(std::move(password))
        , m_messageId(std::move(messageId))
        , m_raw(std::move(raw))
        , m_log(log)
    {
    }

    void run()
    {
        auto *draft = new sync::ImapDraft(m_account, m_password, this);
        m_password.fill('\0');
        draft->setTraceLog(m_log);
        connect(draft, &sync::ImapDraft::finished, this, [this, draft] {
            Q_EMIT done(draft->error() == sync::ImapDraft::Error::None, draft->errorString());
        });
        if (m_raw.isEmpty())
            draft->remove(m_messageId);
        else
            draft->save(m_messageId, m_raw);
    }

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    accounts::Account m_account;
    QByteArray m_password;
    QByteArray m_messageId;
    QByteArray m_raw;
    diagnostics::TraceLog *m_log;
};

} // namespace

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

#include "accountoperations.moc"
