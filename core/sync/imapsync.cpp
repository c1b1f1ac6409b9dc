// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapsync.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "store/journal.h"
#include "store/store.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"
#include "sync/imapsummary.h"
#include "sync/imapsync_p.h"
#include "sync/journalreplay.h"
#include "sync/storewriter.h"

#include <QSet>

#include <algorithm>

namespace tern::sync {

namespace cmd = imap::commands;
using imap::SequenceSet;

namespace {

CommandOutcome outcomeOf(const imap::Session::Result &result)
{
    using imap::Session;
    CommandOutcome o{CommandOutcome::Kind::Broken, result.tag, result.command, result.text};
    switch (result.error) {
    case Session::Error::None: o.kind = CommandOutcome::Kind::Ok; break;
    case Session::Error::No:
    case Session::Error::Bad: o.kind = CommandOutcome::Kind::Refused; break;
    case Session::Error::ConnectionClosed: o.kind = CommandOutcome::Kind::Lost; break;
    default: break;
    }
    return o;
}

ImapSync::Error errorFor(Failure::Kind kind)
{
    switch (kind) {
    case Failure::Kind::None: return ImapSync::Error::None;
    case Failure::Kind::Certificate: return ImapSync::Error::Certificate;
    case Failure::Kind::Tls: return ImapSync::Error::Tls;
    case Failure::Kind::Connection: return ImapSync::Error::Connection;
    case Failure::Kind::Authentication: return ImapSync::Error::Authentication;
    case Failure::Kind::Protocol: return ImapSync::Error::Protocol;
    case Failure::Kind::Timeout: return ImapSync::Error::Timeout;
    }
    return ImapSync::Error::Connection;
}

bool isInbox(const QString &path)
{
    return path.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0;
}

bool hasAttribute(const QList<QByteArray> &attributes, QByteArrayView name)
{
    return std::any_of(attributes.begin(), attributes.end(),
                       [&](const QByteArray &a) { return a.compare(name, Qt::CaseInsensitive) == 0; });
}

} // namespace

ImapSync::ImapSync(accounts::Account account, QByteArray password, QString storePath, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_storePath(std::move(storePath))
{
}

ImapSync::~ImapSync() = default;

void ImapSync::start()
{
    m_store = std::make_unique<store::Store>();
    if (!m_store->open(m_storePath)) {
        fail(Error::Store, QStringLiteral("cannot open the mail store: %1").arg(m_store->error()));
        finish();
        return;
    }
    // The user's offline changes reach the server first (issue 6): otherwise this sync would read the
    // server's older flags and undo them locally.
    if (store::Journal(*m_store).pendingCount(m_account.name) > 0) {
        replayJournal();
        return;
    }
    connectAndSync();
}

void ImapSync::replayJournal()
{
    auto *replay = new JournalReplay(m_account, m_password, m_store.get(), this);
    replay->setTraceLog(m_traceLog);
    replay->setTimeout(m_timeoutMs);
    connect(replay, &JournalReplay::conflictFound, this, &ImapSync::journalConflict);
    connect(replay, &JournalReplay::finished, this, [this, replay] {
        replay->deleteLater();
        m_journalReplayed = replay->replayedCount();
        m_journalConflicts = int(replay->conflicts().size());
        using R = JournalReplay::Error;
        switch (replay->error()) {
        case R::None: connectAndSync(); return;
        // The server is out of reach or refuses us: a second connection would only say so again.
        case R::Certificate: fail(Error::Certificate, replay->errorString()); break;
        case R::Tls: fail(Error::Tls, replay->errorString()); break;
        case R::Connection: fail(Error::Connection, replay->errorString()); break;
        case R::Authentication: fail(Error::Authentication, replay->errorString()); break;
        case R::Protocol: fail(Error::Protocol, replay->errorString()); break;
        case R::Timeout: fail(Error::Timeout, replay->errorString()); break;
        case R::Store: fail(Error::Store, replay->errorString()); break;
        }
        finish();
    });
    replay->start();
}

void ImapSync::connectAndSync()
{
    m_writer = new StoreWriter(m_storePath, this);
    m_writer->setIndexWhileIdle(m_indexing); // what an earlier run stored unindexed
    connect(m_writer, &StoreWriter::failed, this, [this](const QString &message) {
        fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(message));
        if (m_client->isFinished())
            finish();
        else
            stop();
    });

    m_client = newImapClient(m_account, m_password, m_timeoutMs, this);
    connect(m_client, &imap::ImapClient::loggedIn, this, &ImapSync::onLoggedIn);
    connect(m_client, &imap::ImapClient::finished, this, &ImapSync::onClientFinished);
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const imap::Session::Event &e) {
        using Kind = imap::Session::Event::Kind;
        switch (e.kind) {
        case Kind::Untagged:
            onUntagged(e.response);
            break;
        case Kind::Selected:
            if (m_run)
                m_run->server = e.mailbox;
            break;
        case Kind::CommandFinished:
            onCommandFinished(outcomeOf(e.result));
            break;
        default:
            break;
        }
    });
    m_trace.begin(m_traceLog, m_account, *m_client);
    m_client->start();
}

