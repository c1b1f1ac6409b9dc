// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/pop3fetch.h"

#include "diagnostics/protocolsink.h"
#include "diagnostics/tracelog.h"
#include "pop3/pop3client.h"
#include "store/store.h"
#include "sync/connectionsettings.h"
#include "sync/failure.h"
#include "sync/rawsummary.h"

#include <QSet>
#include <QStringList>

namespace tern::sync {

using pop3::Request;
using pop3::Result;


Pop3Fetch::Pop3Fetch(accounts::Account account, QByteArray password, store::Store *store, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_password(std::move(password))
    , m_store(store)
{
}

Pop3Fetch::~Pop3Fetch() = default;

void Pop3Fetch::start()
{
    auto folder = m_store->folder(m_account.name, QStringLiteral("INBOX"));
    if (!folder) {
        store::Folder inbox;
        inbox.account = m_account.name;
        inbox.path = QStringLiteral("INBOX");
        inbox.role = QStringLiteral("inbox");
        m_folderId = m_store->saveFolder(inbox);
    } else {
        m_folderId = folder->id;
    }
    if (m_folderId == 0) {
        fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
        finish();
        return;
    }
    // Seen, not stored: a message deleted here but left on the server is not downloaded again.
    m_firstSeen = m_store->seenUidls(m_folderId);

    m_client = new pop3::Pop3Client(pop3Config(m_account, m_password), this);
    m_client->setServer(m_account.incoming.host, m_account.incoming.port);
    m_client->setTlsPolicy(tlsPolicy(m_account));
    m_client->setTimeout(m_timeoutMs);
    if (m_traceLog) {
        m_traceSession = m_traceLog->beginSession(m_account.name, QStringLiteral("POP3"), QStringLiteral("%1:%2").arg(m_account.incoming.host).arg(m_account.incoming.port));
        m_client->setTraceSink(diagnostics::sinkFor(m_traceLog, m_traceSession));
    }
    connect(m_client, &pop3::Pop3Client::loggedIn, this, &Pop3Fetch::onLoggedIn);
    connect(m_client, &pop3::Pop3Client::idle, this, &Pop3Fetch::onIdle);
    connect(m_client, &pop3::Pop3Client::finished, this, &Pop3Fetch::onClientFinished);
    m_client->start();
}

void Pop3Fetch::onLoggedIn()
{
    if (m_traceLog) {
        m_traceLog->setTls(m_traceSession, tlsDescription(m_client->tlsSession()));
        QStringList capabilities;
        for (const QByteArray &line : m_client->capabilities())
            capabilities.append(QString::fromLatin1(line));
        m_traceLog->setCapabilities(m_traceSession, capabilities);
    }
    // LIST first: the session learns every size and refuses an oversized RETR before sending it (P1).
    enqueue({Request::Kind::List});
    enqueue({Request::Kind::Uidl});
}

void Pop3Fetch::enqueue(const Request &request)
{
    ++m_outstanding;
    m_client->enqueue(request);
}

void Pop3Fetch::onIdle()
{
    if (m_finished || m_client->isFinished())
        return;
    const QList<Result> results = m_client->takeResults();
    m_outstanding -= int(results.size());
    for (const Result &r : results) {
        if (!handle(r))
            return;
    }
    // Pop3Client also reports idle right after login, before anything was asked: wait for every answer.
    if (m_outstanding > 0)
        return;
    if (m_step == Step::Listing) {
        m_total = int(m_toFetch.size());
        m_step = Step::Downloading;
        Q_EMIT progress(0, m_total);
        downloadNext();
    } else if (m_step == Step::Downloading) {
        downloadNext();
    }
}

bool Pop3Fetch::handle(const Result &r)
{
    switch (r.request.kind) {
    case Request::Kind::Uidl:
        if (r.status != Result::Status::Ok) {
            fail(Error::Protocol, QStringLiteral("the server refused UIDL: %1").arg(QString::fromUtf8(r.text)),
                 QString::fromUtf8(r.text));
            quit();
            return false;
        }
        {
            QSet<QString> listed;
            for (const auto &entry : r.uids)
                listed.insert(QString::fromLatin1(entry.second));
            // A UIDL the server no longer lists can never come back (RFC 1939 §7): forget it, so the
            // table stays the size of the server's mailbox.
            if (!m_store->forgetUidlsExcept(m_folderId, listed)) {
                fail(Error::Store, QStringLiteral("cannot write the mail store: %1").arg(m_store->error()));
                quit();
                return false;
            }
        }
        for (const auto &[number, uid] : r.uids) {
            const QString uidl = QString::fromLatin1(uid);
            if (!m_firstSeen.contains(uidl))
                m_toFetch.append({number, uidl});
            else if (mayDelete(uidl))
                enqueue({Request::Kind::Dele, number}); // stored by an earlier run
        }
        return true;
    case Request::Kind::Dele:
        if (r.status == Result::Status::Ok)
            ++m_deleted;
        return true;
    case Request::Kind::Retr:
        if (r.status != Result::Status::Ok) {
            ++m_skipped; // -ERR, or larger than the limit: left on the server, tried again next time
            return true;
        }
        if (!storeMessage(m_currentUidl, r.message)) {
            quit(); // nothing after this is deleted; every DELE sent so far was for a stored message
            return false;
        }
        ++m_downloaded;
        if (mayDelete(m_currentUidl))
            enqueue({Request::Kind::Dele, r.request.message});
        return true;
    default:
        return true;
    }
}

void Pop3Fetch::downloadNext()
{
    if (m_current >= 0)
        Q_EMIT progress(m_total - int(m_toFetch.size()), m_total);
    if (m_toFetch.isEmpty()) {
        quit(); // RFC 1939 §6: the DELEs take effect at QUIT, and only then
        return;
    }
    const auto [number, uidl] = m_toFetch.takeFirst();
    m_current = number;
    m_currentUidl = uidl;
    enqueue({Request::Kind::Retr, number});
}

void Pop3Fetch::quit()
{
    m_step = Step::Quitting;
    m_client->quit();
}

bool Pop3Fetch::storeMessage(const QString &uidl, const QByteArray &raw)
{
    const qint64 now = m_now.value_or(QDateTime::currentDateTimeUtc()).toSecsSinceEpoch();
    // internalDate is the first download: the clock for delete-after-N-days.
    store::MessageSummary s = summaryFromMessage(raw, now);
    s.uidl = uidl;

    if (m_store->insertDownloaded(m_folderId, s, raw) == 0) {
        fail(Error::Store, QStringLiteral("cannot store a downloaded message: %1").arg(m_store->error()));
        return false;
    }
    m_firstSeen.insert(uidl, now);
    return true;
}

bool Pop3Fetch::mayDelete(const QString &uidl) const
{
    const auto seen = m_firstSeen.constFind(uidl);
    if (seen == m_firstSeen.cend())
        return false; // never without a local copy (SECURITY.md L2)
    if (!m_account.options.pop3LeaveOnServer)
        return true;
    const int days = m_account.options.pop3DeleteAfterDays;
    if (days <= 0)
        return false;
    const qint64 now = m_now.value_or(QDateTime::currentDateTimeUtc()).toSecsSinceEpoch();
    return now - *seen >= qint64(days) * 24 * 60 * 60;
}

void Pop3Fetch::onClientFinished()
{
    const QString where = QStringLiteral("%1:%2").arg(m_account.incoming.host).arg(m_account.incoming.port);
    const Failure failure = pop3Failure(*m_client, where);
    switch (failure.kind) {
    case Failure::Kind::None:
        if (m_step != Step::Quitting)
            fail(Error::Connection, QStringLiteral("connection to %1 ended before the download finished").arg(where));
        break;
    case Failure::Kind::Certificate:
        fail(Error::Certificate, failure.message);
        break;
    case Failure::Kind::Tls:
        fail(Error::Tls, failure.message, failure.serverText);
        break;
    case Failure::Kind::Connection:
        fail(Error::Connection, failure.message, failure.serverText);
        break;
    case Failure::Kind::Authentication:
        fail(Error::Authentication, failure.message, failure.serverText);
        break;
    case Failure::Kind::Protocol:
        fail(Error::Protocol, failure.message);
        break;
    case Failure::Kind::Timeout:
        fail(Error::Timeout, failure.message);
        break;
    }
    finish();
}

void Pop3Fetch::fail(Error error, const QString &message, const QString &serverText)
{
    if (m_error != Error::None)
        return;
    m_error = error;
    m_errorString = message;
    m_serverText = serverText;
}

void Pop3Fetch::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_password.fill('\0');
    if (m_traceLog && m_traceSession)
        m_traceLog->endSession(m_traceSession, m_errorString);
    QMetaObject::invokeMethod(this, &Pop3Fetch::finished, Qt::QueuedConnection);
}

} // namespace tern::sync
