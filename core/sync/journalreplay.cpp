// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/journalreplay.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "store/messagesummary.h"
#include "store/store.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QMutex>
#include <QMutexLocker>
#include <QTimer>

#include <memory>

namespace tern::sync {

namespace cmd = imap::commands;
using imap::ResponseCode;
using imap::Session;
using imap::SequenceSet;
using store::JournalEntry;

namespace {

// Accounts whose journal a replay in this process is working through: a second one would send the same rows
// again (an APPEND twice is two messages).
QMutex g_claimMutex;
QSet<QString> g_claimed;

// store::MessageFlag bits and keywords as IMAP flags (RFC 9051 §2.3.2).
QList<QByteArray> flagList(quint32 bits, const QStringList &keywords)
{
    static const std::pair<quint32, const char *> kNames[] = {
        {store::Seen, "\\Seen"},       {store::Answered, "\\Answered"}, {store::Flagged, "\\Flagged"},
        {store::Deleted, "\\Deleted"}, {store::Draft, "\\Draft"},       {store::Forwarded, "$Forwarded"}};
    QList<QByteArray> out;
    for (const auto &[bit, name] : kNames) {
        if (bits & bit)
            out.append(name);
    }
    for (const QString &k : keywords)
        out.append(k.toUtf8());
    return out;
}

QString uidText(const QList<quint32> &uids)
{
    return QString::fromLatin1(SequenceSet::fromList(uids).toBytes());
}

} // namespace

JournalReplay::JournalReplay(accounts::Account account, QByteArray password, store::Store *store, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_store(store)
{
}

JournalReplay::~JournalReplay()
{
    if (m_claimed) {
        QMutexLocker lock(&g_claimMutex);
        g_claimed.remove(m_account.name);
    }
}

int JournalReplay::remainingCount() const
{
    return int(store::Journal(*m_store).pendingCount(m_account.name));
}

QString JournalReplay::lockFilePath(const QString &storePath, const QString &account)
{
    // The account's name is the user's text: hashed, it is always a valid file name.
    const QByteArray id = QCryptographicHash::hash(account.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return QFileInfo(storePath).absoluteDir().filePath(QStringLiteral("journal-%1.lock").arg(QString::fromLatin1(id)));
}

void JournalReplay::start()
{
    {
        QMutexLocker lock(&g_claimMutex);
        m_skipped = g_claimed.contains(m_account.name);
        if (!m_skipped) {
            g_claimed.insert(m_account.name);
            m_claimed = true;
        }
    }
    if (m_skipped || store::Journal(*m_store).pendingCount(m_account.name) == 0) {
        finish();
        return;
    }
    lockAndBegin();
}

void JournalReplay::lockAndBegin()
{
    // The store's own file says where the profile is (PRAGMA database_list: seq, name, file).
    store::Statement s = m_store->database().prepare("PRAGMA database_list");
    QString storePath;
    while (s.next()) {
        if (s.text(1) == QLatin1StringView("main"))
            storePath = s.text(2);
    }
    if (storePath.isEmpty()) { // an in-memory store: no other process can see it
        begin();
        return;
    }
    m_lock = std::make_unique<QLockFile>(lockFilePath(storePath, m_account.name));
    m_lock->setStaleLockTime(0); // a long replay is not stale; a dead owner is detected by its process id
    m_lockWaited.start();
    tryLock();
}

void JournalReplay::tryLock()
{
    if (m_lock->tryLock(0)) {
        if (m_lockPoll)
            m_lockPoll->stop();
        begin();
        return;
    }
    if (m_lock->error() == QLockFile::LockFailedError && m_lockWaited.elapsed() < m_lockWaitMs) {
        if (!m_lockPoll) { // another process replays: no signal to wait for across processes, so look again
            m_lockPoll = new QTimer(this);
            m_lockPoll->setInterval(100);
            connect(m_lockPoll, &QTimer::timeout, this, &JournalReplay::tryLock);
            m_lockPoll->start();
        }
        return;
    }
    if (m_lockPoll)
        m_lockPoll->stop();
    if (m_lock->error() == QLockFile::LockFailedError)
        m_skipped = true; // the other process still replays: the rows stay for it or the next run
    else
        fail(Error::Store, QStringLiteral("cannot lock the offline changes of %1 (%2)")
                               .arg(m_account.name, QDir::toNativeSeparators(m_lock->fileName())));
    finish();
}

void JournalReplay::begin()
{
    // Read only now: another replayer that held the lock may have sent some of the rows.
    m_entries = store::Journal(*m_store).pending(m_account.name);
    if (m_entries.isEmpty()) {
        finish();
        return;
    }
    m_client = newImapClient(m_account, m_password, m_timeoutMs, this);
    m_trace.begin(m_traceLog, m_account, *m_client);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this] {
        m_trace.loggedIn(*m_client);
        next();
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        if (e.kind == Session::Event::Kind::Untagged) {
            onUntagged(e.response);
            return;
        }
        if (e.kind != Session::Event::Kind::CommandFinished)
            return;
        const Handler handler = m_handlers.take(e.result.tag);
        if (!handler)
            return;
        Outcome o;
        o.ok = e.result.error == Session::Error::None;
        o.lost = e.result.error == Session::Error::ConnectionClosed || e.result.error == Session::Error::ProtocolError
            || e.result.error == Session::Error::ParseError;
        o.text = e.result.text;
        o.tryCreate = e.result.code.kind == ResponseCode::Kind::TryCreate;
        if (e.result.code.kind == ResponseCode::Kind::CopyUid) {
            const QList<quint32> from = e.result.code.set.toList(), to = e.result.code.destination.toList();
            for (qsizetype i = 0; i < from.size() && i < to.size(); ++i)
                m_copied.insert(from[i], to[i]);
        }
        if (e.result.code.kind == ResponseCode::Kind::AppendUid && !e.result.code.set.isEmpty())
            o.appendUid = e.result.code.set.toList(1).value(0);
        if (o.lost)
            return; // the client finishes next: the row stays pending
        handler(o);
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        if (const auto failed = imapSessionEnd<Error>(*m_client, m_account, m_loggingOut, QStringLiteral("before the changes were sent")))
            fail(failed->first, failed->second);
        finish();
    });
    m_client->start();
}

void JournalReplay::send(const imap::Command &command, Handler handler)
{
    m_handlers.insert(m_client->send(command), std::move(handler));
}

void JournalReplay::onUntagged(const imap::Response &r)
{
    if (const auto *f = r.get<imap::FetchData>()) {
        if (f->uid)
            m_present.insert(*f->uid);
        return;
    }
    // RFC 6851 §4.3: MOVE reports COPYUID in an untagged OK before its EXPUNGEs.
    if (r.kind == imap::Response::Kind::UntaggedStatus && r.status.code.kind == ResponseCode::Kind::CopyUid) {
        const QList<quint32> from = r.status.code.set.toList(), to = r.status.code.destination.toList();
        for (qsizetype i = 0; i < from.size() && i < to.size(); ++i)
            m_copied.insert(from[i], to[i]);
    }
}

void JournalReplay::next()
{
    if (m_finished || m_loggingOut)
        return;
    ++m_index;
    if (m_index >= m_entries.size()) {
        m_loggingOut = true;
        m_client->logout();
        return;
    }
    m_present.clear();
    m_copied.clear();
    m_partial.clear();
    const JournalEntry &e = m_entries[m_index];
    if (e.state == JournalEntry::State::Conflict) { // unreadable row: entries() said why
        conflict(e.error);
        return;
    }
    if (e.op == JournalEntry::Op::Append)
        replayAppend();
    else
        replayOnFolder();
}

void JournalReplay::replayAppend()
{
    const JournalEntry &e = m_entries[m_index];
    const imap::EncodeOptions o = m_client->session().encodeOptions();
    send(cmd::append(imap::encodeMailboxName(e.folder, o.utf8Accepted), e.raw, o, flagList(e.set, {})),
         [this](const Outcome &r) {
             const JournalEntry &e = m_entries[m_index];
             if (r.tryCreate)
                 conflict(QStringLiteral("the folder \"%1\" does not exist on the server").arg(e.folder));
             else if (!r.ok)
                 conflict(QStringLiteral("the server refused to store the message in \"%1\": %2")
                              .arg(e.folder, QString::fromUtf8(r.text)));
             else if (e.appendedMessage && r.appendUid)
                 done({{e.appendedMessage, qint64(*r.appendUid)}});
             else
                 done();
         });
}

void JournalReplay::replayOnFolder()
{
    const JournalEntry &e = m_entries[m_index];
    if (m_selected == e.folder) {
        afterSelect();
        return;
    }
    m_selected.clear();
    const bool utf8 = m_client->session().encodeOptions().utf8Accepted;
    m_handlers.insert(m_client->select(imap::encodeMailboxName(e.folder, utf8)), [this](const Outcome &r) {
        const JournalEntry &e = m_entries[m_index];
        if (!r.ok) {
            conflict(QStringLiteral("the folder \"%1\" is gone from the server: %2").arg(e.folder, QString::fromUtf8(r.text)));
            return;
        }
        m_selected = e.folder;
        afterSelect();
    });
}

void JournalReplay::afterSelect()
{
    const JournalEntry &e = m_entries[m_index];
    const qint64 now = qint64(m_client->session().mailbox().uidValidity);
    if (e.uidValidity != 0 && now != e.uidValidity) {
        // RFC 9051 §2.3.1.1: the folder was recreated; its UIDs name other messages (or none) now.
        conflict(QStringLiteral("the folder \"%1\" was recreated on the server (UIDVALIDITY %2, was %3): the change "
                                "no longer applies")
                     .arg(e.folder)
                     .arg(now)
                     .arg(e.uidValidity));
        return;
    }
    QList<quint32> uids;
    int unknown = 0;
    for (const store::JournalItem &i : e.items) {
        if (i.uid > 0 && i.uid <= qint64(SequenceSet::Star - 1))
            uids.append(quint32(i.uid));
        else
            ++unknown; // moved here offline and the server gave no COPYUID: its UID is not known
    }
    if (unknown)
        m_partial = QStringLiteral("%1 message(s) in \"%2\" have no known UID on the server").arg(unknown).arg(e.folder);
    if (uids.isEmpty()) {
        conflict(m_partial);
        return;
    }
    // A UID STORE or MOVE of a UID that is gone succeeds silently (RFC 3501 §6.4.8): ask first what exists.
    send(cmd::uidFetch(SequenceSet::fromList(uids), {"UID"}), [this, uids](const Outcome &r) {
        if (!r.ok) {
            conflict(QStringLiteral("the server refused to list the messages: %1").arg(QString::fromUtf8(r.text)));
            return;
        }
        QList<quint32> present, vanished;
        for (quint32 uid : uids)
            (m_present.contains(uid) ? present : vanished).append(uid);
        if (!vanished.isEmpty()) {
            const QString gone = QStringLiteral("%1 message(s) no longer on the server in \"%2\" (UID %3)")
                                     .arg(vanished.size())
                                     .arg(m_entries[m_index].folder, uidText(vanished));
            m_partial = m_partial.isEmpty() ? gone : m_partial + QStringLiteral("; ") + gone;
        }
        if (present.isEmpty()) {
            conflict(m_partial);
            return;
        }
        switch (m_entries[m_index].op) {
        case JournalEntry::Op::Flags: applyFlags(present); break;
        case JournalEntry::Op::Move: applyMove(present); break;
        case JournalEntry::Op::Expunge: applyExpunge(present); break;
        case JournalEntry::Op::Append: break;
        }
    });
}

void JournalReplay::applyFlags(const QList<quint32> &uids)
{
    const JournalEntry &e = m_entries[m_index];
    const QList<QByteArray> add = flagList(e.set, e.addKeywords), remove = flagList(e.clear, e.removeKeywords);
    auto pending = std::make_shared<int>(int(!add.isEmpty()) + int(!remove.isEmpty()));
    auto refused = std::make_shared<QByteArray>();
    if (*pending == 0) {
        done();
        return;
    }
    const auto after = [this, pending, refused](const Outcome &r) {
        if (!r.ok && refused->isEmpty())
            *refused = r.text.isEmpty() ? QByteArray("refused") : r.text;
        if (--*pending > 0)
            return;
        if (refused->isEmpty())
            done();
        else
            conflict(QStringLiteral("the server refused to change the flags: %1").arg(QString::fromUtf8(*refused)));
    };
    const SequenceSet set = SequenceSet::fromList(uids);
    if (!add.isEmpty())
        send(cmd::uidStore(set, cmd::StoreMode::Add, add), after);
    if (!remove.isEmpty())
        send(cmd::uidStore(set, cmd::StoreMode::Remove, remove), after);
}

void JournalReplay::applyMove(const QList<quint32> &uids)
{
    const JournalEntry &e = m_entries[m_index];
    const imap::EncodeOptions o = m_client->session().encodeOptions();
    const QByteArray target = imap::encodeMailboxName(e.target, o.utf8Accepted);
    const SequenceSet set = SequenceSet::fromList(uids);
    const auto refused = [this](const Outcome &r) {
        const JournalEntry &e = m_entries[m_index];
        if (r.tryCreate)
            conflict(QStringLiteral("the folder \"%1\" does not exist on the server").arg(e.target));
        else
            conflict(QStringLiteral("the server refused to move the messages to \"%1\": %2")
                         .arg(e.target, QString::fromUtf8(r.text)));
    };
    if (m_client->session().hasCapability("MOVE")) {
        send(cmd::uidMove(set, target, o), [this, uids, refused](const Outcome &r) {
            if (!r.ok)
                refused(r);
            else
                done(mapCopied(uids));
        });
        return;
    }
    // RFC 6851 §3.3's equivalent without MOVE: COPY, then \Deleted and UID EXPUNGE of exactly these UIDs.
    send(cmd::uidCopy(set, target, o), [this, set, uids, refused](const Outcome &r) {
        if (!r.ok) {
            refused(r);
            return;
        }
        send(cmd::uidStore(set, cmd::StoreMode::Add, {"\\Deleted"}), [this, set, uids](const Outcome &r) {
            if (!r.ok) {
                conflict(QStringLiteral("copied to \"%1\" but the server refused to remove the originals: %2")
                             .arg(m_entries[m_index].target, QString::fromUtf8(r.text)),
                         mapCopied(uids));
                return;
            }
            // Without UIDPLUS (RFC 4315) only a plain EXPUNGE exists, which would also remove whatever else is
            // marked \Deleted in the folder: the originals stay marked, for the user's next expunge.
            if (!m_client->session().hasCapability("UIDPLUS")) {
                done(mapCopied(uids));
                return;
            }
            send(cmd::uidExpunge(set), [this, uids](const Outcome &) { done(mapCopied(uids)); });
        });
    });
}

void JournalReplay::applyExpunge(const QList<quint32> &uids)
{
    const SequenceSet set = SequenceSet::fromList(uids);
    send(cmd::uidStore(set, cmd::StoreMode::Add, {"\\Deleted"}), [this, set](const Outcome &r) {
        if (!r.ok) {
            conflict(QStringLiteral("the server refused to delete the messages: %1").arg(QString::fromUtf8(r.text)));
            return;
        }
        if (!m_client->session().hasCapability("UIDPLUS")) {
            done(); // as in applyMove(): marked \Deleted, not expunged
            return;
        }
        send(cmd::uidExpunge(set), [this](const Outcome &r) {
            if (r.ok)
                done();
            else
                conflict(QStringLiteral("the server refused to expunge the messages: %1").arg(QString::fromUtf8(r.text)));
        });
    });
}

QHash<qint64, qint64> JournalReplay::mapCopied(const QList<quint32> &sent) const
{
    QHash<qint64, qint64> out;
    for (const store::JournalItem &i : m_entries[m_index].items) {
        if (i.uid > 0 && sent.contains(quint32(i.uid)) && m_copied.contains(quint32(i.uid)))
            out.insert(i.messageId, m_copied.value(quint32(i.uid)));
    }
    return out;
}

void JournalReplay::learnUids(const QHash<qint64, qint64> &uids)
{
    // Journal::finish() rewrote the later rows in the store; the copies read at start() learn the same.
    const JournalEntry &e = m_entries[m_index];
    const QString where = e.op == JournalEntry::Op::Move ? e.target : e.folder;
    for (qsizetype j = m_index + 1; j < m_entries.size(); ++j) {
        if (m_entries[j].folder != where)
            continue;
        for (store::JournalItem &i : m_entries[j].items) {
            if (i.uid <= 0 && uids.contains(i.messageId))
                i.uid = uids.value(i.messageId);
        }
    }
}

void JournalReplay::done(const QHash<qint64, qint64> &uids)
{
    if (!m_partial.isEmpty()) {
        conflict(m_partial, uids);
        return;
    }
    if (!store::Journal(*m_store).finish(m_entries[m_index], uids)) {
        fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
        m_loggingOut = true;
        m_client->logout();
        return;
    }
    learnUids(uids);
    ++m_replayed;
    next();
}

void JournalReplay::conflict(const QString &reason, const QHash<qint64, qint64> &uids)
{
    const JournalEntry &e = m_entries[m_index];
    if (!store::Journal(*m_store).finish(e, uids, reason)) {
        fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
        m_loggingOut = true;
        m_client->logout();
        return;
    }
    learnUids(uids);
    m_conflicts.append({e.id, reason});
    Q_EMIT conflictFound(e.id, reason);
    next();
}

void JournalReplay::fail(Error error, const QString &message)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
}

void JournalReplay::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_password.fill('\0');
    if (m_lock)
        m_lock->unlock(); // no-op when never locked
    if (m_claimed) {
        QMutexLocker lock(&g_claimMutex);
        g_claimed.remove(m_account.name);
        m_claimed = false;
    }
    if (m_client)
        m_trace.end(m_errorString);
    QMetaObject::invokeMethod(this, &JournalReplay::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
