// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace tern::imap {

// What the server lets us use when encoding arguments.
struct EncodeOptions
{
    bool literalPlus = false;   // RFC 7888 LITERAL+: {n+} never waits for "+"
    bool literalMinus = false;  // RFC 7888 LITERAL-: {n+} up to 4096 bytes
    bool utf8Accepted = false;  // RFC 6855 ENABLE UTF8=ACCEPT: UTF-8 in quoted strings and mailbox names
};

// One client command, built without its tag; the session tags it when it is sent. Its bytes come in
// parts: after each part but the last (which ends in a synchronizing "{n}" literal announcement) the
// client waits for the server's "+" (RFC 3501 §7.5) before sending the next.
struct Command
{
    QByteArray name;            // "SELECT", "UID FETCH", ...
    QList<QByteArray> parts;    // wire bytes without the tag; the last part ends with CRLF
    QByteArray trace;           // one-line redacted text for the protocol inspector ("LOGIN joe ***")
    bool valid = true;          // false if an argument could not be encoded (e.g. a NUL byte)

    // The parts with "tag SP" in front, ready for the wire.
    QList<QByteArray> tagged(QByteArrayView tag) const;
    QByteArray taggedTrace(QByteArrayView tag) const;
};

// Writes one command's arguments, choosing atom, quoted string or literal for each so no argument can
// end the line or the string early (no CRLF or quote injection from folder names or search text).
class CommandWriter
{
public:
    CommandWriter(QByteArrayView name, EncodeOptions options);

    CommandWriter &raw(QByteArrayView syntax);      // trusted protocol syntax (keywords, numbers, sets)
    CommandWriter &sp() { return raw(" "); }
    CommandWriter &number(quint64 n);
    CommandWriter &astring(QByteArrayView value);   // atom when safe, else quoted, else literal
    CommandWriter &string(QByteArrayView value);    // quoted or literal, never an atom
    CommandWriter &secret(QByteArrayView value);    // astring shown as *** in the trace
    CommandWriter &message(QByteArrayView bytes);   // always a literal (APPEND); the trace shows its size
    CommandWriter &checkedSyntax(QByteArrayView s); // caller-supplied syntax (fetch items, flags): refuses
                                                    // anything that could break out of the command
    Command finish();

    static bool isAtom(QByteArrayView value);

private:
    void literal(QByteArrayView value, QByteArrayView traceText);

    Command m_cmd;
    QByteArray m_part;
    EncodeOptions m_options;
};

} // namespace tern::imap
