// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "store/store.h"

#include <QLockFile>
#include <QObject>

#include <memory>

namespace tern::diagnostics {
class TraceLog;
}

namespace tern::ui {

// What AccountOperations' workers share. Each runs one core operation in a thread of its own: run() is called
// there, so the session and the store connection it opens live there (SQLite connections are per thread);
// done() reports back to the GUI thread. The password is wiped once the operation holds its copy.
class AccountWorker : public QObject
{
    Q_OBJECT

public:
    AccountWorker(accounts::Account account, QByteArray password, QString storePath, diagnostics::TraceLog *log);

protected:
    // Opens this thread's store connection; on failure the reason, in the user's words, is in *error.
    bool openStore(QString *error);
    // The password, for the operation's constructor to copy; wiped here after the call.
    QByteArray takePassword();

    accounts::Account m_account;
    QString m_storePath;
    diagnostics::TraceLog *m_log;
    store::Store m_store;

private:
    QByteArray m_password;
};

// Get Messages: an IMAP sync (written through its own writer thread) or a POP3 download.
class FetchWorker : public AccountWorker
{
    Q_OBJECT

public:
    using AccountWorker::AccountWorker;
    void run();

Q_SIGNALS:
    void progress(int done, int total);
    void done(bool ok, const QString &message);

private:
    void runImap();
    void runPop3();
};

// One IMAP message body into the store.
class BodyWorker : public AccountWorker
{
    Q_OBJECT

public:
    BodyWorker(accounts::Account account, QByteArray password, QString storePath, qint64 messageId,
               diagnostics::TraceLog *log);
    void run();

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    qint64 m_messageId;
};

// The bodies of an IMAP account's offline folders (sync/imapofflinebodies.h), after a sync.
class OfflineBodiesWorker : public AccountWorker
{
    Q_OBJECT

public:
    using AccountWorker::AccountWorker;
    void run();

Q_SIGNALS:
    void progress(int done, int total);
    void done(bool ok, const QString &message);
};

// One IMAP account's offline journal, replayed.
class ReplayWorker : public AccountWorker
{
    Q_OBJECT

public:
    using AccountWorker::AccountWorker;
    void run();

Q_SIGNALS:
    void done(bool ok, const QString &message, const QStringList &conflicts);
};

// A draft's server copy, stored (raw) or removed (raw empty); needs no store connection.
class DraftWorker : public AccountWorker
{
    Q_OBJECT

public:
    DraftWorker(accounts::Account account, QByteArray password, QByteArray messageId, QByteArray raw,
                diagnostics::TraceLog *log);
    void run();

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    QByteArray m_messageId;
    QByteArray m_raw;
};

// Sends the account's due outbox messages, then makes their Sent copies. Holds the profile's outbox lock (the
// one tern-cli takes) so that only one process sends and recovery can tell a crashed run's leftovers from a
// live one's. It needs two passwords (incoming for the Sent copy, SMTP), so it keeps its own.
class SendWorker : public QObject
{
    Q_OBJECT

public:
    SendWorker(accounts::Account account, QByteArray incoming, QByteArray smtp, QString profile,
               diagnostics::TraceLog *log);
    void run();

Q_SIGNALS:
    void done(bool ok, const QString &message);

private:
    void copySent();

    accounts::Account m_account;
    QByteArray m_incoming;
    QByteArray m_smtp;
    QString m_profile;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
    std::unique_ptr<QLockFile> m_lock;
    bool m_ok = false;
    QString m_result;
};

} // namespace tern::ui