void ImapSync::run(const QByteArray &tag, Handler handler)
{
    if (tag.isEmpty()) { // refused before sending: a CommandFinished without a tag says why
        fail(Error::Protocol, QStringLiteral("could not send a command the sync needs"));
        stop();
        return;
    }
    m_handlers.insert(tag, std::move(handler));
}

void ImapSync::onCommandFinished(const CommandOutcome &outcome)
{
    using Kind = CommandOutcome::Kind;
    const Handler handler = m_handlers.take(outcome.tag);
    if (!handler || m_stopping || outcome.kind == Kind::Lost)
        return; // lost: the client's finished() follows and says why
    const bool mayFail = outcome.command == "SELECT" || outcome.command == "EXAMINE" || outcome.command == "ENABLE";
    if (outcome.kind == Kind::Broken || (outcome.kind == Kind::Refused && !mayFail)) {
        commandFailed(outcome.command, outcome.text);
        return;
    }
    handler(outcome.kind == Kind::Ok);
}

void ImapSync::onLoggedIn()
{
    m_trace.loggedIn(*m_client);
    const imap::Session &s = m_client->session();
    m_specialUse = s.hasCapability("SPECIAL-USE");
    m_condstore = s.hasCapability("CONDSTORE") || s.hasCapability("QRESYNC"); // RFC 7162 §3.2.3: QRESYNC implies it
    if (s.hasCapability("QRESYNC") && s.hasCapability("ENABLE")) {
        run(m_client->enable({"QRESYNC"}), [this](bool) {
            m_qresync = m_client->session().isEnabled("QRESYNC");
            syncKnownFolders();
        });
        return;
    }
    syncKnownFolders();
}

void ImapSync::syncKnownFolders()
{
    // The folders this run would sync that an earlier run has already selected go first, before LIST: after a
    // LIST, Dovecot 2.4 (maildir) re-reads a large folder's whole index on every SELECT of that session,
    // ~0.25 s for 100k messages, where a SELECT before it takes a few ms. So a warm sync of unchanged folders
    // costs a few round trips; LIST comes after them and adds or removes folders as before (folders it finds
    // new are synced then). The name is re-encoded from the stored path, as ImapFetchBody does; a folder that
    // is not selectable under it any more is left to the pass after LIST.
    const bool utf8 = m_client->session().encodeOptions().utf8Accepted;
    for (const store::Folder &f : m_store->folders(m_account.name)) {
        if (f.uidValidity == 0 || !wanted(f.path, f.subscribed))
            continue;
        Listed l;
        l.path = f.path;
        l.rawName = imap::encodeMailboxName(f.path, utf8);
        l.subscribed = f.subscribed;
        m_toSync.append(l);
    }
    // INBOX first: it is where new mail is.
    std::stable_sort(m_toSync.begin(), m_toSync.end(),
                     [](const Listed &a, const Listed &b) { return isInbox(a.path) && !isInbox(b.path); });
    nextFolder();
}

bool ImapSync::wanted(const QString &path, bool subscribed) const
{
    return m_onlyFolder.isEmpty() ? subscribed
                                  : (path == m_onlyFolder || (isInbox(path) && isInbox(m_onlyFolder)));
}

