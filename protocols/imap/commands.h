// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/command.h"
#include "imap/sequenceset.h"

#include <QDate>
#include <QDateTime>

#include <optional>

// Command builders: each returns an untagged Command whose arguments are encoded safely. Mailbox names
// are the wire form (ListData::rawName, or encodeMailboxName() for a name the user typed).
namespace tern::imap::commands {

Command capability();                                             // RFC 3501 §6.1.1, RFC 9051 §6.1.1
Command noop();                                                   // RFC 3501 §6.1.2
Command logout();                                                 // RFC 3501 §6.1.3
Command startTls();                                               // RFC 3501 §6.2.1
Command login(QByteArrayView user, QByteArrayView password, EncodeOptions o);   // RFC 3501 §6.2.3
// RFC 3501 §6.2.2; with SASL-IR (RFC 4959 §3) the base64 initial response rides on the command, "=" if empty.
Command authenticate(QByteArrayView mechanism, std::optional<QByteArray> initialResponseBase64);
Command enable(const QList<QByteArray> &capabilities);            // RFC 5161 §3.1
Command id(const QList<std::pair<QByteArray, QByteArray>> &fields, EncodeOptions o); // RFC 2971 §3.1
Command namespaces();                                             // RFC 2342 §5

struct QresyncParams // RFC 7162 §3.2.5
{
    quint32 uidValidity = 0;
    quint64 modseq = 0;
    SequenceSet knownUids;
};
// RFC 3501 §6.3.1/§6.3.2; "(CONDSTORE)" RFC 7162 §3.1.8; "(QRESYNC (...))" RFC 7162 §3.2.5.
Command select(QByteArrayView mailbox, bool readOnly, EncodeOptions o, bool condstore = false,
               const std::optional<QresyncParams> &qresync = std::nullopt);
Command create(QByteArrayView mailbox, EncodeOptions o, QByteArrayView specialUse = {}); // §6.3.3, RFC 6154 §3
Command deleteMailbox(QByteArrayView mailbox, EncodeOptions o);   // RFC 3501 §6.3.4
Command rename(QByteArrayView from, QByteArrayView to, EncodeOptions o); // RFC 3501 §6.3.5
Command subscribe(QByteArrayView mailbox, EncodeOptions o);       // RFC 3501 §6.3.6
Command unsubscribe(QByteArrayView mailbox, EncodeOptions o);     // RFC 3501 §6.3.7

struct ListOptions // RFC 5258 §3 (LIST-EXTENDED), RFC 6154 §2 (SPECIAL-USE), RFC 5819 (LIST-STATUS)
{
    bool subscribedOnly = false;   // selection option SUBSCRIBED
    bool specialUseOnly = false;   // selection option SPECIAL-USE
    bool recursiveMatch = false;   // RECURSIVEMATCH: with another selection option, parents whose children
                                   // match come back with CHILDINFO (RFC 5258 §3.1, RFC 9051 §6.3.9)
    bool returnChildren = false;
    bool returnSubscribed = false;
    bool returnSpecialUse = false;
    QList<QByteArray> returnStatus; // STATUS items, e.g. MESSAGES UNSEEN UIDNEXT
};
Command list(QByteArrayView reference, QByteArrayView pattern, EncodeOptions o, const ListOptions &options = {}); // §6.3.8
Command lsub(QByteArrayView reference, QByteArrayView pattern, EncodeOptions o); // RFC 3501 §6.3.9
Command status(QByteArrayView mailbox, const QList<QByteArray> &items, EncodeOptions o); // RFC 3501 §6.3.10
// RFC 3501 §6.3.11; the message always travels as a literal ({n+} with LITERAL+, RFC 7888).
Command append(QByteArrayView mailbox, QByteArrayView message, EncodeOptions o,
               const QList<QByteArray> &flags = {}, const QDateTime &internalDate = {});
Command close();                                                  // RFC 3501 §6.4.2
Command unselect();                                               // RFC 3691 §2
Command expunge();                                                // RFC 3501 §6.4.3
Command uidExpunge(const SequenceSet &uids);                      // RFC 4315 §2.1

struct SearchTerm // one search key: `syntax` is protocol syntax (keywords, sets, dates), `strings` user text
{
    QByteArray syntax;
    QList<QByteArray> strings;
};
// UID SEARCH, RFC 3501 §6.4.4/§6.4.8; RETURN (...) RFC 4731 §3.1; CHARSET UTF-8 when any string is 8-bit.
Command uidSearch(const QList<SearchTerm> &terms, EncodeOptions o, const QList<QByteArray> &returnOptions = {});
// UID FETCH, RFC 3501 §6.4.5/§6.4.8; CHANGEDSINCE RFC 7162 §3.1.4.1; VANISHED RFC 7162 §3.2.6.
Command uidFetch(const SequenceSet &uids, const QList<QByteArray> &items, std::optional<quint64> changedSince = {},
                 bool vanished = false);
enum class StoreMode { Replace, Add, Remove };
// UID STORE, RFC 3501 §6.4.6/§6.4.8; UNCHANGEDSINCE RFC 7162 §3.1.3.
Command uidStore(const SequenceSet &uids, StoreMode mode, const QList<QByteArray> &flags, bool silent = true,
                 std::optional<quint64> unchangedSince = {});
Command uidCopy(const SequenceSet &uids, QByteArrayView mailbox, EncodeOptions o); // RFC 3501 §6.4.7/§6.4.8
Command uidMove(const SequenceSet &uids, QByteArrayView mailbox, EncodeOptions o); // RFC 6851 §3.2
// UID SORT / UID THREAD, RFC 5256 §3.
Command uidSort(const QList<QByteArray> &criteria, const QList<SearchTerm> &terms, EncodeOptions o);
Command uidThread(QByteArrayView algorithm, const QList<SearchTerm> &terms, EncodeOptions o);
struct NotifyGroup // RFC 5465 §5: a filter and the events wanted for it
{
    QByteArray filter;            // "selected", "selected-delayed", "personal", "inboxes", "subscribed",
                                  // "subtree", "mailboxes"
    QList<QByteArray> mailboxes;  // wire names, for "subtree" and "mailboxes"
    QList<QByteArray> events;     // "MessageNew", "MessageExpunge", "FlagChange", ...; empty = NONE
};
// NOTIFY SET / NOTIFY NONE, RFC 5465 §3.1/§3.2.
Command notifySet(const QList<NotifyGroup> &groups, bool status, EncodeOptions o);
Command notifyNone();
Command idle();                                                   // RFC 2177 §3
QByteArray idleDone();                                            // RFC 2177 §3: "DONE" CRLF, untagged
Command compress();                                               // RFC 4978 §3 (DEFLATE)

QByteArray internalDate(const QDateTime &when);                   // date-time, RFC 3501 §9

} // namespace tern::imap::commands
