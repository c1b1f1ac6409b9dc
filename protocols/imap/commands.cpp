// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/commands.h"

#include <QTimeZone>

namespace tern::imap::commands {

namespace {

Command simple(QByteArrayView name)
{
    return CommandWriter(name, {}).finish();
}

Command oneMailbox(QByteArrayView name, QByteArrayView mailbox, EncodeOptions o)
{
    return CommandWriter(name, o).sp().astring(mailbox).finish();
}

void parenthesised(CommandWriter &w, const QList<QByteArray> &items)
{
    w.raw("(");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            w.sp();
        w.checkedSyntax(items[i]);
    }
    w.raw(")");
}

void searchTerms(CommandWriter &w, const QList<SearchTerm> &terms)
{
    for (const SearchTerm &t : terms) {
        w.sp().checkedSyntax(t.syntax);
        for (const QByteArray &s : t.strings)
            w.sp().string(s);
    }
}

bool needsUtf8Charset(const QList<SearchTerm> &terms, EncodeOptions o)
{
    if (o.utf8Accepted) // RFC 6855 §3: UTF-8 is the charset once enabled
        return false;
    for (const SearchTerm &t : terms) {
        for (const QByteArray &s : t.strings) {
            for (char c : s) {
                if (static_cast<unsigned char>(c) >= 0x80)
                    return true;
            }
        }
    }
    return false;
}

} // namespace

Command capability() { return simple("CAPABILITY"); }
Command noop() { return simple("NOOP"); }
Command logout() { return simple("LOGOUT"); }
Command startTls() { return simple("STARTTLS"); }
Command namespaces() { return simple("NAMESPACE"); }
Command close() { return simple("CLOSE"); }
Command unselect() { return simple("UNSELECT"); }
Command expunge() { return simple("EXPUNGE"); }
Command idle() { return simple("IDLE"); }
Command compress() { return CommandWriter("COMPRESS", {}).raw(" DEFLATE").finish(); }
QByteArray idleDone() { return QByteArrayLiteral("DONE\r\n"); }

Command login(QByteArrayView user, QByteArrayView password, EncodeOptions o)
{
    return CommandWriter("LOGIN", o).sp().astring(user).sp().secret(password).finish();
}

Command authenticate(QByteArrayView mechanism, std::optional<QByteArray> initialResponseBase64)
{
    CommandWriter w("AUTHENTICATE", {});
    w.sp().checkedSyntax(mechanism);
    Command c;
    if (initialResponseBase64) {
        // RFC 4959 §3: an empty initial response is sent as "=". The response is a secret.
        c = w.sp().raw("").finish();
        const QByteArray ir = initialResponseBase64->isEmpty() ? QByteArrayLiteral("=") : *initialResponseBase64;
        c.parts.last().insert(c.parts.last().size() - 2, ir);
        c.trace += QByteArrayLiteral("***");
        return c;
    }
    return w.finish();
}

Command enable(const QList<QByteArray> &capabilities)
{
    CommandWriter w("ENABLE", {});
    for (const QByteArray &cap : capabilities)
        w.sp().checkedSyntax(cap);
    return w.finish();
}

Command id(const QList<std::pair<QByteArray, QByteArray>> &fields, EncodeOptions o)
{
    CommandWriter w("ID", o);
    if (fields.isEmpty())
        return w.raw(" NIL").finish();
    w.raw(" (");
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            w.sp();
        w.string(fields[i].first).sp().string(fields[i].second);
    }
    return w.raw(")").finish();
}

Command select(QByteArrayView mailbox, bool readOnly, EncodeOptions o, bool condstore,
               const std::optional<QresyncParams> &qresync)
{
    CommandWriter w(readOnly ? "EXAMINE" : "SELECT", o);
    w.sp().astring(mailbox);
    if (qresync) {
        w.raw(" (QRESYNC (").number(qresync->uidValidity).sp().number(qresync->modseq);
        if (!qresync->knownUids.isEmpty())
            w.sp().raw(qresync->knownUids.toBytes());
        w.raw("))");
    } else if (condstore) {
        w.raw(" (CONDSTORE)");
    }
    return w.finish();
}

