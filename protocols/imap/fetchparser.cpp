// SPDX-License-Identifier: GPL-3.0-or-later
// FETCH msg-att (RFC 3501 §7.4.2, RFC 9051 §7.5.2, RFC 3516, RFC 7162, RFC 8474, RFC 8970).
#include "imap/parsers_p.h"

#include <QTimeZone>

namespace tern::imap::detail {

namespace {

QList<Address> addressList(Cursor &c, int depth)
{
    // "(" 1*address ")" / nil; address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")".
    // Servers differ on spaces between addresses; both forms are read.
    QList<Address> out;
    if (c.consumeNil())
        return out;
    if (!c.enter(depth))
        return out;
    c.expect('(');
    while (!c.failed() && !c.consume(')')) {
        c.optionalSpace();
        c.expect('(');
        Address a;
        a.name = c.nstringOrAtom();
        c.space();
        a.adl = c.nstringOrAtom();
        c.space();
        a.mailbox = c.nstringOrAtom();
        c.space();
        a.host = c.nstringOrAtom();
        c.optionalSpace();
        c.expect(')');
        out.append(std::move(a));
        c.optionalSpace();
    }
    return out;
}

QList<BodyParam> params(Cursor &c)
{
    QList<BodyParam> out;
    if (c.consumeNil())
        return out;
    c.expect('(');
    while (!c.failed() && !c.consume(')')) {
        c.optionalSpace();
        BodyParam p;
        p.name = c.nstringUpper();
        c.space();
        p.value = c.nstring();
        out.append(std::move(p));
        c.optionalSpace();
    }
    return out;
}

// body-ext-1part / body-ext-mpart after md5 or params: [SP dsp [SP lang [SP loc *(SP extension)]]].
void extensions(Cursor &c, BodyStructure &b, int depth)
{
    if (!c.optionalSpace() || c.peek() == ')')
        return;
    if (!c.consumeNil()) {
        c.expect('(');
        b.disposition = c.nstringUpper();
        c.space();
        b.dispositionParams = params(c);
        c.expect(')');
    }
    if (!c.optionalSpace() || c.peek() == ')')
        return;
    if (c.peek() == '(') {
        b.language = c.stringList();
    } else {
        const QByteArray lang = c.nstring();
        if (!lang.isNull())
            b.language.append(lang);
    }
    if (!c.optionalSpace() || c.peek() == ')')
        return;
    b.location = c.nstring();
    while (!c.failed() && c.optionalSpace() && c.peek() != ')')
        c.skipValue(depth + 1);
}

void singlePart(Cursor &c, BodyStructure &b, int depth)
{
    b.type = c.nstringUpper();
    c.space();
    b.subtype = c.nstringUpper();
    c.space();
    b.params = params(c);
    c.space();
    b.id = c.nstring();
    c.space();
    b.description = c.nstring();
    c.space();
    b.encoding = c.nstringUpper();
    c.space();
    b.size = c.numberOrNil();
    const bool message = b.type == "MESSAGE" && (b.subtype == "RFC822" || b.subtype == "GLOBAL");
    if (message && c.optionalSpace() && c.peek() == '(') {
        // body-type-msg: envelope, the encapsulated message's body, its line count.
        b.envelope = std::make_shared<Envelope>(parseEnvelope(c, depth + 1));
        c.space();
        b.parts.append(parseBody(c, depth + 1));
        c.space();
        b.lines = c.numberOrNil();
    } else if (b.type == "TEXT") {
        c.space();
        b.lines = c.numberOrNil();
    }
    // body-ext-1part
    if (!c.optionalSpace() || c.peek() == ')')
        return;
    b.md5 = c.nstring();
    extensions(c, b, depth);
}

void section(Cursor &c, BodySection &s)
{
    c.expect('[');
    const QByteArrayView spec = c.until(']');
    s.section = QByteArray(spec.data(), spec.size());
    c.expect(']');
    if (c.consume('<')) {
        s.origin = c.number();
        c.expect('>');
    }
    c.space();
}

} // namespace

QDateTime parseInternalDate(QByteArrayView t)
{
    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE, e.g.
    // " 7-Feb-1994 21:52:25 -0800" (the day may be space- or zero-padded, or a single digit).
    static constexpr const char Months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    qsizetype i = 0;
    while (i < t.size() && t[i] == ' ')
        ++i;
    auto digits = [&t, &i](int n) -> int {
        int v = 0;
        for (int k = 0; k < n; ++k, ++i) {
            if (i >= t.size() || t[i] < '0' || t[i] > '9')
                return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    int day = digits(1);
    if (i < t.size() && t[i] >= '0' && t[i] <= '9')
        day = day * 10 + digits(1);
    if (day < 1 || i + 5 > t.size() || t[i] != '-')
        return {};
    int month = 0;
    for (int m = 0; m < 12; ++m) {
        if (Cursor::equals(t.sliced(i + 1, 3), QByteArrayView(Months + 3 * m, 3)))
            month = m + 1;
    }
    i += 4;
    if (!month || i >= t.size() || t[i++] != '-')
        return {};
    const int year = digits(4);
    if (i >= t.size() || t[i++] != ' ')
        return {};
    const int h = digits(2);
    const bool c1 = i < t.size() && t[i++] == ':';
    const int mi = digits(2);
    const bool c2 = i < t.size() && t[i++] == ':';
    const int s = digits(2);
    if (year < 0 || h < 0 || mi < 0 || s < 0 || !c1 || !c2 || i + 6 != t.size() || t[i] != ' ')
        return {};
    ++i;
    const char sign = t[i++];
    const int zh = digits(2);
    const int zm = digits(2);
    if ((sign != '+' && sign != '-') || zh < 0 || zm < 0)
        return {};
    const int offset = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    QDateTime dt(QDate(year, month, day), QTime(h, mi, s), QTimeZone::fromSecondsAheadOfUtc(offset));
    return dt.isValid() ? dt : QDateTime();
}

Envelope parseEnvelope(Cursor &c, int depth)
{
    Envelope e;
    if (!c.enter(depth))
        return e;
    c.expect('(');
    e.date = c.nstringOrAtom();
    c.space();
    e.subject = c.nstringOrAtom();
    c.space();
    const qsizetype fromAt = c.position();
    e.from = addressList(c, depth + 1);
    // Servers fill Sender and Reply-To from From when the message has none (RFC 3501 §7.4.2), so the three
    // are usually the same bytes: a list that repeats From's text byte for byte shares its parsed value.
    // Only a parenthesised From qualifies: its closing parenthesis ends it, where "NIL" could prefix an atom.
    const QByteArrayView fromText = c.failed() ? QByteArrayView() : c.since(fromAt);
    const bool shareable = fromText.startsWith('(');
    c.space();
    e.sender = shareable && c.consumeSame(fromText) ? e.from : addressList(c, depth + 1);
    c.space();
    e.replyTo = shareable && c.consumeSame(fromText) ? e.from : addressList(c, depth + 1);
    c.space();
    e.to = addressList(c, depth + 1);
    c.space();
    e.cc = addressList(c, depth + 1);
    c.space();
    e.bcc = addressList(c, depth + 1);
    c.space();
    e.inReplyTo = c.nstringOrAtom();
    c.space();
    e.messageId = c.nstringOrAtom();
    c.optionalSpace();
    c.expect(')');
    return e;
}

BodyStructure parseBody(Cursor &c, int depth)
{
    BodyStructure b;
    if (!c.enter(depth))
        return b;
    c.expect('(');
    if (c.peek() == '(') {
        // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
        while (!c.failed() && c.peek() == '(') {
            b.parts.append(parseBody(c, depth + 1));
            c.optionalSpace();
        }
        b.type = QByteArrayLiteral("MULTIPART");
        b.subtype = c.nstringUpper();
        if (c.optionalSpace() && c.peek() != ')') {
            b.params = params(c);
            extensions(c, b, depth);
        }
    } else {
        singlePart(c, b, depth);
    }
    c.optionalSpace();
    c.expect(')');
    return b;
}

FetchData parseFetch(Cursor &c, quint32 sequence)
{
    FetchData f;
    f.sequence = sequence;
    c.expect('(');
    while (!c.failed() && !c.consume(')')) {
        const QByteArrayView name = c.atom();
        if (c.failed())
            break;
        if (c.peek() == '[') {
            BodySection s;
            if (Cursor::equals(name, "BINARY.SIZE")) {
                section(c, s);
                f.binarySizes.append({s.section, qint64(c.number64())});
            } else {
                s.binary = Cursor::equals(name, "BINARY");
                if (!s.binary && !Cursor::equals(name, "BODY"))
                    c.fail();
                section(c, s);
                s.data = c.nstring();
                f.sections.append(std::move(s));
            }
        } else {
            c.space();
            if (Cursor::equals(name, "UID")) {
                f.uid = c.number();
            } else if (Cursor::equals(name, "FLAGS")) {
                f.flags = c.atomList();
            } else if (Cursor::equals(name, "RFC822.SIZE")) {
                f.size = qint64(c.number64());
            } else if (Cursor::equals(name, "INTERNALDATE")) {
                const QByteArray text = c.string();
                f.internalDate = parseInternalDate(text);
                if (!f.internalDate->isValid())
                    c.fail();
            } else if (Cursor::equals(name, "ENVELOPE")) {
                f.envelope = parseEnvelope(c, 0);
            } else if (Cursor::equals(name, "BODYSTRUCTURE") || Cursor::equals(name, "BODY")) {
                f.body = parseBody(c, 0);
            } else if (Cursor::equals(name, "MODSEQ")) {
                c.expect('(');
                f.modseq = c.number64();
                c.expect(')');
            } else if (Cursor::equals(name, "PREVIEW")) {
                f.preview = c.nstring();
            } else if (Cursor::equals(name, "EMAILID") || Cursor::equals(name, "THREADID")) {
                QByteArray id;
                if (!c.consumeNil()) {
                    c.expect('(');
                    id = c.astring();
                    c.expect(')');
                }
                (Cursor::equals(name, "EMAILID") ? f.emailId : f.threadId) = id;
            } else if (Cursor::equals(name, "RFC822") || Cursor::equals(name, "RFC822.HEADER")
                       || Cursor::equals(name, "RFC822.TEXT")) {
                BodySection s;
                s.section = name.size() > 7 ? Cursor::upper(name.sliced(7)) : QByteArray("");
                s.data = c.nstring();
                f.sections.append(std::move(s));
            } else {
                c.skipValue();
            }
        }
        c.optionalSpace();
    }
    return f;
}

} // namespace tern::imap::detail
