// SPDX-License-Identifier: GPL-3.0-or-later
#include "pop3/response.h"

namespace tern::pop3 {

QList<QByteArray> Response::bodyLines() const
{
    QList<QByteArray> lines;
    qsizetype from = 0;
    while (from < body.size()) {
        const qsizetype end = body.indexOf("\r\n", from);
        if (end < 0) {
            lines.append(body.mid(from));
            break;
        }
        lines.append(body.mid(from, end - from));
        from = end + 2;
    }
    return lines;
}

ResponseParser::ResponseParser(qsizetype maxLineLength, qsizetype maxBodySize)
    : m_buffer(qMax(maxLineLength, maxBodySize))
    , m_maxStatusLine(maxLineLength)
    , m_maxBody(maxBodySize)
{
}

void ResponseParser::feed(QByteArrayView bytes)
{
    if (m_error == Error::None)
        m_buffer.feed(bytes);
}

void ResponseParser::clear()
{
    m_buffer.clear();
    m_partial.reset();
}

std::optional<Response> ResponseParser::next()
{
    while (m_error == Error::None) {
        std::optional<QByteArray> line = m_buffer.takeLine();
        if (!line) {
            if (m_buffer.hasOverflowed())
                m_error = m_partial ? Error::BodyTooLarge : Error::LineTooLong;
            else if (!m_partial && m_buffer.bufferedSize() > m_maxStatusLine)
                m_error = Error::LineTooLong; // a status line still growing past its bound
            return std::nullopt;
        }
        if (m_partial) {
            // Body line, RFC 1939 §3: "." alone ends it; a leading "." is removed (byte-stuffing).
            if (*line == ".") {
                Response done = std::move(*m_partial);
                m_partial.reset();
                return done;
            }
            const QByteArrayView content = line->startsWith('.') ? QByteArrayView(*line).sliced(1) : QByteArrayView(*line);
            if (m_partial->body.size() + content.size() + 2 > m_maxBody) {
                m_error = Error::BodyTooLarge;
                return std::nullopt;
            }
            m_partial->body.append(content);
            m_partial->body.append("\r\n");
            continue;
        }
        if (line->size() > m_maxStatusLine) {
            m_error = Error::LineTooLong;
            return std::nullopt;
        }
        if (m_expected.empty()) {
            m_error = Error::Unexpected; // a response nobody asked for
            return std::nullopt;
        }
        const ResponseKind kind = m_expected.front();
        Response r;
        if (line->startsWith("+OK") && (line->size() == 3 || line->at(3) == ' ')) {
            r.status = Response::Status::Ok;
            r.text = line->mid(4);
        } else if (line->startsWith("-ERR") && (line->size() == 4 || line->at(4) == ' ')) {
            r.status = Response::Status::Err;
            r.text = line->mid(5);
        } else if (kind == ResponseKind::Sasl && (*line == "+" || line->startsWith("+ "))) {
            r.status = Response::Status::Continuation;
            r.text = line->mid(2);
        } else {
            m_error = Error::Malformed;
            return std::nullopt;
        }
        if (r.text.startsWith('[')) {
            const qsizetype close = r.text.indexOf(']');
            if (close > 1)
                r.code = r.text.mid(1, close - 1);
        }
        if (r.status != Response::Status::Continuation)
            m_expected.pop_front();
        if (kind == ResponseKind::MultiLine && r.isOk()) {
            m_partial = std::move(r);
            continue;
        }
        return r;
    }
    return std::nullopt;
}

} // namespace tern::pop3
