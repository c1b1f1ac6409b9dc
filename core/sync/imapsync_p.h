// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to ImapSync (imapsync.cpp: connection, folder list, folder order; imapfoldersync.cpp: one folder).
#include "imap/session.h"
#include "store/store.h"
#include "sync/syncplan.h"

#include <QByteArray>
#include <QList>

#include <memory>

namespace tern::sync {

// What one folder's sync has learnt so far; dropped when the next folder starts.
struct FolderRun
{
    store::Folder local;
    QByteArray rawName;
    bool qresyncSent = false;
    imap::MailboxInfo server;
    FolderPlan plan;
    qint64 localCount = 0;
    QList<qint64> known;              // the store's UIDs, where the mode compares listings
    QList<store::FlagUpdate> flags;   // FETCH FLAGS seen (QRESYNC select, CHANGEDSINCE, FLAGS listing, pushes)
    QList<quint32> flagUids;          // the UIDs of the FLAGS listing (Fallback: also which ones still exist)
    QList<qint64> vanished;           // RFC 7162 §3.2.10
    QList<quint32> searched;          // the last UID SEARCH
    QList<quint32> newUids;           // to fetch in full
    QList<imap::SequenceSet> batches;
    qsizetype nextBatch = 0;
    int inFlight = 0;
    QList<store::MessageSummary> fetched; // received, not yet handed to the writer
    struct Progress
    {
        qint64 done = 0;
        qint64 total = 0;
    };
    std::shared_ptr<Progress> progress = std::make_shared<Progress>();
};

// A command's tagged result as the sync sees it.
struct CommandOutcome
{
    enum class Kind { Ok, Refused, Lost, Broken }; // Refused: NO/BAD; Lost: the connection ended first
    Kind kind = Kind::Ok;
    QByteArray tag;
    QByteArray command;
    QByteArray text;
};

} // namespace tern::sync
