// SPDX-License-Identifier: GPL-3.0-or-later
#include "describe.h"

#include "imap/responseparser.h"

namespace tern::imap::test {

namespace {

QByteArray ns(const QByteArray &s)
{
    return s.isNull() ? QByteArrayLiteral("NIL") : '"' + s + '"';
}

QByteArray joined(const QList<QByteArray> &list)
{
    return list.join(' ');
}

QByteArray number(quint64 n)
{
    return QByteArray::number(n);
}

QByteArray code(const ResponseCode &c)
{
    using K = ResponseCode::Kind;
    QByteArray out = '[' + c.name;
    switch (c.kind) {
    case K::Capability:
    case K::BadCharset:
        if (!c.list.isEmpty())
            out += ' ' + joined(c.list);
        break;
    case K::PermanentFlags:
        out += " (" + joined(c.list) + ')';
        break;
    case K::UidNext: case K::UidValidity: case K::Unseen: case K::HighestModSeq:
        out += ' ' + number(c.number);
        break;
    case K::AppendUid:
        out += ' ' + number(c.number) + ' ' + c.set.toBytes();
        break;
    case K::CopyUid:
        out += ' ' + number(c.number) + ' ' + c.set.toBytes() + ' ' + c.destination.toBytes();
        break;
    case K::Modified:
        out += ' ' + c.set.toBytes();
        break;
    default:
        if (!c.argument.isEmpty())
            out += " arg=" + c.argument;
        break;
    }
    return out + ']';
}

QByteArray statusText(const StatusText &s)
{
    static const char *const words[] = {"OK", "NO", "BAD", "BYE", "PREAUTH"};
    QByteArray out = words[int(s.status)];
    if (s.code.kind != ResponseCode::Kind::None)
        out += ' ' + code(s.code);
    return out + " text=" + s.text;
}

QByteArray addresses(const QList<Address> &list)
{
    if (list.isEmpty())
        return "NIL";
    QByteArray out = "[";
    for (const Address &a : list) {
        if (out.size() > 1)
            out += ',';
        out += ns(a.name) + ' ' + ns(a.adl) + ' ' + ns(a.mailbox) + ' ' + ns(a.host);
    }
    return out + ']';
}

QByteArray params(const QList<BodyParam> &list)
{
    QByteArray out;
    for (const BodyParam &p : list)
        out += ' ' + p.name + '=' + ns(p.value);
    return out;
}

QByteArray thread(const ThreadNode &n)
{
    QByteArray out = number(n.id);
    if (!n.children.isEmpty()) {
        QList<QByteArray> kids;
        for (const ThreadNode &k : n.children)
            kids.append(thread(k));
        out += '[' + kids.join(',') + ']';
    }
    return out;
}

QByteArray fetch(const FetchData &f)
{
    QByteArray out = "FETCH " + number(f.sequence);
    if (f.uid)
        out += " UID=" + number(*f.uid);
    if (f.flags)
        out += " FLAGS=(" + joined(*f.flags) + ')';
    if (f.internalDate)
        out += " DATE=" + f.internalDate->toString(Qt::ISODate).toLatin1();
    if (f.size)
        out += " SIZE=" + number(quint64(*f.size));
    if (f.modseq)
        out += " MODSEQ=" + number(*f.modseq);
    if (f.preview)
        out += " PREVIEW=" + ns(*f.preview);
    if (f.emailId)
        out += " EMAILID=" + ns(*f.emailId);
    if (f.threadId)
        out += " THREADID=" + ns(*f.threadId);
    for (const BodySection &s : f.sections) {
        out += (s.binary ? " BINARY[" : " BODY[") + s.section + ']';
        if (s.origin >= 0)
            out += '<' + number(quint64(s.origin)) + '>';
        out += '=' + ns(s.data);
    }
    for (const auto &[section, size] : f.binarySizes)
        out += " BINARY.SIZE[" + section + "]=" + number(quint64(size));
    if (f.envelope)
        out += " ENVELOPE=" + describe(*f.envelope);
    if (f.body)
        out += " BODY=" + describe(*f.body);
    return out;
}

struct DataVisitor
{
    QByteArray operator()(std::monostate) const { return "UNKNOWN"; }
    QByteArray operator()(const CapabilityData &d) const { return "CAPABILITY " + joined(d.capabilities); }
    QByteArray operator()(const ListData &d) const
    {
        QByteArray out = (d.lsub ? "LSUB (" : "LIST (") + joined(d.flags) + ") ";
        out += d.delimiter ? '"' + QByteArray(1, d.delimiter) + '"' : QByteArray("NIL");
        out += " raw=" + d.rawName + " name=" + d.name.toUtf8();
        if (!d.childInfo.isEmpty())
            out += " CHILDINFO=" + joined(d.childInfo);
        if (!d.oldName.isNull())
            out += " OLDNAME=" + d.oldName;
        return out;
    }
    QByteArray operator()(const StatusData &d) const
    {
        QByteArray out = "STATUS raw=" + d.rawName + " name=" + d.name.toUtf8();
        auto item = [&out](const char *name, auto v) {
            if (v)
                out += ' ' + QByteArray(name) + '=' + number(*v);
        };
        item("MESSAGES", d.messages);
        item("RECENT", d.recent);
        item("UIDNEXT", d.uidNext);
        item("UIDVALIDITY", d.uidValidity);
        item("UNSEEN", d.unseen);
        item("DELETED", d.deleted);
        item("HIGHESTMODSEQ", d.highestModSeq);
        item("SIZE", d.size);
        return out;
    }
    QByteArray operator()(const FlagsData &d) const { return "FLAGS (" + joined(d.flags) + ')'; }
    QByteArray operator()(const ExistsData &d) const { return "EXISTS " + number(d.count); }
    QByteArray operator()(const RecentData &d) const { return "RECENT " + number(d.count); }
    QByteArray operator()(const ExpungeData &d) const { return "EXPUNGE " + number(d.sequence); }
    QByteArray operator()(const VanishedData &d) const
    {
        return QByteArray(d.earlier ? "VANISHED EARLIER " : "VANISHED ") + d.uids.toBytes();
    }
    static QByteArray numbers(const char *name, const QList<quint32> &list, std::optional<quint64> modseq)
    {
        QByteArray out = name;
        for (quint32 n : list)
            out += ' ' + number(n);
        if (modseq)
            out += " MODSEQ=" + number(*modseq);
        return out;
    }
    QByteArray operator()(const SearchData &d) const { return numbers("SEARCH", d.numbers, d.modseq); }
    QByteArray operator()(const SortData &d) const { return numbers("SORT", d.numbers, d.modseq); }
    QByteArray operator()(const ESearchData &d) const
    {
        QByteArray out = "ESEARCH tag=" + d.tag + (d.uid ? " UID" : "");
        if (d.min)
            out += " MIN=" + number(*d.min);
        if (d.max)
            out += " MAX=" + number(*d.max);
        if (d.count)
            out += " COUNT=" + number(*d.count);
        if (!d.all.isEmpty())
            out += " ALL=" + d.all.toBytes();
        if (d.modseq)
            out += " MODSEQ=" + number(*d.modseq);
        return out;
    }
    QByteArray operator()(const EnabledData &d) const { return "ENABLED " + joined(d.capabilities); }
    QByteArray operator()(const IdData &d) const
    {
        QByteArray out = "ID";
        for (const auto &[k, v] : d.fields)
            out += ' ' + k + '=' + ns(v);
        return out;
    }
    QByteArray operator()(const NamespaceData &d) const
    {
        auto one = [](const QList<NamespaceEntry> &list) -> QByteArray {
            if (list.isEmpty())
                return QByteArray("NIL");
            QList<QByteArray> parts;
            for (const NamespaceEntry &e : list)
                parts.append('"' + e.prefix + "\" " + (e.delimiter ? QByteArray(1, e.delimiter) : "NIL"));
            return '(' + parts.join(',') + ')';
        };
        return "NAMESPACE " + one(d.personal) + ' ' + one(d.otherUsers) + ' ' + one(d.shared);
    }
    QByteArray operator()(const ThreadData &d) const
    {
        QList<QByteArray> parts;
        for (const ThreadNode &n : d.threads)
            parts.append(thread(n));
        return "THREAD " + parts.join(' ');
    }
    QByteArray operator()(const FetchData &d) const { return fetch(d); }
};

} // namespace

QByteArray describe(const Envelope &e)
{
    return "(" + ns(e.date) + ' ' + ns(e.subject) + " from=" + addresses(e.from) + " sender="
        + addresses(e.sender) + " reply-to=" + addresses(e.replyTo) + " to=" + addresses(e.to) + " cc="
        + addresses(e.cc) + " bcc=" + addresses(e.bcc) + " in-reply-to=" + ns(e.inReplyTo) + " id="
        + ns(e.messageId) + ')';
}

QByteArray describe(const BodyStructure &b)
{
    QByteArray out = '(' + b.type + '/' + b.subtype + params(b.params);
    if (b.isMultipart()) {
        for (const BodyStructure &p : b.parts)
            out += ' ' + describe(p);
    } else {
        if (!b.id.isNull())
            out += " id=" + b.id;
        if (!b.description.isNull())
            out += " desc=" + b.description;
        out += " enc=" + b.encoding + " size=" + QByteArray::number(b.size);
        if (b.lines >= 0)
            out += " lines=" + QByteArray::number(b.lines);
        if (!b.md5.isNull())
            out += " md5=" + b.md5;
        if (b.envelope)
            out += " envelope=" + describe(*b.envelope) + " body=" + describe(b.parts.value(0));
    }
    if (!b.disposition.isNull())
        out += " disposition=" + b.disposition + params(b.dispositionParams);
    if (!b.language.isEmpty())
        out += " lang=" + joined(b.language);
    if (!b.location.isNull())
        out += " location=" + b.location;
    return out + ')';
}

QByteArray describe(const Response &r)
{
    switch (r.kind) {
    case Response::Kind::Tagged:
        return r.tag + ' ' + statusText(r.status);
    case Response::Kind::UntaggedStatus:
        return "* " + statusText(r.status);
    case Response::Kind::Untagged:
        return "* " + std::visit(DataVisitor{}, r.data);
    case Response::Kind::Continuation:
        return "+ " + r.continuation;
    case Response::Kind::Error:
        break;
    }
    static const char *const reasons[] = {"Syntax", "LiteralTooLarge", "LineTooLong", "NestingTooDeep"};
    QByteArray out = QByteArray("ERROR ") + reasons[int(r.error.reason)];
    if (r.error.fatal)
        out += " fatal";
    if (!r.error.tag.isEmpty())
        out += " tag=" + r.error.tag;
    return out;
}

QList<QByteArray> parseAll(QByteArrayView input, qsizetype step, bool utf8)
{
    ResponseParser parser;
    parser.setUtf8Accepted(utf8);
    QList<QByteArray> out;
    if (step <= 0)
        step = qMax<qsizetype>(1, input.size());
    for (qsizetype i = 0; i < input.size(); i += step) {
        parser.feed(input.sliced(i, qMin(step, input.size() - i)));
        while (auto r = parser.next())
            out.append(describe(*r));
    }
    return out;
}

} // namespace tern::imap::test
