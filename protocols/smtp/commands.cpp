// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/commands.h"

#include "common/trace.h"

namespace tern::smtp {

namespace {

Command plain(QByteArray line)
{
    Command c;
    c.trace = line;
    c.bytes = std::move(line) + "\r\n";
    return c;
}

} // namespace

bool isSafeAddress(QByteArrayView address)
{
    for (char c : address) {
        if (c == '\r' || c == '\n' || c == '\0' || c == '<' || c == '>' || c == ' ' || c == '\t')
            return false;
    }
    return true;
}

bool isSafeDomain(QByteArrayView domain)
{
    if (domain.isEmpty())
        return false;
    for (char c : domain) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                        || c == '-' || c == '[' || c == ']' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

QByteArray xtext(QByteArrayView value)
{
    QByteArray out;
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 33 || c > 126 || c == '+' || c == '=')
            out += '+' + QByteArray::number(c, 16).toUpper().rightJustified(2, '0');
        else
            out += ch;
    }
    return out;
}

QByteArray normalizeLineEndings(QByteArrayView message)
{
    QByteArray out;
    out.reserve(message.size() + message.size() / 32 + 2);
    for (qsizetype i = 0; i < message.size(); ++i) {
        const char c = message.at(i);
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < message.size() && message.at(i + 1) == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    // DATA cannot end a message without a line break before its terminator; BDAT adds one too, so both
    // paths deliver the same bytes and SIZE means the same number.
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        out += "\r\n";
    return out;
}

qsizetype normalizedSize(QByteArrayView message)
{
    qsizetype size = 0;
    for (qsizetype i = 0; i < message.size(); ++i) {
        const char c = message.at(i);
        if (c == '\r' || c == '\n') {
            size += 2;
            if (c == '\r' && i + 1 < message.size() && message.at(i + 1) == '\n')
                ++i;
        } else {
            ++size;
        }
    }
    if (size > 0 && !(message.endsWith('\n') || message.endsWith('\r')))
        size += 2;
    return size;
}

namespace command {

Command ehlo(const QByteArray &domain) { return plain("EHLO " + domain); }
Command helo(const QByteArray &domain) { return plain("HELO " + domain); }
Command startTls() { return plain("STARTTLS"); }

Command auth(const QByteArray &mechanism, const std::optional<QByteArray> &initialResponse)
{
    Command c;
    c.bytes = "AUTH " + mechanism;
    c.trace = c.bytes;
    if (initialResponse) {
        c.bytes += ' ' + (initialResponse->isEmpty() ? QByteArray("=") : initialResponse->toBase64());
        c.trace += ' ' + protocols::Trace::redacted();
    }
    c.bytes += "\r\n";
    return c;
}

Command authResponse(const QByteArray &response)
{
    return Command{response.toBase64() + "\r\n", protocols::Trace::redacted()};
}

Command authCancel() { return plain("*"); }

Command mailFrom(const QByteArray &address, const QList<QByteArray> &parameters)
{
    QByteArray line = "MAIL FROM:<" + address + '>';
    for (const QByteArray &p : parameters)
        line += ' ' + p;
    return plain(line);
}

Command rcptTo(const QByteArray &address, const QList<QByteArray> &parameters)
{
    QByteArray line = "RCPT TO:<" + address + '>';
    for (const QByteArray &p : parameters)
        line += ' ' + p;
    return plain(line);
}

Command data() { return plain("DATA"); }
Command rset() { return plain("RSET"); }
Command noop() { return plain("NOOP"); }
Command quit() { return plain("QUIT"); }

Command dataPayload(QByteArrayView message)
{
    Command c;
    QByteArray &out = c.bytes;
    out.reserve(message.size() + message.size() / 32 + 8);
    bool lineStart = true;
    for (qsizetype i = 0; i < message.size(); ++i) {
        const char ch = message.at(i);
        if (lineStart && ch == '.')
            out += '.';
        if (ch == '\r') {
            out += "\r\n";
            if (i + 1 < message.size() && message.at(i + 1) == '\n')
                ++i;
            lineStart = true;
        } else if (ch == '\n') {
            out += "\r\n";
            lineStart = true;
        } else {
            out += ch;
            lineStart = false;
        }
    }
    if (!lineStart)
        out += "\r\n";
    out += ".\r\n";
    c.trace = "<message, " + QByteArray::number(message.size()) + " bytes>";
    return c;
}

Command bdatLast(QByteArrayView message)
{
    const QByteArray body = normalizeLineEndings(message);
    Command c;
    c.trace = "BDAT " + QByteArray::number(body.size()) + " LAST";
    c.bytes.reserve(body.size() + 32);
    c.bytes = c.trace + "\r\n" + body;
    c.trace += " <message>";
    return c;
}

} // namespace command

} // namespace tern::smtp
