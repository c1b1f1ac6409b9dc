// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/cursor.h"

#include <cstring>

namespace tern::imap {

namespace {

// ATOM-CHAR: any CHAR except atom-specials (RFC 3501 §9), but "\" allowed so flags read as atoms and
// "]" stops (resp-text-code). "[" ends an atom so "BODY[" splits into BODY and its section.
constexpr bool isAtomChar(unsigned char c)
{
    if (c <= 0x20 || c >= 0x7f)
        return false;
    switch (c) {
    case '(': case ')': case '{': case '"': case ']': case '[': case '%':
        return false;
    default:
        return true;
    }
}

struct AtomTable
{
    bool v[256] = {};
    constexpr AtomTable()
    {
        for (int i = 0; i < 256; ++i)
            v[i] = isAtomChar(static_cast<unsigned char>(i));
    }
};
constexpr AtomTable atomTable;

// Tokens that recur in every BODYSTRUCTURE and FLAGS list. Returning a literal's shared static data
// instead of a fresh allocation for each is a large part of the parser's speed on big FETCH responses.
const QByteArray *internUpper(QByteArrayView v)
{
    static const QByteArray table[] = {
        QByteArrayLiteral("TEXT"), QByteArrayLiteral("PLAIN"), QByteArrayLiteral("HTML"),
        QByteArrayLiteral("MULTIPART"), QByteArrayLiteral("MIXED"), QByteArrayLiteral("ALTERNATIVE"),
        QByteArrayLiteral("RELATED"), QByteArrayLiteral("SIGNED"), QByteArrayLiteral("APPLICATION"),
        QByteArrayLiteral("IMAGE"), QByteArrayLiteral("MESSAGE"), QByteArrayLiteral("RFC822"),
        QByteArrayLiteral("OCTET-STREAM"), QByteArrayLiteral("PDF"), QByteArrayLiteral("JPEG"),
        QByteArrayLiteral("PNG"), QByteArrayLiteral("7BIT"), QByteArrayLiteral("8BIT"),
        QByteArrayLiteral("BASE64"), QByteArrayLiteral("QUOTED-PRINTABLE"), QByteArrayLiteral("BINARY"),
        QByteArrayLiteral("CHARSET"), QByteArrayLiteral("BOUNDARY"), QByteArrayLiteral("NAME"),
        QByteArrayLiteral("FILENAME"), QByteArrayLiteral("FORMAT"), QByteArrayLiteral("ATTACHMENT"),
        QByteArrayLiteral("INLINE"), QByteArrayLiteral("DELIVERY-STATUS"), QByteArrayLiteral("CALENDAR"),
    };
    for (const QByteArray &t : table) {
        if (t.size() == v.size() && Cursor::equals(v, t))
            return &t;
    }
    return nullptr;
}

const QByteArray *internFlag(QByteArrayView v)
{
    static const QByteArray table[] = {
        QByteArrayLiteral("\\Seen"), QByteArrayLiteral("\\Answered"), QByteArrayLiteral("\\Flagged"),
        QByteArrayLiteral("\\Deleted"), QByteArrayLiteral("\\Draft"), QByteArrayLiteral("\\Recent"),
        QByteArrayLiteral("$Forwarded"), QByteArrayLiteral("$Junk"), QByteArrayLiteral("$NotJunk"),
        QByteArrayLiteral("$MDNSent"),
    };
    for (const QByteArray &t : table) {
        if (t.size() == v.size() && t == v)
            return &t;
    }
    return nullptr;
}

} // namespace

bool Cursor::atEnd() const
{
    if (m_failed)
        return true;
    const qsizetype left = m_data.size() - m_pos;
    return left == 0 || (left == 1 && m_data[m_pos] == '\n')
        || (left == 2 && m_data[m_pos] == '\r' && m_data[m_pos + 1] == '\n');
}

bool Cursor::consume(char c)
{
    if (!m_failed && m_pos < m_data.size() && m_data[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return false;
}

void Cursor::expect(char c)
{
    if (!consume(c))
        m_failed = true;
}

void Cursor::space()
{
    if (!consume(' '))
        m_failed = true;
    while (consume(' ')) { }
}

bool Cursor::optionalSpace()
{
    bool any = false;
    while (consume(' '))
        any = true;
    return any;
}

bool Cursor::consumeSame(QByteArrayView text)
{
    if (m_failed || text.isEmpty() || m_data.size() - m_pos < text.size()
        || std::memcmp(m_data.data() + m_pos, text.data(), size_t(text.size())) != 0)
        return false;
    m_pos += text.size();
    return true;
}

bool Cursor::consumeNil()
{
    if (m_failed || m_data.size() - m_pos < 3)
        return false;
    const char *p = m_data.data() + m_pos;
    if ((p[0] | 0x20) != 'n' || (p[1] | 0x20) != 'i' || (p[2] | 0x20) != 'l')
        return false;
    if (m_pos + 3 < m_data.size() && atomTable.v[static_cast<unsigned char>(p[3])])
        return false;
    m_pos += 3;
    return true;
}

QByteArrayView Cursor::atom()
{
    if (m_failed)
        return {};
    const qsizetype start = m_pos;
    const qsizetype n = m_data.size();
    const char *d = m_data.data();
    while (m_pos < n && atomTable.v[static_cast<unsigned char>(d[m_pos])])
        ++m_pos;
    if (m_pos == start)
        m_failed = true;
    return m_data.sliced(start, m_pos - start);
}

QByteArrayView Cursor::restOfLine()
{
    if (m_failed)
        return {};
    qsizetype end = m_data.indexOf('\n', m_pos);
    if (end < 0)
        end = m_data.size();
    qsizetype stop = end;
    if (stop > m_pos && m_data[stop - 1] == '\r')
        --stop;
    const QByteArrayView out = m_data.sliced(m_pos, stop - m_pos);
    m_pos = stop;
    return out;
}

QByteArrayView Cursor::until(char stop)
{
    if (m_failed)
        return {};
    for (qsizetype i = m_pos; i < m_data.size(); ++i) {
        if (m_data[i] == stop) {
            const QByteArrayView out = m_data.sliced(m_pos, i - m_pos);
            m_pos = i;
            return out;
        }
        if (m_data[i] == '\n')
            break;
    }
    m_failed = true;
    return {};
}

quint64 Cursor::number64()
{
    if (m_failed)
        return 0;
    const qsizetype start = m_pos;
    quint64 value = 0;
    while (m_pos < m_data.size() && m_data[m_pos] >= '0' && m_data[m_pos] <= '9') {
        if (m_pos - start >= 19) { // 2^63 fits in 19 digits; mod-sequence-value is < 2^63
            m_failed = true;
            return 0;
        }
        value = value * 10 + quint64(m_data[m_pos] - '0');
        ++m_pos;
    }
    if (m_pos == start)
        m_failed = true;
    return value;
}

quint32 Cursor::number()
{
    const quint64 value = number64();
    if (value > 0xFFFFFFFFull) {
        m_failed = true;
        return 0;
    }
    return quint32(value);
}

qint64 Cursor::numberOrNil()
{
    if (consumeNil())
        return -1;
    if (consume('-')) { // seen from broken servers for unknown sizes
        number64();
        return -1;
    }
    return qint64(number64());
}

QByteArrayView Cursor::quotedView(bool &escaped)
{
    // RFC 3501 §9 quoted: "\" escapes only "\" and DQUOTE; 8-bit bytes are passed through, as servers send
    // them in the wild and RFC 6855/9051 allow UTF-8.
    escaped = false;
    const qsizetype start = ++m_pos; // opening quote
    const char *d = m_data.data();
    const qsizetype n = m_data.size();
    while (m_pos < n) {
        const char c = d[m_pos];
        if (c == '"') {
            const QByteArrayView out = m_data.sliced(start, m_pos - start);
            ++m_pos;
            return out;
        }
        if (c == '\\') {
            escaped = true;
            m_pos += 2;
            continue;
        }
        if (c == '\r' || c == '\n')
            break;
        ++m_pos;
    }
    m_failed = true;
    return {};
}

QByteArray Cursor::literal()
{
    // "{" number ["+"] "}" CRLF *CHAR8 (RFC 3501, RFC 7888), or "~{" for literal8 (RFC 3516).
    // The framer already checked the size against the parser's limit and that the bytes are present.
    consume('~');
    expect('{');
    const quint64 size = number64();
    consume('+');
    expect('}');
    consume('\r');
    expect('\n');
    if (m_failed || size > quint64(m_data.size() - m_pos)) {
        m_failed = true;
        return {};
    }
    QByteArray out(m_data.data() + m_pos, qsizetype(size));
    m_pos += qsizetype(size);
    return out;
}

QByteArray Cursor::string()
{
    if (m_failed)
        return {};
    const char c = peek();
    if (c == '"') {
        bool escaped = false;
        const QByteArrayView view = quotedView(escaped);
        if (m_failed)
            return {};
        if (!escaped)
            return QByteArray(view.data(), view.size());
        QByteArray out;
        out.reserve(view.size());
        for (qsizetype i = 0; i < view.size(); ++i) {
            if (view[i] == '\\' && i + 1 < view.size())
                ++i;
            out.append(view[i]);
        }
        return out;
    }
    if (c == '{' || (c == '~' && peekLiteral8()))
        return literal();
    m_failed = true;
    return {};
}

QByteArray Cursor::nstring()
{
    if (consumeNil())
        return QByteArray();
    return string();
}

QByteArray Cursor::nstringUpper()
{
    if (consumeNil())
        return QByteArray();
    if (peek() == '"') {
        bool escaped = false;
        const qsizetype start = m_pos;
        const QByteArrayView view = quotedView(escaped);
        if (!escaped || m_failed)
            return m_failed ? QByteArray() : upper(view);
        m_pos = start;
    }
    return upper(nstringOrAtom());
}

QByteArray Cursor::astring()
{
    const char c = peek();
    if (c == '"' || c == '{' || (c == '~' && peekLiteral8()))
        return string();
    const QByteArrayView a = atom();
    return QByteArray(a.data(), a.size());
}

QByteArray Cursor::nstringOrAtom()
{
    if (consumeNil())
        return QByteArray();
    return astring();
}

QList<QByteArray> Cursor::atomList()
{
    QList<QByteArray> out;
    expect('(');
    optionalSpace();
    while (!m_failed && !consume(')')) {
        const QByteArrayView a = atom();
        if (const QByteArray *flag = internFlag(a))
            out.append(*flag);
        else
            out.append(QByteArray(a.data(), a.size()));
        optionalSpace();
    }
    return out;
}

QList<QByteArray> Cursor::stringList()
{
    QList<QByteArray> out;
    expect('(');
    optionalSpace();
    while (!m_failed && !consume(')')) {
        out.append(astring());
        optionalSpace();
    }
    return out;
}

bool Cursor::enter(int depth)
{
    if (depth >= MaxDepth) {
        m_failed = true;
        m_tooDeep = true;
        return false;
    }
    return !m_failed;
}

void Cursor::skipValue(int depth)
{
    if (m_failed)
        return;
    const char c = peek();
    if (c == '(') {
        if (!enter(depth))
            return;
        ++m_pos;
        optionalSpace();
        while (!m_failed && !consume(')')) {
            skipValue(depth + 1);
            optionalSpace();
        }
    } else if (c == '"' || c == '{' || (c == '~' && peekLiteral8())) {
        if (c == '"') {
            bool escaped;
            quotedView(escaped);
        } else {
            literal();
        }
    } else if (c == '[') { // e.g. a section spec inside an unknown item
        until(']');
        expect(']');
    } else {
        atom();
        if (!m_failed && peek() == '[') { // BODY[...]-like item name
            until(']');
            expect(']');
        }
    }
}

QByteArray Cursor::upper(QByteArrayView v)
{
    if (v.size() <= 16) {
        if (const QByteArray *known = internUpper(v))
            return *known;
    }
    QByteArray out(v.data(), v.size());
    char *d = out.data();
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (d[i] >= 'a' && d[i] <= 'z')
            d[i] = char(d[i] - 32);
    }
    return out;
}

bool Cursor::equals(QByteArrayView a, QByteArrayView upperCase)
{
    if (a.size() != upperCase.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'a' && c <= 'z')
            c = char(c - 32);
        if (c != upperCase[i])
            return false;
    }
    return true;
}

} // namespace tern::imap
