// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapdraft.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"
#include "sync/specialfolder.h"

#include <QTimer>

namespace tern::sync {

namespace cmd = imap::commands;
using Kind = imap::Session::Event::Kind;

ImapDraft::ImapDraft(accounts::Account account, QByteArray password, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
{
}

ImapDraft::~ImapDraft()
{
    m_password.fill('\0');
}

void ImapDraft::save(const QByteArray &messageId, const QByteArray &raw)
{
    m_messageId = messageId;
    m_raw = raw;
    begin();
}

void ImapDraft::remove(const QByteArray &messageId)
{
    m_messageId = messageId;
    m_raw.clear();
    begin();
}

void ImapDraft::begin()
{
    if (m_account.incomingProtocol != accounts::IncomingProtocol::Imap || m_messageId.isEmpty()) {
        fail(Error::Folder, QStringLiteral("the account has no IMAP Drafts folder"));
        QTimer::singleShot(0, this, &ImapDraft::finish);
        return;
    }
    m_client = newImapClient(m_account, m_password, m_timeoutMs, this);
    m_password.fill('\0');
    m_trace.begin(m_traceLog, m_account, *m_client);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this] {
        m_trace.loggedIn(*m_client);
        m_listing = true;
        send(m_client->send(cmd::list("", "*", m_client->session().encodeOptions())), [this](bool ok, const QString &text) {
            m_listing = false;
            if (!ok)
                fail(Error::Folder, QStringLiteral("the server did not list its folders: %1").arg(text));
            else
                listed();
        });
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const imap::Session::Event &e) {
        if (e.kind == Kind::Untagged) {
            if (const auto *list = e.response.get<imap::ListData>(); list && m_listing && !list->lsub)
                m_listed.append({list->rawName, list->flags});
            else if (const auto *found = e.response.get<imap::SearchData>(); found && m_searching)
                m_old += found->numbers;
            return;
        }
        if (e.kind != Kind::CommandFinished)
            return;
        const Handler handler = m_handlers.take(e.result.tag);
        if (!handler)
            return;
        const bool ok = e.result.error == imap::Session::Error::None;
        // [ALREADYEXISTS] (RFC 5530 §3): another client created the folder meanwhile, which is what we wanted.
        handler(ok || e.result.code.name == "ALREADYEXISTS", QString::fromUtf8(e.result.text));
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        if (const auto failed = imapSessionEnd<Error>(*m_client, m_account, m_loggingOut, QStringLiteral("before the draft was stored")))
            fail(failed->first, failed->second);
        finish();
    });
    m_client->start();
}

void ImapDraft::send(const QByteArray &tag, Handler handler)
{
    m_handlers.insert(tag, std::move(handler));
}

void ImapDraft::listed()
{
    m_folder = specialFolder(m_listed, "\\Drafts", "Drafts");
    if (!m_folder.isEmpty()) {
        selectFolder();
        return;
    }
    if (m_raw.isEmpty()) { // nothing to remove where there is no folder
        logout();
        return;
    }
    const imap::EncodeOptions o = m_client->session().encodeOptions();
    m_folder = imap::encodeMailboxName(QStringLiteral("Drafts"), o.utf8Accepted);
    // RFC 6154 §3: with CREATE-SPECIAL-USE the new folder is marked \Drafts for every client.
    const bool special = m_client->session().hasCapability("CREATE-SPECIAL-USE");
    send(m_client->send(cmd::create(m_folder, o, special ? QByteArrayView("\\Drafts") : QByteArrayView())),
         [this](bool ok, const QString &text) {
             if (!ok)
                 fail(Error::Folder, QStringLiteral("cannot create the Drafts folder: %1").arg(text));
             else
                 selectFolder();
         });
}

void ImapDraft::selectFolder()
{
    send(m_client->select(m_folder), [this](bool ok, const QString &text) {
        if (!ok)
            fail(Error::Folder, QStringLiteral("cannot open %1: %2").arg(QString::fromUtf8(m_folder), text));
        else
            search();
    });
}

// The copies to replace, looked up before the APPEND, so the new one is never among them.
void ImapDraft::search()
{
    m_searching = true;
    const QList<cmd::SearchTerm> terms{{"HEADER", {"Message-ID", m_messageId}}};
    send(m_client->send(cmd::uidSearch(terms, m_client->session().encodeOptions())), [this](bool ok, const QString &text) {
        m_searching = false;
        if (!ok) {
            fail(Error::Refused, QStringLiteral("the search for the older draft failed: %1").arg(text));
            return;
        }
        if (m_raw.isEmpty())
            removeOld();
        else
            append();
    });
}

void ImapDraft::append()
{
    const QList<QByteArray> flags{QByteArrayLiteral("\\Draft"), QByteArrayLiteral("\\Seen")};
    send(m_client->send(cmd::append(m_folder, m_raw, m_client->session().encodeOptions(), flags)),
         [this](bool ok, const QString &text) {
             if (!ok)
                 fail(Error::Refused, QStringLiteral("APPEND to %1 refused: %2").arg(QString::fromUtf8(m_folder), text));
             else
                 removeOld(); // the new version is stored: only now may the older ones go
         });
}

void ImapDraft::removeOld()
{
    if (m_old.isEmpty()) {
        logout();
        return;
    }
    const imap::SequenceSet uids = imap::SequenceSet::fromList(m_old);
    send(m_client->send(cmd::uidStore(uids, cmd::StoreMode::Add, {QByteArrayLiteral("\\Deleted")})),
         [this, uids](bool ok, const QString &text) {
             if (!ok) {
                 fail(Error::Refused, QStringLiteral("the older draft could not be deleted: %1").arg(text));
                 return;
             }
             // Without UIDPLUS, EXPUNGE also removes what another client marked \Deleted in Drafts; with it,
             // exactly these UIDs go.
             const bool uidplus = m_client->session().hasCapability("UIDPLUS");
             send(m_client->send(uidplus ? cmd::uidExpunge(uids) : cmd::expunge()), [this](bool ok, const QString &text) {
                 if (!ok) {
                     fail(Error::Refused, QStringLiteral("the older draft could not be expunged: %1").arg(text));
                     return;
                 }
                 m_removed = int(m_old.size());
                 logout();
             });
         });
}

void ImapDraft::fail(Error error, const QString &message)
{
    if (m_error == Error::None) {
        m_error = error;
        m_errorString = message;
    }
    if (m_client && !m_loggingOut && !m_client->isFinished() && m_client->isLoggedIn())
        logout();
}

void ImapDraft::logout()
{
    m_loggingOut = true;
    m_client->logout();
}

void ImapDraft::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_trace.end(m_errorString);
    Q_EMIT finished();
}

} // namespace tern::sync