Command create(QByteArrayView mailbox, EncodeOptions o, QByteArrayView specialUse)
{
    CommandWriter w("CREATE", o);
    w.sp().astring(mailbox);
    if (!specialUse.isEmpty())
        w.raw(" (USE (").checkedSyntax(specialUse).raw("))");
    return w.finish();
}

Command deleteMailbox(QByteArrayView mailbox, EncodeOptions o) { return oneMailbox("DELETE", mailbox, o); }
Command subscribe(QByteArrayView mailbox, EncodeOptions o) { return oneMailbox("SUBSCRIBE", mailbox, o); }
Command unsubscribe(QByteArrayView mailbox, EncodeOptions o) { return oneMailbox("UNSUBSCRIBE", mailbox, o); }

Command rename(QByteArrayView from, QByteArrayView to, EncodeOptions o)
{
    return CommandWriter("RENAME", o).sp().astring(from).sp().astring(to).finish();
}

Command list(QByteArrayView reference, QByteArrayView pattern, EncodeOptions o, const ListOptions &options)
{
    CommandWriter w("LIST", o);
    QList<QByteArray> selection;
    if (options.subscribedOnly)
        selection.append("SUBSCRIBED");
    if (options.specialUseOnly)
        selection.append("SPECIAL-USE");
    if (options.recursiveMatch && !selection.isEmpty()) // RFC 5258 §3.1: never on its own
        selection.append("RECURSIVEMATCH");
    if (!selection.isEmpty())
        w.sp().raw(QByteArray("(" + selection.join(' ') + ")"));
    // The pattern is list-mailbox: "%" and "*" are wildcards, so an atom with them is sent bare.
    w.sp().string(reference).sp();
    bool wildcardAtom = !pattern.isEmpty();
    for (char c : pattern) {
        if (!(CommandWriter::isAtom(QByteArrayView(&c, 1)) || c == '%' || c == '*'))
            wildcardAtom = false;
    }
    if (wildcardAtom)
        w.raw(pattern);
    else
        w.string(pattern);
    QList<QByteArray> ret;
    if (options.returnChildren)
        ret.append("CHILDREN");
    if (options.returnSubscribed)
        ret.append("SUBSCRIBED");
    if (options.returnSpecialUse)
        ret.append("SPECIAL-USE");
    if (!ret.isEmpty() || !options.returnStatus.isEmpty()) {
        w.raw(" RETURN (").raw(ret.join(' '));
        if (!options.returnStatus.isEmpty()) {
            w.raw(ret.isEmpty() ? "STATUS " : " STATUS ");
            parenthesised(w, options.returnStatus);
        }
        w.raw(")");
    }
    return w.finish();
}

Command lsub(QByteArrayView reference, QByteArrayView pattern, EncodeOptions o)
{
    return CommandWriter("LSUB", o).sp().string(reference).sp().string(pattern).finish();
}

Command status(QByteArrayView mailbox, const QList<QByteArray> &items, EncodeOptions o)
{
    CommandWriter w("STATUS", o);
    w.sp().astring(mailbox).sp();
    parenthesised(w, items);
    return w.finish();
}

QByteArray internalDate(const QDateTime &when)
{
    static constexpr const char *Months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int offset = when.offsetFromUtc();
    const QDate d = when.date();
    const QTime t = when.time();
    const int a = qAbs(offset) / 60;
    return QByteArray::number(d.day()).rightJustified(2, '0') + '-' + Months[d.month() - 1] + '-'
        + QByteArray::number(d.year()) + ' ' + t.toString(QStringLiteral("hh:mm:ss")).toLatin1() + ' '
        + (offset < 0 ? '-' : '+') + QByteArray::number(a / 60).rightJustified(2, '0')
        + QByteArray::number(a % 60).rightJustified(2, '0');
}

Command append(QByteArrayView mailbox, QByteArrayView message, EncodeOptions o, const QList<QByteArray> &flags,
               const QDateTime &date)
{
    CommandWriter w("APPEND", o);
    w.sp().astring(mailbox);
    if (!flags.isEmpty()) {
        w.sp();
        parenthesised(w, flags);
    }
    if (date.isValid())
        w.raw(" \"").raw(internalDate(date)).raw("\"");
    w.sp().message(message);
    return w.finish();
}

