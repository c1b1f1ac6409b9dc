// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapofflinebodies.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "store/store.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"

namespace tern::sync {

namespace cmd = imap::commands;
using imap::Session;

ImapOfflineBodies::ImapOfflineBodies(accounts::Account account, QByteArray password, store::Store *store,
                                     QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_store(store)
    , m_folders(m_account.options.offlineFolders)
{
}

ImapOfflineBodies::~ImapOfflineBodies() = default;

void ImapOfflineBodies::start()
{
    // What is missing is known before connecting: with nothing to fetch there is no session at all.
    for (const QString &path : std::as_const(m_folders)) {
        const auto folder = m_store->folder(m_account.name, path);
        if (!folder || folder->uidValidity == 0)
            continue; // never synced: nothing to fill in yet
        Pending p{path, folder->uidValidity, m_store->messagesWithoutBody(folder->id)};
        if (p.messages.isEmpty())
            continue;
        m_total += p.messages.size();
        m_pending.append(std::move(p));
    }
    if (m_pending.isEmpty()) {
        finish();
        return;
    }
    Q_EMIT progress(0, m_total);
    m_client = newImapClient(m_account, m_password, m_timeoutMs, this);
    m_trace.begin(m_traceLog, m_account, *m_client);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this] {
        m_trace.loggedIn(*m_client);
        nextFolder();
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        if (e.kind == Session::Event::Kind::Untagged) {
            const auto *f = e.response.get<imap::FetchData>();
            if (!f || !f->uid || m_error != Error::None)
                return;
            const qint64 id = m_batch.value(qint64(*f->uid), 0);
            for (const imap::BodySection &s : f->sections) {
                if (id == 0 || !s.section.isEmpty() || s.binary || s.data.isNull())
                    continue;
                if (!m_store->saveBody(id, s.data, mime::BodyModel(mime::Message(s.data)).plainText())) {
                    fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
                    m_done = true;
                    m_client->logout();
                    return;
                }
                m_batch.remove(qint64(*f->uid));
                Q_EMIT progress(++m_downloaded, m_total);
            }
            return;
        }
        if (e.kind != Session::Event::Kind::CommandFinished || m_done || e.result.error == Session::Error::ConnectionClosed)
            return;
        if (e.result.tag == m_selectTag) {
            if (e.result.error != Session::Error::None
                || qint64(m_client->session().mailbox().uidValidity) != m_current.uidValidity) {
                m_skipped << m_current.path; // gone, or renumbered: the next sync rebuilds it
                nextFolder();
                return;
            }
            nextBatch();
        } else if (e.result.tag == m_fetchTag) {
            if (e.result.error != Session::Error::None) {
                fail(Error::Server, QStringLiteral("the server refused to send messages of %1: server said %2")
                                        .arg(m_current.path, QString::fromUtf8(e.result.text)));
                m_done = true;
                m_client->logout();
                return;
            }
            // UIDs still in m_batch were expunged meanwhile; the next sync removes their summaries.
            nextBatch();
        }
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        if (const auto failed = imapSessionEnd<Error>(*m_client, m_account, m_done, QStringLiteral("before the messages arrived")))
            fail(failed->first, failed->second);
        finish();
    });
    m_client->start();
}

void ImapOfflineBodies::nextFolder()
{
    if (m_pending.isEmpty()) {
        m_done = true;
        m_client->logout();
        return;
    }
    m_current = m_pending.takeFirst();
    m_next = 0;
    const bool utf8 = m_client->session().encodeOptions().utf8Accepted;
    m_selectTag = m_client->select(imap::encodeMailboxName(m_current.path, utf8), true);
}

void ImapOfflineBodies::nextBatch()
{
    m_batch.clear();
    if (m_next >= m_current.messages.size()) {
        nextFolder();
        return;
    }
    QList<quint32> uids;
    for (; m_next < m_current.messages.size() && uids.size() < m_batchSize; ++m_next) {
        const auto &[id, uid] = m_current.messages[m_next];
        m_batch.insert(uid, id);
        uids.append(quint32(uid));
    }
    std::sort(uids.begin(), uids.end());
    m_fetchTag = m_client->send(cmd::uidFetch(imap::SequenceSet::fromList(uids), {"UID", "BODY.PEEK[]"}));
}

void ImapOfflineBodies::fail(Error error, const QString &message)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
}

void ImapOfflineBodies::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_password.fill('\0');
    if (m_client)
        m_trace.end(m_errorString);
    QMetaObject::invokeMethod(this, &ImapOfflineBodies::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
