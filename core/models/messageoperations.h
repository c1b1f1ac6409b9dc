// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QList>
#include <QObject>
#include <QSet>

namespace tern::models {

// What the user does to messages in the list — mark, flag, move, delete — applied to the local store at once,
// then announced. For an IMAP account (setServerAccounts()) the change and its offline-journal row are one
// transaction (store/journal.h); sync::JournalReplay sends the rows as UID STORE / MOVE / EXPUNGE, and the
// next sync replays whatever is still waiting. A POP3 account has no server side.
class MessageOperations : public QObject
{
    Q_OBJECT

public:
    explicit MessageOperations(store::Store *store, QObject *parent = nullptr);

    bool setRead(const QList<qint64> &ids, bool read);
    bool setFlagged(const QList<qint64> &ids, bool flagged);
    bool move(const QList<qint64> &ids, qint64 toFolderId);
    // To the account's Trash folder; from Trash itself (or without one), out of the store for good.
    bool remove(const QList<qint64> &ids, const store::Folder &from);
    // The Trash folder of an account (special-use \Trash, else a folder named Trash), if any.
    std::optional<store::Folder> trashFolder(const QString &account);

    // Accounts with a server to tell (IMAP): their changes are also written to the offline journal
    // (store/journal.h) in the same transaction, and journalChanged() asks for a replay.
    void setServerAccounts(const QSet<QString> &accounts) { m_serverAccounts = accounts; }

    QString error() const { return m_error.isEmpty() ? m_store->error() : m_error; }

Q_SIGNALS:
    void journalChanged(const QString &account);
    void flagsChanged(const QList<qint64> &ids, quint32 set, quint32 cleared);
    void messagesMoved(const QList<qint64> &ids, qint64 toFolderId);
    void messagesRemoved(const QList<qint64> &ids);

private:
    QString serverAccount(const QList<qint64> &ids);
    bool setFlags(const QList<qint64> &ids, quint32 set, quint32 clear);

    store::Store *m_store;
    QSet<QString> m_serverAccounts;
    QString m_error;
};

} // namespace tern::models
