// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapfetchbody.h"

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

ImapFetchBody::ImapFetchBody(accounts::Account account, QByteArray password, store::Store *store, qint64 messageId,
                             QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_store(store)
    , m_messageId(messageId)
{
}

ImapFetchBody::~ImapFetchBody() = default;

void ImapFetchBody::start()
{
    const auto summary = m_store->summary(m_messageId);
    QString path;
    if (summary) {
        const qint64 folderId = m_store->folderOf(m_messageId);
        for (const store::Folder &f : m_store->folders(m_account.name)) {
            if (f.id == folderId) {
                path = f.path;
                m_uidValidity = f.uidValidity;
            }
        }
    }
    if (!summary || path.isEmpty() || summary->uid == 0) {
        fail(Error::Gone, QStringLiteral("message %1 is not an IMAP message of account \"%2\"")
                              .arg(m_messageId)
                              .arg(m_account.name));
        finish();
        return;
    }
    m_uid = summary->uid;
    m_client = newImapClient(m_account, m_password, m_timeoutMs, this);
    m_trace.begin(m_traceLog, m_account, *m_client);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this, path] {
        m_trace.loggedIn(*m_client);
        const bool utf8 = m_client->session().encodeOptions().utf8Accepted;
        m_selectTag = m_client->select(imap::encodeMailboxName(path, utf8), true);
        m_fetchTag = m_client->send(cmd::uidFetch({{quint32(m_uid), quint32(m_uid)}}, {"UID", "BODY.PEEK[]"}));
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const Session::Event &e) {
        if (e.kind == Session::Event::Kind::Untagged) {
            const auto *f = e.response.get<imap::FetchData>();
            if (!f || f->uid != std::optional<quint32>(quint32(m_uid)))
                return;
            for (const imap::BodySection &s : f->sections) {
                if (s.section.isEmpty() && !s.binary && !s.data.isNull()) {
                    m_body = s.data;
                    m_gotBody = true;
                }
            }
            return;
        }
        if (e.kind != Session::Event::Kind::CommandFinished || m_done)
            return;
        if (e.result.tag == m_selectTag && e.result.error == Session::Error::None
            && qint64(m_client->session().mailbox().uidValidity) != m_uidValidity) {
            // RFC 9051 §2.3.1.1: the UID now names something else (or nothing); a sync must come first.
            fail(Error::Gone, QStringLiteral("the folder changed on the server since the last sync: sync first"));
            m_done = true;
            m_client->logout();
        } else if (e.result.tag == m_selectTag && e.result.error == Session::Error::No) {
            fail(Error::Gone, QStringLiteral("the folder is gone from the server: server said %1")
                                  .arg(QString::fromUtf8(e.result.text)));
            m_done = true;
            m_client->logout();
        } else if (e.result.tag == m_fetchTag && e.result.error != Session::Error::ConnectionClosed) {
            m_done = true;
            if (e.result.error != Session::Error::None)
                fail(Error::Server, QStringLiteral("the server refused to send the message: server said %1")
                                        .arg(QString::fromUtf8(e.result.text)));
            else if (!m_gotBody)
                fail(Error::Gone, QStringLiteral("message %1 is no longer on the server").arg(m_messageId));
            else if (!m_store->saveBody(m_messageId, m_body, mime::BodyModel(mime::Message(m_body)).plainText()))
                fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
            m_client->logout();
        }
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        if (const auto failed = imapSessionEnd<Error>(*m_client, m_account, m_done, QStringLiteral("before the message arrived")))
            fail(failed->first, failed->second);
        finish();
    });
    m_client->start();
}

void ImapFetchBody::fail(Error error, const QString &message)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
}

void ImapFetchBody::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_password.fill('\0');
    m_trace.end(m_errorString);
    QMetaObject::invokeMethod(this, &ImapFetchBody::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
