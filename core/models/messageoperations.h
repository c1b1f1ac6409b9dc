// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QList>
#include <QObject>

namespace tern::models {

// What the user does to messages in the list — mark, flag, move, delete — applied to the local store at once,
// then announced. The server side is the sync engine's: it connects to the signals and replays them as IMAP
// STORE / MOVE / EXPUNGE (or keeps them in the journal while offline). A POP3 account has no server side.
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

    QString error() const { return m_store->error(); }

Q_SIGNALS:
    void flagsChanged(const QList<qint64> &ids, quint32 set, quint32 cleared);
    void messagesMoved(const QList<qint64> &ids, qint64 toFolderId);
    void messagesRemoved(const QList<qint64> &ids);

private:
    store::Store *m_store;
};

} // namespace tern::models
