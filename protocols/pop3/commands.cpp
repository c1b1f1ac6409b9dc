// SPDX-License-Identifier: GPL-3.0-or-later
#include "pop3/commands.h"

#include "common/trace.h"

namespace tern::pop3 {

namespace {

Command line(QByteArray text, ResponseKind kind = ResponseKind::SingleLine)
{
    Command c;
    c.trace = text;
    c.bytes = std::move(text) + "\r\n";
    c.kind = kind;
    return c;
}

QByteArray withNumber(const char *verb, int n)
{
    return QByteArray(verb) + ' ' + QByteArray::number(n);
}

} // namespace

namespace command {

Command capa() { return line("CAPA", ResponseKind::MultiLine); }
Command stls() { return line("STLS"); }
Command user(const QByteArray &name) { return line("USER " + name); }

Command pass(const QByteArray &password)
{
    return Command{"PASS " + password + "\r\n", "PASS " + protocols::Trace::redacted(), ResponseKind::SingleLine};
}

Command apop(const QByteArray &name, const QByteArray &hexDigest)
{
    return Command{"APOP " + name + ' ' + hexDigest + "\r\n", "APOP " + name + ' ' + protocols::Trace::redacted(),
                   ResponseKind::SingleLine};
}

Command auth(const QByteArray &mechanism, const std::optional<QByteArray> &initialResponse)
{
    Command c;
    c.kind = ResponseKind::Sasl;
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
    return Command{response.toBase64() + "\r\n", protocols::Trace::redacted(), ResponseKind::Sasl};
}

Command authCancel() { return line("*", ResponseKind::Sasl); }
Command stat() { return line("STAT"); }
Command list(int message) { return message ? line(withNumber("LIST", message)) : line("LIST", ResponseKind::MultiLine); }
Command uidl(int message) { return message ? line(withNumber("UIDL", message)) : line("UIDL", ResponseKind::MultiLine); }
Command retr(int message) { return line(withNumber("RETR", message), ResponseKind::MultiLine); }
Command top(int message, int lines) { return line(withNumber("TOP", message) + ' ' + QByteArray::number(lines), ResponseKind::MultiLine); }
Command dele(int message) { return line(withNumber("DELE", message)); }
Command rset() { return line("RSET"); }
Command noop() { return line("NOOP"); }
Command quit() { return line("QUIT"); }

} // namespace command

QByteArray apopTimestamp(const QByteArray &greetingText)
{
    const qsizetype open = greetingText.indexOf('<');
    const qsizetype close = open < 0 ? -1 : greetingText.indexOf('>', open);
    if (close < 0)
        return {};
    const QByteArray stamp = greetingText.mid(open, close - open + 1);
    // msg-id shape: must contain "@" and no spaces or controls (an attacker's text is not a timestamp).
    if (!stamp.contains('@'))
        return {};
    for (char c : stamp) {
        if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f)
            return {};
    }
    return stamp;
}

} // namespace tern::pop3
