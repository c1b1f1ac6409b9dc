// SPDX-License-Identifier: GPL-3.0-or-later
// Response codes and the untagged mailbox/server data families (RFC 3501 §7.1-7.3 and extensions).
#include "imap/mutf7.h"
#include "imap/parsers_p.h"

namespace tern::imap {

bool ListData::hasFlag(QByteArrayView flag) const
{
    for (const QByteArray &f : flags) {
        if (f.compare(flag, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

namespace detail {

namespace {

SequenceSet setAtom(Cursor &c)
{
    const QByteArrayView a = c.atom();
    if (c.failed())
        return {};
    const auto set = SequenceSet::parse(a);
    if (!set)
        c.fail();
    return set.value_or(SequenceSet());
}

QList<QByteArray> upperAtomsToEnd(Cursor &c)
{
    QList<QByteArray> out;
    c.optionalSpace();
    while (!c.failed() && !c.atEnd() && c.peek() != ']') {
        out.append(Cursor::upper(c.atom()));
        c.optionalSpace();
    }
    return out;
}

char delimiter(Cursor &c)
{
    // QUOTED-CHAR or NIL (RFC 3501 §9 mailbox-list); "\\" is an escaped backslash.
    if (c.consumeNil())
        return 0;
    const QByteArray d = c.string();
    if (d.size() != 1)
        c.fail();
    return d.isEmpty() ? 0 : d.at(0);
}

QList<quint32> numbersToEnd(Cursor &c, std::optional<quint64> &modseq)
{
    QList<quint32> out;
    while (!c.failed() && c.optionalSpace()) {
        if (c.atEnd())
            break;
        if (c.consume('(')) { // RFC 7162 §3.1.5: "(MODSEQ n)" after the numbers
            if (!Cursor::equals(c.atom(), "MODSEQ"))
                c.fail();
            c.space();
            modseq = c.number64();
            c.expect(')');
            break;
        }
        out.append(c.number());
    }
    return out;
}

ThreadNode threadMembers(Cursor &c, int depth)
{
    // thread-list = "(" (thread-members / thread-nested) ")" (RFC 5256 §4). Numbers form a chain, each
    // the child of the one before; nested lists are branches under the last number.
    ThreadNode root;
    if (!c.enter(depth))
        return root;
    c.expect('(');
    QList<quint32> chain;
    QList<ThreadNode> branches;
    while (!c.failed() && !c.consume(')')) {
        c.optionalSpace();
        if (c.peek() == '(')
            branches.append(threadMembers(c, depth + 1));
        else if (branches.isEmpty())
            chain.append(c.number());
        else
            c.fail();
        c.optionalSpace();
    }
    if (chain.isEmpty()) {
        root.children = std::move(branches);
        return root;
    }
    ThreadNode node{chain.last(), std::move(branches)};
    for (qsizetype i = chain.size() - 2; i >= 0; --i)
        node = ThreadNode{chain[i], {std::move(node)}};
    return node;
}

} // namespace

ResponseCode parseResponseCode(Cursor &c)
{
    ResponseCode code;
    code.name = Cursor::upper(c.atom());
    const QByteArray &n = code.name;
    using K = ResponseCode::Kind;
    if (n == "ALERT") {
        code.kind = K::Alert;
    } else if (n == "PARSE") {
        code.kind = K::Parse;
    } else if (n == "READ-ONLY") {
        code.kind = K::ReadOnly;
    } else if (n == "READ-WRITE") {
        code.kind = K::ReadWrite;
    } else if (n == "TRYCREATE") {
        code.kind = K::TryCreate;
    } else if (n == "UIDNOTSTICKY") {
        code.kind = K::UidNotSticky;
    } else if (n == "CLOSED") {
        code.kind = K::Closed;
    } else if (n == "NOMODSEQ") {
        code.kind = K::NoModSeq;
    } else if (n == "CAPABILITY") {
        code.kind = K::Capability;
        code.list = upperAtomsToEnd(c);
    } else if (n == "PERMANENTFLAGS") {
        code.kind = K::PermanentFlags;
        c.space();
        code.list = c.atomList();
    } else if (n == "UIDNEXT" || n == "UIDVALIDITY" || n == "UNSEEN") {
        code.kind = n == "UIDNEXT" ? K::UidNext : n == "UIDVALIDITY" ? K::UidValidity : K::Unseen;
        c.space();
        code.number = c.number();
    } else if (n == "HIGHESTMODSEQ") {
        code.kind = K::HighestModSeq;
        c.space();
        code.number = c.number64();
    } else if (n == "APPENDUID") { // RFC 4315 §3
        code.kind = K::AppendUid;
        c.space();
        code.number = c.number();
        c.space();
        code.set = setAtom(c);
    } else if (n == "COPYUID") {
        code.kind = K::CopyUid;
        c.space();
        code.number = c.number();
        c.space();
        code.set = setAtom(c);
        c.space();
        code.destination = setAtom(c);
    } else if (n == "MODIFIED") { // RFC 7162 §3.1.3
        code.kind = K::Modified;
        c.space();
        code.set = setAtom(c);
    } else if (n == "BADCHARSET") {
        code.kind = K::BadCharset;
        if (c.optionalSpace() && c.peek() == '(')
            code.list = c.stringList();
    } else {
        code.kind = K::Other;
    }
    if (c.optionalSpace() || (c.peek() != ']' && !c.failed())) {
        const QByteArrayView rest = c.until(']');
        code.argument = QByteArray(rest.data(), rest.size());
    }
    return code;
}

QString decodeMailboxName(const QByteArray &raw, bool utf8)
{
    // RFC 3501 §5.1: INBOX is case-insensitive.
    if (raw.compare("INBOX", Qt::CaseInsensitive) == 0)
        return QStringLiteral("INBOX");
    return utf8 ? QString::fromUtf8(raw) : decodeModifiedUtf7(raw);
}

CapabilityData parseCapability(Cursor &c)
{
    return CapabilityData{upperAtomsToEnd(c)};
}

ListData parseList(Cursor &c, bool lsub, bool utf8)
{
    ListData d;
    d.lsub = lsub;
    d.flags = c.atomList();
    c.space();
    d.delimiter = delimiter(c);
    c.space();
    d.rawName = c.astring();
    if (c.optionalSpace() && c.consume('(')) { // mbox-list-extended (RFC 5258 §9)
        while (!c.failed() && !c.consume(')')) {
            const QByteArray item = Cursor::upper(c.astring());
            c.space();
            if (item == "CHILDINFO") {
                d.childInfo = c.stringList();
                for (QByteArray &s : d.childInfo)
                    s = s.toUpper();
            } else if (item == "OLDNAME") {
                c.expect('(');
                d.oldName = c.astring();
                c.expect(')');
            } else {
                c.skipValue();
            }
            c.optionalSpace();
        }
    }
    d.name = decodeMailboxName(d.rawName, utf8);
    return d;
}

StatusData parseStatus(Cursor &c, bool utf8)
{
    StatusData d;
    d.rawName = c.astring();
    d.name = decodeMailboxName(d.rawName, utf8);
    c.space();
    c.expect('(');
    while (!c.failed() && !c.consume(')')) {
        const QByteArrayView item = c.atom();
        c.space();
        if (Cursor::equals(item, "HIGHESTMODSEQ"))
            d.highestModSeq = c.number64();
        else if (Cursor::equals(item, "SIZE"))
            d.size = c.number64();
        else if (Cursor::equals(item, "MESSAGES"))
            d.messages = c.number();
        else if (Cursor::equals(item, "RECENT"))
            d.recent = c.number();
        else if (Cursor::equals(item, "UIDNEXT"))
            d.uidNext = c.number();
        else if (Cursor::equals(item, "UIDVALIDITY"))
            d.uidValidity = c.number();
        else if (Cursor::equals(item, "UNSEEN"))
            d.unseen = c.number();
        else if (Cursor::equals(item, "DELETED"))
            d.deleted = c.number();
        else
            c.skipValue();
        c.optionalSpace();
    }
    return d;
}

FlagsData parseFlags(Cursor &c)
{
    return FlagsData{c.atomList()};
}

VanishedData parseVanished(Cursor &c)
{
    VanishedData d;
    if (c.consume('(')) {
        d.earlier = Cursor::equals(c.atom(), "EARLIER");
        c.expect(')');
        c.space();
    }
    d.uids = setAtom(c);
    return d;
}

SearchData parseSearch(Cursor &c)
{
    SearchData d;
    // The keyword's trailing space was taken by the caller; put the loop back on a space boundary.
    if (!c.atEnd() && c.peek() != ' ') {
        if (c.peek() == '(') {
            c.expect('(');
            c.atom();
            c.space();
            d.modseq = c.number64();
            c.expect(')');
            return d;
        }
        d.numbers.append(c.number());
    }
    d.numbers += numbersToEnd(c, d.modseq);
    return d;
}

SortData parseSort(Cursor &c)
{
    const SearchData s = parseSearch(c);
    return SortData{s.numbers, s.modseq};
}

ESearchData parseESearch(Cursor &c)
{
    ESearchData d;
    // search-correlator: "(" "TAG" SP tag-string ")"
    if (c.consume('(')) {
        if (!Cursor::equals(c.atom(), "TAG"))
            c.fail();
        c.space();
        d.tag = c.astring();
        c.expect(')');
        c.optionalSpace();
    }
    while (!c.failed() && !c.atEnd()) {
        const QByteArrayView name = c.atom();
        if (Cursor::equals(name, "UID")) {
            d.uid = true;
            c.optionalSpace();
            continue;
        }
        c.space();
        if (Cursor::equals(name, "MIN"))
            d.min = c.number();
        else if (Cursor::equals(name, "MAX"))
            d.max = c.number();
        else if (Cursor::equals(name, "COUNT"))
            d.count = c.number();
        else if (Cursor::equals(name, "ALL"))
            d.all = setAtom(c);
        else if (Cursor::equals(name, "MODSEQ"))
            d.modseq = c.number64();
        else
            c.skipValue();
        c.optionalSpace();
    }
    return d;
}

EnabledData parseEnabled(Cursor &c)
{
    return EnabledData{upperAtomsToEnd(c)};
}

IdData parseId(Cursor &c)
{
    IdData d;
    if (c.consumeNil())
        return d;
    c.expect('(');
    while (!c.failed() && !c.consume(')')) {
        c.optionalSpace();
        QByteArray key = c.string();
        c.space();
        QByteArray value = c.nstring();
        d.fields.append({std::move(key), std::move(value)});
        c.optionalSpace();
    }
    return d;
}

NamespaceData parseNamespace(Cursor &c)
{
    NamespaceData d;
    auto one = [&c](QList<NamespaceEntry> &out) {
        if (c.consumeNil())
            return;
        c.expect('(');
        while (!c.failed() && !c.consume(')')) {
            c.expect('(');
            NamespaceEntry e;
            e.prefix = c.string();
            c.space();
            e.delimiter = delimiter(c);
            while (!c.failed() && c.optionalSpace()) // namespace-response-extensions (RFC 2342 §5)
                c.skipValue();
            c.expect(')');
            out.append(e);
            c.optionalSpace();
        }
    };
    one(d.personal);
    c.space();
    one(d.otherUsers);
    c.space();
    one(d.shared);
    return d;
}

ThreadData parseThread(Cursor &c)
{
    ThreadData d;
    while (!c.failed() && c.peek() == '(') {
        d.threads.append(threadMembers(c, 0));
        c.optionalSpace();
    }
    return d;
}

} // namespace detail
} // namespace tern::imap
