// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace tern::imap {

// Reads the tokens of one framed response (RFC 3501 §4, §9) in place: the response's bytes, literals
// included, are contiguous in the parser's buffer, so nothing is copied until a value is kept.
// Errors are sticky: after the first one every read returns an empty value and failed() is true, so the
// response parsers read straight through and check once.
class Cursor
{
public:
    static constexpr int MaxDepth = 64; // nesting bound for lists and body structures (SECURITY.md P3/P4)

    explicit Cursor(QByteArrayView bytes) : m_data(bytes) { }

    bool failed() const { return m_failed; }
    bool nestingTooDeep() const { return m_tooDeep; }
    qsizetype position() const { return m_pos; }
    void fail() { m_failed = true; }

    char peek() const { return m_pos < m_data.size() ? m_data[m_pos] : '\0'; }
    bool atEnd() const; // only CRLF (or LF) left
    bool consume(char c);     // takes c if next, no error otherwise
    void expect(char c);      // takes c or fails
    void space();             // one SP, or fails (tolerates extra spaces some servers send)
    bool optionalSpace();
    bool consumeNil();        // "NIL" followed by a delimiter

    QByteArrayView atom();                // 1*ATOM-CHAR, also "\Flag" and "\*"; fails if empty
    QByteArrayView restOfLine();          // text up to CRLF
    QByteArrayView until(char stop);      // bytes up to (not including) stop on this line; fails if absent
    quint32 number();                     // number (RFC 3501 §9), fails above 2^32-1
    quint64 number64();                   // mod-sequence-value (RFC 7162)
    qint64 numberOrNil();                 // lenient: -1 for NIL (some servers send NIL sizes)

    QByteArray string();                  // quoted / literal / literal8
    QByteArray nstring();                 // string or NIL (null QByteArray)
    QByteArray astring();                 // atom or string
    QByteArray nstringOrAtom();           // lenient nstring: also takes a bare atom
    QByteArray nstringUpper();            // nstringOrAtom, upper-cased (MIME types, parameter names)
    QList<QByteArray> atomList();         // "(" [atom *(SP atom)] ")", e.g. flags
    QList<QByteArray> stringList();       // "(" string *(SP string) ")"

    void skipValue(int depth = 0);        // any value: atom, number, string, literal, NIL, list
    bool enter(int depth);                // depth check before a nested "("
    QByteArrayView since(qsizetype position) const { return m_data.sliced(position, m_pos - position); }
    bool consumeSame(QByteArrayView text); // takes `text` if the next bytes are exactly it

    static QByteArray upper(QByteArrayView v);
    static bool equals(QByteArrayView a, QByteArrayView upperCase); // ASCII case-insensitive

private:
    QByteArrayView quotedView(bool &escaped);
    bool peekLiteral8() const { return m_pos + 1 < m_data.size() && m_data[m_pos + 1] == '{'; }
    QByteArray literal();

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    bool m_failed = false;
    bool m_tooDeep = false;
};

} // namespace tern::imap
