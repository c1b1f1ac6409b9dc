// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "imap/fetch.h"
#include "imap/sequenceset.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace tern::imap {

// A response code in brackets (RFC 3501 §7.1, RFC 9051 §7.1, RFC 4315, RFC 7162, RFC 5530).
struct ResponseCode
{
    enum class Kind {
        None, Other, Alert, Parse, Capability, PermanentFlags, ReadOnly, ReadWrite, TryCreate, UidNext,
        UidValidity, Unseen, HighestModSeq, NoModSeq, AppendUid, CopyUid, UidNotSticky, Closed, Modified,
        BadCharset
    };
    Kind kind = Kind::None;
    QByteArray name;             // the code's atom as sent, upper-cased (also for Other: "NONEXISTENT", ...)
    QByteArray argument;         // the raw text after the atom, for codes without a typed form
    QList<QByteArray> list;      // CAPABILITY atoms, PERMANENTFLAGS flags, BADCHARSET charsets
    quint64 number = 0;          // UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, APPENDUID/COPYUID uidvalidity
    SequenceSet set;             // APPENDUID uid-set, COPYUID source set, MODIFIED set
    SequenceSet destination;     // COPYUID destination set
};

enum class Status { Ok, No, Bad, Bye, PreAuth };

struct StatusText
{
    Status status = Status::Ok;
    ResponseCode code;
    QByteArray text;
};

struct CapabilityData { QList<QByteArray> capabilities; }; // upper-cased

struct ListData // LIST / LSUB (RFC 3501 §7.2.2, RFC 5258, RFC 6154)
{
    bool lsub = false;
    QList<QByteArray> flags;   // as sent ("\HasNoChildren", "\Sent", ...)
    char delimiter = 0;        // 0 when NIL (flat namespace)
    QByteArray rawName;        // the wire form: send this back in commands
    QString name;              // decoded: modified UTF-7, or UTF-8 after ENABLE UTF8=ACCEPT
    QList<QByteArray> childInfo; // LIST-EXTENDED CHILDINFO ("SUBSCRIBED")
    QByteArray oldName;        // LIST-EXTENDED OLDNAME (RFC 5465), raw

    bool hasFlag(QByteArrayView flag) const;
};

struct StatusData // STATUS (RFC 3501 §7.2.4, RFC 7162, RFC 8438)
{
    QByteArray rawName;
    QString name;
    std::optional<quint32> messages, recent, uidNext, uidValidity, unseen, deleted;
    std::optional<quint64> highestModSeq, size;
};

struct FlagsData { QList<QByteArray> flags; };
struct ExistsData { quint32 count = 0; };
struct RecentData { quint32 count = 0; };
struct ExpungeData { quint32 sequence = 0; };
struct VanishedData { bool earlier = false; SequenceSet uids; }; // RFC 7162 §3.2.10
struct SearchData { QList<quint32> numbers; std::optional<quint64> modseq; };   // RFC 3501 §7.2.5, RFC 7162
struct SortData { QList<quint32> numbers; std::optional<quint64> modseq; };     // RFC 5256 §4

struct ESearchData // RFC 4731 §3.1, RFC 9051 §7.3.4
{
    QByteArray tag; // the command this answers, "" if untagged
    bool uid = false;
    std::optional<quint32> min, max;
    std::optional<quint32> count;
    SequenceSet all;
    std::optional<quint64> modseq;
};

struct EnabledData { QList<QByteArray> capabilities; }; // RFC 5161 §3.2, upper-cased
struct IdData { QList<std::pair<QByteArray, QByteArray>> fields; }; // RFC 2971; empty for NIL

struct NamespaceEntry { QByteArray prefix; char delimiter = 0; };
struct NamespaceData { QList<NamespaceEntry> personal, otherUsers, shared; }; // RFC 2342

// RFC 5256 §4: each node is a message; children follow it in the thread. id 0 is a missing parent.
struct ThreadNode
{
    quint32 id = 0;
    QList<ThreadNode> children;
    friend bool operator==(const ThreadNode &, const ThreadNode &) = default;
};
struct ThreadData { QList<ThreadNode> threads; };

// A response the parser could not read. Non-fatal errors cover one response and the parser goes on at the
// next line; fatal ones (a literal or line over the limits) leave the stream unreadable: disconnect.
struct ParseError
{
    enum class Reason { Syntax, LiteralTooLarge, LineTooLong, NestingTooDeep };
    Reason reason = Reason::Syntax;
    bool fatal = false;
    QByteArray tag;      // when the broken response started with a command tag
    QByteArray excerpt;  // the start of the offending line, for the protocol inspector
    qsizetype offset = 0; // where in the response reading stopped
};

using UntaggedData = std::variant<std::monostate, CapabilityData, ListData, StatusData, FlagsData, ExistsData,
                                  RecentData, ExpungeData, VanishedData, SearchData, ESearchData, EnabledData,
                                  IdData, NamespaceData, SortData, ThreadData, FetchData>;

struct Response
{
    enum class Kind { Tagged, UntaggedStatus, Untagged, Continuation, Error };
    Kind kind = Kind::Error;
    QByteArray tag;           // Tagged
    StatusText status;        // Tagged, UntaggedStatus (OK/NO/BAD/BYE/PREAUTH)
    UntaggedData data;        // Untagged
    QByteArray continuation;  // Continuation: the text after "+ " (base64 in AUTHENTICATE)
    ParseError error;         // Error

    template<typename T> const T *get() const { return std::get_if<T>(&data); }
};

} // namespace tern::imap