void ImapSync::onUntagged(const imap::Response &r)
{
    if (const auto *list = r.get<imap::ListData>()) {
        if (list->lsub) {
            m_lsub.append(list->name);
            return;
        }
        Listed l;
        l.path = list->name;
        l.rawName = list->rawName;
        l.delimiter = list->delimiter ? QString(QLatin1Char(list->delimiter)) : QString();
        l.attributes = list->flags;
        l.subscribed = hasAttribute(list->flags, "\\Subscribed");
        m_listed.append(l);
        return;
    }
    if (!m_run)
        return; // data about a folder whose run is over: the next sync sees it again
    FolderRun &folder = *m_run;
    if (const auto *f = r.get<imap::FetchData>()) {
        if (!f->uid)
            return; // no UID, no use: without QRESYNC an unsolicited FETCH may carry only a sequence number
        if (f->envelope) {
            folder.fetched.append(summaryFromFetch(*f));
        } else if (f->flags) {
            const Flags flags = flagsFromImap(*f->flags);
            folder.flags.append({qint64(*f->uid), flags.bits, flags.keywords, qint64(f->modseq.value_or(0))});
            folder.flagUids.append(*f->uid);
        }
    } else if (const auto *v = r.get<imap::VanishedData>()) {
        for (quint32 uid : v->uids.toList())
            folder.vanished.append(uid);
    } else if (const auto *s = r.get<imap::SearchData>()) {
        folder.searched.append(s->numbers);
    } else if (const auto *e = r.get<imap::ESearchData>()) {
        folder.searched.append(e->all.toList());
    }
}

void ImapSync::listFolders()
{
    m_listed.clear();
    m_lsub.clear();
    const imap::EncodeOptions eo = m_client->session().encodeOptions();
    if (m_client->session().hasCapability("LIST-EXTENDED")) {
        // RFC 5258 §3: one LIST says which folders exist, which are subscribed and (RFC 6154) their roles.
        cmd::ListOptions o;
        o.returnSubscribed = true;
        o.returnSpecialUse = m_specialUse;
        run(m_client->send(cmd::list("", "*", eo, o)), [this](bool) { saveFolders(); });
        return;
    }
    run(m_client->send(cmd::list("", "*", eo)), [](bool) { });
    run(m_client->send(cmd::lsub("", "*", eo)), [this](bool) { saveFolders(); });
}

void ImapSync::saveFolders()
{
    const QSet<QString> lsub(m_lsub.cbegin(), m_lsub.cend());
    QHash<QString, store::Folder> stored;
    for (const store::Folder &f : m_store->folders(m_account.name))
        stored.insert(f.path, f);
    QSet<QString> onServer;
    QList<Listed> selectable;
    for (Listed &l : m_listed) {
        if (hasAttribute(l.attributes, "\\NonExistent"))
            continue; // RFC 5258 §3.4: only a parent in the hierarchy
        l.subscribed = l.subscribed || lsub.contains(l.path) || isInbox(l.path);
        store::Folder f;
        f.account = m_account.name;
        f.path = l.path;
        f.delimiter = l.delimiter;
        f.role = roleFor(l.path, l.attributes, m_specialUse);
        f.subscribed = l.subscribed;
        const auto known = stored.constFind(l.path);
        const bool same = known != stored.cend() && known->delimiter == f.delimiter && known->role == f.role
            && known->subscribed == f.subscribed;
        if (!same && m_store->saveFolder(f) == 0) {
            fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
            stop();
            return;
        }
        onServer.insert(l.path);
        if (!hasAttribute(l.attributes, "\\Noselect"))
            selectable.append(l);
    }
    for (const store::Folder &f : std::as_const(stored)) {
        if (!onServer.contains(f.path) && !m_store->removeFolder(f.id)) {
            fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
            stop();
            return;
        }
    }
    // INBOX first: it is where new mail is.
    std::stable_sort(selectable.begin(), selectable.end(),
                     [](const Listed &a, const Listed &b) { return isInbox(a.path) && !isInbox(b.path); });
    bool found = false;
    for (const Listed &l : std::as_const(selectable)) {
        if (!wanted(l.path, l.subscribed))
            continue;
        found = true;
        if (!m_selected.contains(l.path)) // not already synced before LIST
            m_toSync.append(l);
    }
    if (!m_onlyFolder.isEmpty() && !found) {
        fail(Error::NoSuchFolder, QStringLiteral("no folder \"%1\" on the server").arg(m_onlyFolder));
        stop();
        return;
    }
    nextFolder();
}

