// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/command.h"

#include "common/trace.h"

namespace tern::imap {

namespace {

constexpr qsizetype MaxQuoted = 1024;          // longer strings go as literals; some servers cap lines
constexpr qsizetype LiteralMinusLimit = 4096;  // RFC 7888 §4

bool isAtomChar(char c)
{
    // ATOM-CHAR (RFC 3501 §9): CHAR except atom-specials ( ) { SP CTL % * " \ ]
    if (c <= 0x20 || c >= 0x7f)
        return false;
    switch (c) {
    case '(': case ')': case '{': case '%': case '*': case '"': case '\\': case ']':
        return false;
    default:
        return true;
    }
}

} // namespace

QList<QByteArray> Command::tagged(QByteArrayView tag) const
{
    QList<QByteArray> out = parts;
    if (!out.isEmpty())
        out.first().prepend(' ').prepend(tag.data(), tag.size());
    return out;
}

QByteArray Command::taggedTrace(QByteArrayView tag) const
{
    return tag.toByteArray() + ' ' + trace;
}

CommandWriter::CommandWriter(QByteArrayView name, EncodeOptions options)
    : m_options(options)
{
    m_cmd.name = name.toByteArray();
    raw(name);
}

bool CommandWriter::isAtom(QByteArrayView value)
{
    if (value.isEmpty())
        return false;
    for (char c : value) {
        if (!isAtomChar(c))
            return false;
    }
    // NIL as an atom is a valid astring, but some servers read it as nil: quote it.
    return value.compare("NIL", Qt::CaseInsensitive) != 0;
}

CommandWriter &CommandWriter::raw(QByteArrayView syntax)
{
    m_part.append(syntax);
    m_cmd.trace.append(syntax);
    return *this;
}

CommandWriter &CommandWriter::number(quint64 n)
{
    return raw(QByteArray::number(n));
}

CommandWriter &CommandWriter::checkedSyntax(QByteArrayView s)
{
    for (char c : s) {
        // Printable ASCII without quotes, braces or backslash-escapes: enough for fetch items, flags
        // ("\Seen" is allowed) and header field lists, not enough to smuggle a literal or a new line.
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '{' || c == '}')
            m_cmd.valid = false;
    }
    return raw(s);
}

void CommandWriter::literal(QByteArrayView value, QByteArrayView traceText)
{
    const bool nonSync = m_options.literalPlus || (m_options.literalMinus && value.size() <= LiteralMinusLimit);
    const QByteArray size = QByteArray::number(value.size());
    m_cmd.trace.append('{' + size + (nonSync ? "+} " : "} "));
    // One line in the inspector: line breaks inside the literal are shown, not performed.
    QByteArray shown = traceText.toByteArray();
    shown.replace('\r', "\\r").replace('\n', "\\n");
    m_cmd.trace.append(shown);
    if (nonSync) {
        m_part.append('{' + size + "+}\r\n");
    } else {
        m_part.append('{' + size + "}\r\n");
        m_cmd.parts.append(m_part);
        m_part.clear();
    }
    m_part.append(value);
}

CommandWriter &CommandWriter::string(QByteArrayView value)
{
    bool quotable = value.size() <= MaxQuoted;
    for (char c : value) {
        if (c == '\0')
            m_cmd.valid = false; // neither quoted nor literal strings may hold NUL (RFC 3501 §9 CHAR8)
        if (c == '\r' || c == '\n' || c == '\0' || (static_cast<unsigned char>(c) >= 0x80 && !m_options.utf8Accepted))
            quotable = false;
    }
    if (!quotable) {
        literal(value, value);
        return *this;
    }
    QByteArray quoted;
    quoted.reserve(value.size() + 2);
    quoted.append('"');
    for (char c : value) {
        if (c == '"' || c == '\\')
            quoted.append('\\');
        quoted.append(c);
    }
    quoted.append('"');
    return raw(quoted);
}

CommandWriter &CommandWriter::astring(QByteArrayView value)
{
    if (isAtom(value))
        return raw(value);
    return string(value);
}

CommandWriter &CommandWriter::secret(QByteArrayView value)
{
    const QByteArray traceBefore = m_cmd.trace;
    astring(value);
    m_cmd.trace = traceBefore + protocols::Trace::redacted();
    return *this;
}

CommandWriter &CommandWriter::message(QByteArrayView bytes)
{
    literal(bytes, QByteArray("<" + QByteArray::number(bytes.size()) + " bytes>"));
    return *this;
}

Command CommandWriter::finish()
{
    m_part.append("\r\n");
    m_cmd.parts.append(m_part);
    m_part.clear();
    return std::move(m_cmd);
}

} // namespace tern::imap
