// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "outbox/outboxstore.h"

#include <QByteArray>
#include <QList>
#include <QObject>

namespace tern::imap {
class ImapClient;
}
namespace tern::store {
class Store;
}

namespace tern::outbox {

// Puts the sent copy of every sent message whose copy is pending (or failed before) into the account's
// Sent folder: the exact bytes that were submitted (so no Bcc: SECURITY.md D6; the Bcc list stays in the
// outbox entry). It never touches SMTP, so retrying it can never send a message twice.
//
// IMAP: the folder flagged \Sent (RFC 6154), else the one named "Sent", created (with USE (\Sent) where
// CREATE-SPECIAL-USE is offered) when missing. Before each APPEND the folder is searched for the message's
// Message-ID, so a copy whose APPEND succeeded just before a crash is not appended twice.
// POP3: the local folder "Sent" (role "sent") of the store, keyed by the outbox id (idempotent).
class SentCopier : public QObject
{
    Q_OBJECT

public:
    // incomingSecret: the account's IMAP password (unused for POP3 accounts).
    SentCopier(accounts::Account account, QByteArray incomingSecret, store::Store *store, QObject *parent = nullptr);
    ~SentCopier() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    void start();

    int copiedCount() const { return m_copied; }
    QString errorString() const { return m_error; } // empty when every pending copy was made
    QString folder() const { return QString::fromUtf8(m_folder); } // the Sent folder used (IMAP wire name)

Q_SIGNALS:
    void finished();

private:
    void copyLocally();
    void onEvent(const QByteArray &tag, bool ok, const QString &text, bool alreadyExists);
    void onListed();
    void onCreated(bool ok, const QString &text);
    void examine();
    void onExamined(bool ok, const QString &text);
    void onSearched(bool ok, const QString &text);
    void onAppended(bool ok, const QString &text);
    void giveUp(const QString &error);
    void chooseFolder();
    void nextCopy();
    void failRemaining(const QString &error);
    void done();
    qint64 now() const;

    enum class Step { Login, List, Create, Examine, Search, Append, Logout };

    accounts::Account m_account;
    QByteArray m_secret;
    store::Store *m_store;
    OutboxStore m_outbox;
    int m_timeoutMs = 5 * 60 * 1000;
    imap::ImapClient *m_client = nullptr;
    Step m_step = Step::Login;
    QByteArray m_tag;
    QList<qint64> m_pending;
    qint64 m_current = 0;
    QList<std::pair<QByteArray, QList<QByteArray>>> m_listed; // wire name, flags
    QByteArray m_folder;
    bool m_found = false;
    int m_copied = 0;
    QString m_error;
    bool m_finished = false;
};

} // namespace tern::outbox
