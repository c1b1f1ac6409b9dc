// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/responseparser.h"

#include "imap/parsers_p.h"

#include <cstring>

namespace tern::imap {

using detail::parseResponseCode;

namespace {

constexpr qsizetype ExcerptLength = 120;

// If the line [start, end) (terminator excluded) ends with a literal announcement "{n}", "{n+}" or
// "~{n}" (RFC 3501 §4.3, RFC 7888, RFC 3516), its size; -1 if none; -2 if the digits overflow.
qint64 literalAtEnd(const char *data, qsizetype start, qsizetype end)
{
    if (end - start < 3 || data[end - 1] != '}')
        return -1;
    qsizetype i = end - 2;
    if (data[i] == '+')
        --i;
    const qsizetype lastDigit = i;
    while (i > start && data[i] >= '0' && data[i] <= '9')
        --i;
    if (i == lastDigit || data[i] != '{')
        return -1;
    const qsizetype digits = lastDigit - i;
    if (digits > 18)
        return -2;
    qint64 size = 0;
    for (qsizetype k = i + 1; k <= lastDigit; ++k)
        size = size * 10 + (data[k] - '0');
    return size;
}

Response statusResponse(Cursor &c, Status status)
{
    Response r;
    r.kind = Response::Kind::UntaggedStatus;
    r.status.status = status;
    c.optionalSpace();
    if (c.consume('[')) {
        r.status.code = parseResponseCode(c);
        c.expect(']');
        c.optionalSpace();
    }
    const QByteArrayView text = c.restOfLine();
    r.status.text = QByteArray(text.data(), text.size());
    return r;
}

std::optional<Status> statusWord(QByteArrayView word)
{
    if (Cursor::equals(word, "OK"))
        return Status::Ok;
    if (Cursor::equals(word, "NO"))
        return Status::No;
    if (Cursor::equals(word, "BAD"))
        return Status::Bad;
    if (Cursor::equals(word, "BYE"))
        return Status::Bye;
    if (Cursor::equals(word, "PREAUTH"))
        return Status::PreAuth;
    return std::nullopt;
}

Response numbered(Cursor &c)
{
    // message-data (RFC 3501 §7.4): nz-number SP ("EXPUNGE" / "FETCH" msg-att), and mailbox-data
    // number SP ("EXISTS" / "RECENT").
    Response r;
    r.kind = Response::Kind::Untagged;
    const quint32 n = c.number();
    c.space();
    const QByteArrayView name = c.atom();
    if (Cursor::equals(name, "FETCH")) {
        c.space();
        r.data = detail::parseFetch(c, n);
    } else if (Cursor::equals(name, "EXISTS")) {
        r.data = ExistsData{n};
    } else if (Cursor::equals(name, "RECENT")) {
        r.data = RecentData{n};
    } else if (Cursor::equals(name, "EXPUNGE")) {
        r.data = ExpungeData{n};
    } else {
        c.restOfLine(); // an extension we do not know: ignored, not an error
    }
    return r;
}

Response untagged(Cursor &c, bool utf8)
{
    c.space();
    const char first = c.peek();
    if (first >= '0' && first <= '9')
        return numbered(c);
    const QByteArrayView name = c.atom();
    if (const auto status = statusWord(name))
        return statusResponse(c, *status);
    Response r;
    r.kind = Response::Kind::Untagged;
    const QByteArray word = Cursor::upper(name);
    c.optionalSpace();
    if (word == "CAPABILITY")
        r.data = detail::parseCapability(c);
    else if (word == "LIST" || word == "LSUB")
        r.data = detail::parseList(c, word == "LSUB", utf8);
    else if (word == "STATUS")
        r.data = detail::parseStatus(c, utf8);
    else if (word == "FLAGS")
        r.data = detail::parseFlags(c);
    else if (word == "SEARCH")
        r.data = detail::parseSearch(c);
    else if (word == "SORT")
        r.data = detail::parseSort(c);
    else if (word == "ESEARCH")
        r.data = detail::parseESearch(c);
    else if (word == "ENABLED")
        r.data = detail::parseEnabled(c);
    else if (word == "ID")
        r.data = detail::parseId(c);
    else if (word == "NAMESPACE")
        r.data = detail::parseNamespace(c);
    else if (word == "THREAD")
        r.data = detail::parseThread(c);
    else if (word == "VANISHED")
        r.data = detail::parseVanished(c);
    else
        c.restOfLine(); // an extension we do not know (QUOTA, METADATA, ...): ignored, not an error
    return r;
}

} // namespace

ResponseParser::ResponseParser(Limits limits)
    : m_limits(limits)
{
}

void ResponseParser::feed(QByteArrayView bytes)
{
    m_lastLine = {};
    if (m_failed)
        return;
    // Drop consumed bytes once they dominate: amortised O(1) per byte and the buffer stays near one
    // response plus one read.
    if (m_pos > 0 && m_pos >= m_buf.size() / 2) {
        m_buf.remove(0, m_pos);
        m_scan -= m_pos;
        m_lineStart -= m_pos;
        m_pos = 0;
    }
    m_buf.append(bytes);
}

void ResponseParser::clear()
{
    m_lastLine = {};
    m_buf.clear();
    m_buf.squeeze();
    m_pos = m_scan = m_lineStart = 0;
    m_literalLeft = 0;
    m_failed = false;
}

QByteArray ResponseParser::takeBuffered()
{
    QByteArray rest = m_buf.mid(m_pos);
    clear();
    return rest;
}

std::optional<Response> ResponseParser::fatal(ParseError::Reason reason)
{
    Response r;
    r.kind = Response::Kind::Error;
    r.error.reason = reason;
    r.error.fatal = true;
    r.error.excerpt = m_buf.mid(m_pos, qMin<qsizetype>(ExcerptLength, m_buf.size() - m_pos));
    m_failed = true;
    m_lastLine = {};
    m_buf.clear();
    m_buf.squeeze();
    m_pos = m_scan = m_lineStart = 0;
    m_literalLeft = 0;
    return r;
}

std::optional<Response> ResponseParser::next()
{
    if (m_failed)
        return std::nullopt;
    const char *data = m_buf.constData();
    const qsizetype size = m_buf.size();
    for (;;) {
        if (m_literalLeft > 0) {
            const qint64 available = size - m_scan;
            if (available < m_literalLeft) {
                m_literalLeft -= available;
                m_scan = size;
                return std::nullopt;
            }
            m_scan += qsizetype(m_literalLeft);
            m_literalLeft = 0;
            m_lineStart = m_scan;
        }
        const void *lfp = m_scan < size ? std::memchr(data + m_scan, '\n', size_t(size - m_scan)) : nullptr;
        if (!lfp) {
            m_scan = size;
            if (size - m_lineStart > m_limits.maxLine)
                return fatal(ParseError::Reason::LineTooLong);
            return std::nullopt;
        }
        const qsizetype lf = static_cast<const char *>(lfp) - data;
        if (lf - m_lineStart > m_limits.maxLine)
            return fatal(ParseError::Reason::LineTooLong);
        const qsizetype end = (lf > m_lineStart && data[lf - 1] == '\r') ? lf - 1 : lf;
        const qint64 literal = literalAtEnd(data, m_lineStart, end);
        if (literal == -2 || literal > m_limits.maxLiteral
            || (literal >= 0 && (lf + 1 - m_pos) + literal > m_limits.maxResponse)) {
            return fatal(ParseError::Reason::LiteralTooLarge);
        }
        if (literal >= 0) {
            m_literalLeft = literal;
            m_scan = m_lineStart = lf + 1;
            // Make room ahead for the literal, but only for what a read or two brings: a server that
            // announces a large literal and then sends nothing must not have made us allocate it.
            const qsizetype ahead = qsizetype(qMin<qint64>(literal, 1024 * 1024));
            if (m_buf.capacity() < m_scan + ahead)
                m_buf.reserve(m_scan + ahead + 4096);
            data = m_buf.constData();
            continue;
        }
        const QByteArrayView response(data + m_pos, lf + 1 - m_pos);
        const qsizetype firstLf = response.indexOf('\n');
        qsizetype firstEnd = firstLf > 0 && response[firstLf - 1] == '\r' ? firstLf - 1 : firstLf;
        m_lastLine = response.first(qMin<qsizetype>(firstEnd, 200));
        m_pos = m_scan = m_lineStart = lf + 1;
        return parse(response, m_utf8);
    }
}

Response ResponseParser::parse(QByteArrayView bytes, bool utf8)
{
    Cursor c(bytes);
    Response r;
    QByteArray tag;
    if (c.consume('+')) {
        // continue-req (RFC 3501 §7.5): "+" SP (resp-text / base64); some servers omit the SP and text.
        r.kind = Response::Kind::Continuation;
        c.optionalSpace();
        const QByteArrayView text = c.restOfLine();
        r.continuation = QByteArray(text.data(), text.size());
    } else if (c.consume('*')) {
        r = untagged(c, utf8);
    } else {
        const QByteArrayView t = c.atom();
        tag = QByteArray(t.data(), t.size());
        c.space();
        const auto status = statusWord(c.atom());
        if (!status || *status == Status::Bye || *status == Status::PreAuth)
            c.fail();
        r = statusResponse(c, status.value_or(Status::Bad));
        r.kind = Response::Kind::Tagged;
        r.tag = tag;
    }
    c.optionalSpace();
    if (c.failed() || !c.atEnd()) {
        Response e;
        e.kind = Response::Kind::Error;
        e.error.reason = c.nestingTooDeep() ? ParseError::Reason::NestingTooDeep : ParseError::Reason::Syntax;
        e.error.tag = tag;
        e.error.offset = c.position();
        e.error.excerpt = QByteArray(bytes.data(), qMin<qsizetype>(ExcerptLength, bytes.size()));
        return e;
    }
    return r;
}

} // namespace tern::imap
