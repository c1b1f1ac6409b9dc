// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/tracedsession.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace tern::imap {
class ImapClient;
}
namespace tern::store {
class Store;
}

namespace tern::sync {

// A body on demand (issue 6): log in, EXAMINE the message's folder, UID FETCH uid (BODY.PEEK[]) (RFC 3501
// §6.4.5: PEEK leaves \Seen alone), and save the bytes with Store::saveBody() (and their text in the search
// index). The folder's UIDVALIDITY must still be the cached one, or the UID names another message.
class ImapFetchBody : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Store, Certificate, Tls, Connection, Authentication, Protocol, Timeout, Gone, Server };
    Q_ENUM(Error)

    // store must outlive the operation; messageId is the store's id of an IMAP message.
    ImapFetchBody(accounts::Account account, QByteArray password, store::Store *store, qint64 messageId,
                  QObject *parent = nullptr);
    ~ImapFetchBody() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    void start();

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    QByteArray body() const { return m_body; }

Q_SIGNALS:
    void finished();

private:
    diagnostics::TraceLog *m_traceLog = nullptr;
    TracedSession m_trace;
    void fail(Error error, const QString &message);
    void finish();

    accounts::Account m_account;
    QByteArray m_password;
    store::Store *m_store;
    qint64 m_messageId;
    int m_timeoutMs = 5 * 60 * 1000;
    imap::ImapClient *m_client = nullptr;
    QByteArray m_selectTag;
    QByteArray m_fetchTag;
    qint64 m_uid = 0;
    qint64 m_uidValidity = 0;
    QByteArray m_body;
    bool m_gotBody = false;
    bool m_done = false;
    Error m_error = Error::None;
    QString m_errorString;
    bool m_finished = false;
};

} // namespace tern::sync
