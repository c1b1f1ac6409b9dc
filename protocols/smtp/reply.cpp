// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/reply.h"

namespace tern::smtp {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// "class.subject.detail" at the start of the text, RFC 3463 §2: class 2/4/5, subject and detail 1-3 digits.
std::optional<EnhancedStatus> parseEnhanced(const QByteArray &text, int code)
{
    const qsizetype space = text.indexOf(' ');
    const QByteArray token = space < 0 ? text : text.left(space);
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return std::nullopt;
    int values[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
        const QByteArray &p = parts.at(i);
        if (p.isEmpty() || p.size() > 3 || (i == 0 && p.size() != 1))
            return std::nullopt;
        for (char c : p) {
            if (!isDigit(c))
                return std::nullopt;
        }
        values[i] = p.toInt();
    }
    // RFC 2034 §3: the class digit must match the reply code's first digit.
    if (values[0] != code / 100)
        return std::nullopt;
    return EnhancedStatus{values[0], values[1], values[2]};
}

} // namespace

QByteArray EnhancedStatus::toString() const
{
    return QByteArray::number(statusClass) + '.' + QByteArray::number(subject) + '.' + QByteArray::number(detail);
}

QByteArray Reply::wireText() const
{
    QByteArray out;
    const QByteArray prefix = QByteArray::number(code);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i)
            out += '\n';
        out += prefix + (i + 1 == lines.size() ? ' ' : '-') + lines.at(i);
    }
    return out;
}

ReplyParser::ReplyParser(qsizetype maxLineLength, int maxLines)
    : m_buffer(maxLineLength)
    , m_maxLines(maxLines)
{
}

void ReplyParser::feed(QByteArrayView bytes)
{
    if (m_error == Error::None)
        m_buffer.feed(bytes);
}

std::optional<Reply> ReplyParser::next()
{
    while (m_error == Error::None) {
        std::optional<QByteArray> line = m_buffer.takeLine();
        if (!line) {
            if (m_buffer.hasOverflowed())
                m_error = Error::LineTooLong;
            return std::nullopt;
        }
        // Reply-line, RFC 5321 §4.2: Reply-code [ SP / "-" textstring ] CRLF.
        if (line->size() < 3 || !isDigit(line->at(0)) || !isDigit(line->at(1)) || !isDigit(line->at(2))
            || line->at(0) < '2' || line->at(0) > '5'
            || (line->size() > 3 && line->at(3) != ' ' && line->at(3) != '-')) {
            m_error = Error::Malformed;
            return std::nullopt;
        }
        const int code = line->left(3).toInt();
        // §4.2.1: every line of a multiline reply carries the same code.
        if (!m_partial.lines.isEmpty() && code != m_partial.code) {
            m_error = Error::Malformed;
            return std::nullopt;
        }
        if (m_partial.lines.size() >= m_maxLines) {
            m_error = Error::TooManyLines;
            return std::nullopt;
        }
        m_partial.code = code;
        m_partial.lines.append(line->size() > 4 ? line->mid(4) : QByteArray());
        if (line->size() > 3 && line->at(3) == '-')
            continue;
        Reply reply = std::move(m_partial);
        m_partial = Reply();
        reply.enhanced = parseEnhanced(reply.lines.constFirst(), reply.code);
        return reply;
    }
    return std::nullopt;
}

void ReplyParser::clear()
{
    m_buffer.clear();
    m_partial = Reply();
}

} // namespace tern::smtp