void ImapSync::nextFolder()
{
    if (m_stopping)
        return;
    const bool last = m_listSent && m_folderIndex + 1 >= m_toSync.size();
    if (m_run && !last) {
        // CLOSE (after EXAMINE it expunges nothing, RFC 3501 §6.4.2) so that nothing still arriving about
        // this folder is taken for the next one's. After the last folder LOGOUT does the same.
        m_run.reset();
        run(m_client->send(cmd::close()), [this](bool) { nextFolder(); });
        return;
    }
    m_run.reset();
    if (++m_folderIndex >= m_toSync.size()) {
        if (!m_listSent) {
            m_listSent = true;
            --m_folderIndex; // the folders LIST adds come after the last one synced
            listFolders();
            return;
        }
        m_allDone = true;
        m_client->logout();
        return;
    }
    const Listed &l = m_toSync.at(m_folderIndex);
    const auto local = m_store->folder(m_account.name, l.path);
    if (!local) {
        fail(Error::Store, QStringLiteral("cannot read the mail store: %1").arg(m_store->error()));
        stop();
        return;
    }
    m_run = std::make_unique<FolderRun>();
    m_run->local = *local;
    m_run->rawName = l.rawName;
    Q_EMIT folderStarted(m_folderIndex + 1, int(m_toSync.size()), l.path);
    std::optional<cmd::QresyncParams> qresync;
    if (m_qresync && local->uidValidity != 0 && local->uidNext != 0 && local->highestModSeq != 0)
        qresync = cmd::QresyncParams{quint32(local->uidValidity), quint64(local->highestModSeq), {}};
    m_run->qresyncSent = qresync.has_value();
    // EXAMINE: the sync only reads, and must not clear \Recent for another client.
    run(m_client->select(l.rawName, true, qresync), [this](bool ok) {
        if (!ok) {
            m_run.reset(); // e.g. deleted since LIST; the next sync's LIST removes it
            nextFolder();
            return;
        }
        m_selected.insert(m_run->local.path);
        onSelected(m_run->server);
    });
}

void ImapSync::onSelected(const imap::MailboxInfo &mailbox)
{
    FolderRun &r = *m_run;
    r.plan = planFolder(r.local, mailbox, r.qresyncSent, m_condstore);
    const qint64 folderId = r.local.id;
    if (r.plan.dropCache) {
        r.flags.clear();
        r.vanished.clear();
        m_writer->post([folderId](store::Store &s) { return s.dropFolderMessages(folderId); });
        r.local.uidValidity = 0;
        r.local.uidNext = 0;
        r.local.highestModSeq = 0;
    }
    switch (r.plan.mode) {
    case SyncMode::Full:
        syncFull();
        return;
    case SyncMode::Qresync:
        syncQresync();
        return;
    case SyncMode::CondStore:
        syncCondStore();
        return;
    case SyncMode::Fallback:
        syncFallback();
        return;
    }
}

void ImapSync::commandFailed(const QByteArray &command, const QByteArray &text)
{
    const QString folder = m_run ? QStringLiteral(" in \"%1\"").arg(m_run->local.path) : QString();
    fail(Error::Server, QStringLiteral("the server refused %1%2: server said %3")
                            .arg(QString::fromLatin1(command), folder, QString::fromUtf8(text)),
         QString::fromUtf8(text));
    stop();
}

void ImapSync::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_run.reset();
    if (m_client && !m_client->isFinished())
        m_client->logout();
}

void ImapSync::onClientFinished()
{
    const QString where = QStringLiteral("%1:%2").arg(m_account.incoming.host).arg(m_account.incoming.port);
    const Failure failure = imapFailure(*m_client, where);
    if (failure.kind != Failure::Kind::None)
        fail(errorFor(failure.kind), failure.message, failure.serverText);
    else if (!m_allDone)
        fail(Error::Connection, QStringLiteral("connection to %1 ended before the sync finished").arg(where));
    m_run.reset();
    if (m_writer->hasFailed()) {
        finish();
        return;
    }
    // Everything received is committed before finished(): a caller reads a consistent store.
    m_writer->post([](store::Store &) { return true; }, [this] { finish(); });
}

void ImapSync::fail(Error error, const QString &message, const QString &serverText)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
    m_serverText = serverText;
}

void ImapSync::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_password.fill('\0');
    m_trace.end(m_errorString);
    QMetaObject::invokeMethod(this, &ImapSync::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
