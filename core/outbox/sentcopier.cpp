// SPDX-License-Identifier: GPL-3.0-or-later
#include "outbox/sentcopier.h"

#include "imap/imapclient.h"
#include "imap/mutf7.h"
#include "outbox/crashpoint.h"
#include "store/store.h"
#include "sync/connectionsettings.h"
#include "sync/rawsummary.h"
#include "sync/specialfolder.h"

#include <QDateTime>
#include <QTimer>

namespace tern::outbox {

namespace cmd = imap::commands;
using Kind = imap::Session::Event::Kind;

SentCopier::SentCopier(accounts::Account account, QByteArray incomingSecret, store::Store *store, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_secret(std::move(incomingSecret))
    , m_store(store)
    , m_outbox(store->database())
{
}

SentCopier::~SentCopier() = default;

qint64 SentCopier::now() const
{
    return QDateTime::currentSecsSinceEpoch();
}

void SentCopier::start()
{
    m_pending = m_outbox.pendingCopies(m_account.name);
    if (m_pending.isEmpty()) {
        QTimer::singleShot(0, this, &SentCopier::done);
        return;
    }
    if (m_account.incomingProtocol == accounts::IncomingProtocol::Pop3) {
        QTimer::singleShot(0, this, &SentCopier::copyLocally);
        return;
    }
    m_client = sync::newImapClient(m_account, m_secret, m_timeoutMs, this);
    connect(m_client, &imap::ImapClient::loggedIn, this, [this] {
        m_step = Step::List;
        m_tag = m_client->send(cmd::list("", "*", m_client->session().encodeOptions()));
    });
    connect(m_client, &imap::ImapClient::sessionEvent, this, [this](const imap::Session::Event &e) {
        if (e.kind == Kind::Untagged && m_step == Step::List) {
            if (const auto *list = e.response.get<imap::ListData>(); list && !list->lsub)
                m_listed.append({list->rawName, list->flags});
        } else if (e.kind == Kind::Untagged && m_step == Step::Search) {
            if (const auto *search = e.response.get<imap::SearchData>(); search && !search->numbers.isEmpty())
                m_found = true;
        } else if (e.kind == Kind::CommandFinished && !m_tag.isEmpty() && e.result.tag == m_tag) {
            const bool exists = e.result.code.name == "ALREADYEXISTS"; // RFC 5530 §3
            onEvent(e.result.tag, e.result.error == imap::Session::Error::None, QString::fromUtf8(e.result.text), exists);
        }
    });
    connect(m_client, &imap::ImapClient::finished, this, [this] {
        if (m_step != Step::Logout) {
            QString why;
            if (const auto cert = m_client->certificateInfo())
                why = sync::certificateMessage(*cert);
            else if (m_client->error() == imap::ImapClient::Error::AuthenticationFailed)
                why = QStringLiteral("authentication failed: server said %1").arg(QString::fromUtf8(m_client->lastResult().text));
            else
                why = QStringLiteral("connection to %1:%2 failed or was lost").arg(m_account.incoming.host).arg(m_account.incoming.port);
            failRemaining(QStringLiteral("Sent copy not saved: %1").arg(why));
        }
        done();
    });
    m_client->start();
}

void SentCopier::copyLocally()
{
    store::Folder sent;
    sent.account = m_account.name;
    sent.path = QStringLiteral("Sent");
    sent.role = QStringLiteral("sent");
    const auto existing = m_store->folder(m_account.name, sent.path);
    const qint64 folderId = existing ? existing->id : m_store->saveFolder(sent);
    for (qint64 id : std::as_const(m_pending)) {
        const auto item = m_outbox.item(id);
        if (!item)
            continue;
        store::MessageSummary s = sync::summaryFromMessage(item->raw, now());
        s.flags = store::Seen; // our own message
        s.uidl = QStringLiteral("outbox:%1").arg(id); // idempotent: a retry finds the copy already there
        if (folderId == 0 || m_store->insertDownloaded(folderId, s, item->raw) == 0) {
            m_error = QStringLiteral("Sent copy not saved: %1").arg(m_store->error());
            m_outbox.setSentCopy(id, SentCopyState::Failed, m_error, now());
            continue;
        }
        if (m_outbox.setSentCopy(id, SentCopyState::Done, {}, now()))
            ++m_copied;
    }
    m_folder = "Sent";
    done();
}

void SentCopier::chooseFolder()
{
    m_folder = sync::specialFolder(m_listed, "\\Sent", "Sent");
}

void SentCopier::onEvent(const QByteArray &, bool ok, const QString &text, bool alreadyExists)
{
    m_tag.clear();
    switch (m_step) {
    case Step::List: onListed(); return;
    case Step::Create: onCreated(ok || alreadyExists, text); return;
    case Step::Examine: onExamined(ok, text); return;
    case Step::Search: onSearched(ok, text); return;
    case Step::Append: onAppended(ok, text); return;
    case Step::Login:
    case Step::Logout: return;
    }
}

void SentCopier::onListed()
{
    chooseFolder();
    if (!m_folder.isEmpty()) {
        examine();
        return;
    }
    const imap::EncodeOptions o = m_client->session().encodeOptions();
    m_folder = imap::encodeMailboxName(QStringLiteral("Sent"), o.utf8Accepted);
    // RFC 6154 §3: with CREATE-SPECIAL-USE the new folder is marked \Sent for every client.
    const bool special = m_client->session().hasCapability("CREATE-SPECIAL-USE");
    m_step = Step::Create;
    m_tag = m_client->send(cmd::create(m_folder, o, special ? QByteArrayView("\\Sent") : QByteArrayView()));
}

void SentCopier::onCreated(bool ok, const QString &text)
{
    if (!ok) { // [ALREADYEXISTS] (RFC 5530 §3) counts as success: another client made it meanwhile
        giveUp(QStringLiteral("Sent copy not saved: cannot create the Sent folder: server said %1").arg(text));
        return;
    }
    examine();
}

void SentCopier::examine()
{
    m_step = Step::Examine;
    m_tag = m_client->select(m_folder, true);
}

void SentCopier::onExamined(bool ok, const QString &text)
{
    if (!ok) {
        giveUp(QStringLiteral("Sent copy not saved: cannot open %1: server said %2").arg(QString::fromUtf8(m_folder), text));
        return;
    }
    nextCopy();
}

void SentCopier::onSearched(bool ok, const QString &text)
{
    const auto item = m_outbox.item(m_current);
    if (!ok || !item) {
        m_outbox.setSentCopy(m_current, SentCopyState::Failed,
                             QStringLiteral("Sent copy not saved: search failed: server said %1").arg(text), now());
        nextCopy();
        return;
    }
    if (m_found) { // an earlier run's APPEND went through before it could record it
        if (m_outbox.setSentCopy(m_current, SentCopyState::Done, {}, now()))
            ++m_copied;
        nextCopy();
        return;
    }
    crashPoint("before-append");
    m_step = Step::Append;
    m_tag = m_client->send(cmd::append(m_folder, item->raw, m_client->session().encodeOptions(), {QByteArrayLiteral("\\Seen")}));
}

void SentCopier::onAppended(bool ok, const QString &text)
{
    if (ok) {
        crashPoint("after-append");
        if (m_outbox.setSentCopy(m_current, SentCopyState::Done, {}, now()))
            ++m_copied;
    } else {
        m_error = QStringLiteral("Sent copy not saved: APPEND to %1 refused: server said %2")
                      .arg(QString::fromUtf8(m_folder), text);
        m_outbox.setSentCopy(m_current, SentCopyState::Failed, m_error, now());
    }
    nextCopy();
}

void SentCopier::giveUp(const QString &error)
{
    failRemaining(error);
    m_step = Step::Logout;
    m_client->logout();
}

void SentCopier::nextCopy()
{
    if (m_pending.isEmpty()) {
        m_step = Step::Logout;
        m_client->logout();
        return;
    }
    m_current = m_pending.takeFirst();
    m_found = false;
    const auto item = m_outbox.item(m_current);
    m_step = Step::Search;
    if (!item || item->messageId.isEmpty()) {
        onEvent({}, item.has_value(), m_outbox.error(), false); // nothing to search by: straight to APPEND
        return;
    }
    m_tag = m_client->send(cmd::uidSearch({cmd::SearchTerm{"HEADER", {"Message-ID", item->messageId}}},
                                          m_client->session().encodeOptions()));
}

void SentCopier::failRemaining(const QString &error)
{
    m_error = error;
    if (m_current != 0 && (m_step == Step::Search || m_step == Step::Append))
        m_pending.prepend(m_current);
    for (qint64 id : std::as_const(m_pending))
        m_outbox.setSentCopy(id, SentCopyState::Failed, error, now());
    m_pending.clear();
}

void SentCopier::done()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace tern::outbox