Command uidExpunge(const SequenceSet &uids)
{
    return CommandWriter("UID EXPUNGE", {}).sp().raw(uids.toBytes()).finish();
}

Command uidSearch(const QList<SearchTerm> &terms, EncodeOptions o, const QList<QByteArray> &returnOptions)
{
    CommandWriter w("UID SEARCH", o);
    if (!returnOptions.isEmpty()) {
        w.raw(" RETURN ");
        parenthesised(w, returnOptions);
    }
    if (needsUtf8Charset(terms, o))
        w.raw(" CHARSET UTF-8");
    searchTerms(w, terms);
    return w.finish();
}

Command uidFetch(const SequenceSet &uids, const QList<QByteArray> &items, std::optional<quint64> changedSince,
                 bool vanished)
{
    CommandWriter w("UID FETCH", {});
    w.sp().raw(uids.toBytes()).sp();
    parenthesised(w, items);
    if (changedSince) {
        w.raw(" (CHANGEDSINCE ").number(*changedSince);
        if (vanished)
            w.raw(" VANISHED");
        w.raw(")");
    }
    return w.finish();
}

Command uidStore(const SequenceSet &uids, StoreMode mode, const QList<QByteArray> &flags, bool silent,
                 std::optional<quint64> unchangedSince)
{
    CommandWriter w("UID STORE", {});
    w.sp().raw(uids.toBytes());
    if (unchangedSince)
        w.raw(" (UNCHANGEDSINCE ").number(*unchangedSince).raw(")");
    w.raw(mode == StoreMode::Add ? " +FLAGS" : mode == StoreMode::Remove ? " -FLAGS" : " FLAGS");
    if (silent)
        w.raw(".SILENT");
    w.sp();
    parenthesised(w, flags);
    return w.finish();
}

Command uidCopy(const SequenceSet &uids, QByteArrayView mailbox, EncodeOptions o)
{
    return CommandWriter("UID COPY", o).sp().raw(uids.toBytes()).sp().astring(mailbox).finish();
}

Command uidMove(const SequenceSet &uids, QByteArrayView mailbox, EncodeOptions o)
{
    return CommandWriter("UID MOVE", o).sp().raw(uids.toBytes()).sp().astring(mailbox).finish();
}

Command uidSort(const QList<QByteArray> &criteria, const QList<SearchTerm> &terms, EncodeOptions o)
{
    CommandWriter w("UID SORT", o);
    w.sp();
    parenthesised(w, criteria);
    w.raw(o.utf8Accepted || needsUtf8Charset(terms, o) ? " UTF-8" : " US-ASCII");
    searchTerms(w, terms);
    return w.finish();
}

Command notifySet(const QList<NotifyGroup> &groups, bool status, EncodeOptions o)
{
    CommandWriter w("NOTIFY", o);
    w.raw(" SET");
    if (status)
        w.raw(" STATUS");
    for (const NotifyGroup &g : groups) {
        w.raw(" (").checkedSyntax(g.filter);
        if (!g.mailboxes.isEmpty()) {
            w.raw(" (");
            for (qsizetype i = 0; i < g.mailboxes.size(); ++i) {
                if (i)
                    w.sp();
                w.astring(g.mailboxes[i]);
            }
            w.raw(")");
        }
        w.sp();
        if (g.events.isEmpty())
            w.raw("NONE");
        else
            parenthesised(w, g.events);
        w.raw(")");
    }
    return w.finish();
}

Command notifyNone()
{
    return CommandWriter("NOTIFY", {}).raw(" NONE").finish();
}

Command uidThread(QByteArrayView algorithm, const QList<SearchTerm> &terms, EncodeOptions o)
{
    CommandWriter w("UID THREAD", o);
    w.sp().checkedSyntax(algorithm);
    w.raw(o.utf8Accepted || needsUtf8Charset(terms, o) ? " UTF-8" : " US-ASCII");
    searchTerms(w, terms);
    return w.finish();
}

} // namespace tern::imap::commands
