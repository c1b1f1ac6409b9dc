// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountworkers.h"

#include "outbox/outboxsender.h"
#include "outbox/outboxstore.h"
#include "outbox/sentcopier.h"
#include "profile.h"
#include "sync/imapdraft.h"
#include "sync/imapfetchbody.h"
#include "sync/imapofflinebodies.h"
#include "sync/imapsync.h"
#include "sync/journalreplay.h"
#include "sync/pop3fetch.h"

#include <QDateTime>

namespace tern::ui {

AccountWorker::AccountWorker(accounts::Account account, QByteArray password, QString storePath,
                             diagnostics::TraceLog *log)
    : m_account(std::move(account))
    , m_storePath(std::move(storePath))
    , m_log(log)
    , m_password(std::move(password))
{
}

bool AccountWorker::openStore(QString *error)
{
    if (m_store.open(m_storePath))
        return true;
    *error = tr("cannot open the mail store: %1").arg(m_store.error());
    return false;
}

QByteArray AccountWorker::takePassword()
{
    QByteArray password = m_password;
    password.detach(); // the copy handed out is the operation's; this one is wiped
    m_password.fill('\0');
    return password;
}

void FetchWorker::run()
{
    if (QString error; !openStore(&error)) {
        Q_EMIT done(false, error);
        return;
    }
    if (m_account.incomingProtocol == accounts::IncomingProtocol::Imap)
        runImap();
    else
        runPop3();
}

void FetchWorker::runPop3()
{
    auto *fetch = new sync::Pop3Fetch(m_account, takePassword(), &m_store, this);
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
void FetchWorker::runImap()
{
    auto *sync = new sync::ImapSync(m_account, takePassword(), m_storePath, this);
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

BodyWorker::BodyWorker(accounts::Account account, QByteArray password, QString storePath, qint64 messageId,
                       diagnostics::TraceLog *log)
    : AccountWorker(std::move(account), std::move(password), std::move(storePath), log)
    , m_messageId(messageId)
{
}

void BodyWorker::run()
{
    if (QString error; !openStore(&error)) {
        Q_EMIT done(false, error);
        return;
    }
    auto *fetch = new sync::ImapFetchBody(m_account, takePassword(), &m_store, m_messageId, this);
    fetch->setTraceLog(m_log);
    connect(fetch, &sync::ImapFetchBody::finished, this, [this, fetch] {
        Q_EMIT done(fetch->error() == sync::ImapFetchBody::Error::None, fetch->errorString());
    });
    fetch->start();
}

void OfflineBodiesWorker::run()
{
    if (QString error; !openStore(&error)) {
        Q_EMIT done(false, error);
        return;
    }
    auto *bodies = new sync::ImapOfflineBodies(m_account, takePassword(), &m_store, this);
    bodies->setTraceLog(m_log);
    connect(bodies, &sync::ImapOfflineBodies::progress, this, [this](qint64 done, qint64 total) {
        Q_EMIT progress(int(done), int(total));
    });
    connect(bodies, &sync::ImapOfflineBodies::finished, this, [this, bodies] {
        const bool ok = bodies->error() == sync::ImapOfflineBodies::Error::None;
        Q_EMIT done(ok, ok ? tr("%n message(s) kept for offline reading", nullptr, int(bodies->downloadedCount()))
                           : bodies->errorString());
    });
    bodies->start();
}

void ReplayWorker::run()
{
    if (QString error; !openStore(&error)) {
        Q_EMIT done(false, error, {});
        return;
    }
    auto *replay = new sync::JournalReplay(m_account, takePassword(), &m_store, this);
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

DraftWorker::DraftWorker(accounts::Account account, QByteArray password, QByteArray messageId, QByteArray raw,
                         diagnostics::TraceLog *log)
    : AccountWorker(std::move(account), std::move(password), QString(), log)
    , m_messageId(std::move(messageId))
    , m_raw(std::move(raw))
{
}

void DraftWorker::run()
{
    auto *draft = new sync::ImapDraft(m_account, takePassword(), this);
    draft->setTraceLog(m_log);
    connect(draft, &sync::ImapDraft::finished, this, [this, draft] {
        Q_EMIT done(draft->error() == sync::ImapDraft::Error::None, draft->errorString());
    });
    if (m_raw.isEmpty())
        draft->remove(m_messageId);
    else
        draft->save(m_messageId, m_raw);
}

SendWorker::SendWorker(accounts::Account account, QByteArray incoming, QByteArray smtp, QString profile,
                       diagnostics::TraceLog *log)
    : m_account(std::move(account))
    , m_incoming(std::move(incoming))
    , m_smtp(std::move(smtp))
    , m_profile(std::move(profile))
    , m_log(log)
{
}

void SendWorker::run()
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

void SendWorker::copySent()
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

} // namespace tern::ui
