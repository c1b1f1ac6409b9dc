// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "sync/tracedsession.h"

#include <QByteArray>
#include <QHash>
#include <QObject>

#include <functional>

namespace tern::diagnostics {
class TraceLog;
}
namespace tern::imap {
class ImapClient;
}

namespace tern::sync {

// The server copy of a draft in an IMAP account's Drafts folder: the folder flagged \Drafts (RFC 6154), else
// the one named "Drafts", created when missing (as the Sent copy finds its folder). A draft is known by its
// Message-ID, the same for every version of one message, so the copies to replace are found even after a
// crash or from another session.
//
// save(): APPEND the new version with \Draft \Seen first, then remove the older copies — UID STORE \Deleted
// and UID EXPUNGE of exactly those UIDs with UIDPLUS (RFC 4315 §2.1), else EXPUNGE. A failure between the two
// leaves an extra copy, never none. remove(): the same removal alone (sent or discarded).
//
// The local draft stays the primary copy; this is best effort, its error one line for the composer.
class ImapDraft : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Certificate, Tls, Connection, Authentication, Protocol, Timeout, Folder, Refused };

    ImapDraft(accounts::Account account, QByteArray password, QObject *parent = nullptr);
    ~ImapDraft() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }

    void save(const QByteArray &messageId, const QByteArray &raw);
    void remove(const QByteArray &messageId);

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    QString folder() const { return QString::fromUtf8(m_folder); } // wire name of the Drafts folder used
    int removedCount() const { return m_removed; }

Q_SIGNALS:
    void finished();

private:
    using Handler = std::function<void(bool ok, const QString &text)>;
    void begin();
    void send(const QByteArray &tag, Handler handler);
    void listed();
    void selectFolder();
    void search();
    void append();
    void removeOld();
    void fail(Error error, const QString &message);
    void logout();
    void finish();

    accounts::Account m_account;
    QByteArray m_password;
    QByteArray m_messageId;
    QByteArray m_raw; // empty: remove only
    diagnostics::TraceLog *m_traceLog = nullptr;
    int m_timeoutMs = 60 * 1000;
    imap::ImapClient *m_client = nullptr;
    QHash<QByteArray, Handler> m_handlers;
    QList<std::pair<QByteArray, QList<QByteArray>>> m_listed;
    QList<quint32> m_old; // UIDs of the copies to remove, found before the APPEND
    bool m_listing = false;
    bool m_searching = false;
    QByteArray m_folder;
    Error m_error = Error::None;
    QString m_errorString;
    int m_removed = 0;
    bool m_loggingOut = false;
    bool m_finished = false;
    TracedSession m_trace;
};

} // namespace tern::sync
