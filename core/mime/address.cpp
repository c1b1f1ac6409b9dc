// SPDX-License-Identifier: GPL-3.0-or-later
#include "address.h"

#include "charset.h"
#include "encodedword.h"

#include <QUrl>

namespace tern::mime {

namespace {

enum class Kind { Atom, Quoted, Special, DomainLiteral };

struct Token
{
    Kind kind;
    QByteArray text; // atom text, unescaped quoted content, the special character, or "[literal]"
    bool spaceBefore = false;
};

constexpr bool isSpecial(char c)
{
    return c == '<' || c == '>' || c == ',' || c == ':' || c == ';' || c == '@' || c == '.';
}

// The end of an RFC 2047 word "=?cs?X?text?=" starting at i, or i: no whitespace inside, three '?'.
qsizetype encodedWordEnd(QByteArrayView s, qsizetype i)
{
    if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '?')
        return i;
    int marks = 0;
    for (qsizetype k = i + 2; k < s.size(); ++k) {
        const char c = s[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return i;
        if (c == '?') {
            if (marks == 2)
                return k + 1 < s.size() && s[k + 1] == '=' ? k + 2 : i;
            ++marks;
        }
    }
    return i;
}

// Tokens of an address header; comments are returned separately (an address-only mailbox takes its name
// from a comment, as in "jdoe@example.org (John Doe)").
std::vector<Token> tokenize(QByteArrayView s, std::vector<std::pair<size_t, QByteArray>> &comments)
{
    std::vector<Token> out;
    bool space = false;
    qsizetype i = 0;
    const qsizetype limit = 64 * kMaxAddresses; // tokens beyond this are not looked at
    while (i < s.size() && qsizetype(out.size()) < limit) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = true;
            ++i;
        } else if (c == '(') {
            QByteArray comment;
            int depth = 0;
            for (; i < s.size(); ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    comment += s[++i];
                    continue;
                }
                if (s[i] == '(' && depth++ == 0)
                    continue;
                if (s[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
                comment += s[i];
            }
            comments.emplace_back(out.size(), comment);
            space = true;
        } else if (c == '"') {
            QByteArray text;
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size())
                    ++i;
                text += s[i];
            }
            ++i;
            out.push_back(Token{Kind::Quoted, text, space});
            space = false;
        } else if (c == '[') {
            const qsizetype close = s.indexOf(']', i);
            const qsizetype end = close < 0 ? s.size() : close + 1;
            out.push_back(Token{Kind::DomainLiteral, s.mid(i, end - i).toByteArray(), space});
            i = end;
            space = false;
        } else if (isSpecial(c)) {
            out.push_back(Token{Kind::Special, QByteArray(1, c), space});
            ++i;
            space = false;
        } else if (const qsizetype w = encodedWordEnd(s, i); w > i) {
            // An encoded word is one atom even if its text holds specials (attackers put ':' and '@' there).
            out.push_back(Token{Kind::Atom, s.mid(i, w - i).toByteArray(), space});
            i = w;
            space = false;
        } else {
            const qsizetype start = i;
            while (i < s.size() && !isSpecial(s[i]) && s[i] != ' ' && s[i] != '\t' && s[i] != '"' && s[i] != '('
                   && s[i] != '\r' && s[i] != '\n' && s[i] != '[')
                ++i;
            out.push_back(Token{Kind::Atom, s.mid(start, i - start).toByteArray(), space});
            space = false;
        }
    }
    return out;
}

bool isSpecialToken(const Token &t, char c)
{
    return t.kind == Kind::Special && t.text.size() == 1 && t.text[0] == c;
}

// The words of a phrase as one string for RFC 2047 decoding; quoted strings and atoms alike (encoded words
// inside quotes are not allowed but are common).
QString phraseText(const std::vector<Token> &tokens, size_t from, size_t to)
{
    QByteArray raw;
    for (size_t i = from; i < to; ++i) {
        if (!raw.isEmpty() && tokens[i].spaceBefore)
            raw += ' ';
        raw += tokens[i].text;
    }
    return decodeHeaderText(raw);
}

bool localPartNeedsQuotes(const QByteArray &local)
{
    for (char c : local) {
        if (c == ' ' || c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';'
            || c == '<' || c == '>' || c == '@' || c == '[' || c == ']')
            return true;
    }
    return local.isEmpty();
}

QString domainForDisplay(const QByteArray &domain)
{
    if (domain.contains("xn--") || domain.contains("XN--")) {
        const QString unicode = QUrl::fromAce(domain);
        if (!unicode.isEmpty())
            return unicode;
    }
    return decodeUndeclared(domain);
}

// An addr-spec from tokens [from, to): local-part "@" domain, with obsolete spaces and routes ignored.
QString addrSpec(const std::vector<Token> &tokens, size_t from, size_t to)
{
    // Obsolete route "@a,@b:" before the address (RFC 5322 4.4): skip up to the last ':'.
    for (size_t i = from; i < to; ++i) {
        if (isSpecialToken(tokens[i], ':'))
            from = i + 1;
    }
    QByteArray local, domain;
    bool inDomain = false;
    for (size_t i = from; i < to; ++i) {
        const Token &t = tokens[i];
        if (!inDomain && isSpecialToken(t, '@')) {
            inDomain = true;
            continue;
        }
        if (t.kind == Kind::Special && !isSpecialToken(t, '.'))
            continue;
        (inDomain ? domain : local) += t.text;
    }
    if (localPartNeedsQuotes(local) && !local.isEmpty()) {
        QByteArray quoted("\"");
        for (char c : local) {
            if (c == '"' || c == '\\')
                quoted += '\\';
            quoted += c;
        }
        local = quoted + '"';
    }
    if (!inDomain)
        return decodeUndeclared(local);
    return decodeUndeclared(local) + QLatin1Char('@') + domainForDisplay(domain.toLower());
}

bool isBidiOrInvisible(char32_t u)
{
    return (u >= 0x200B && u <= 0x200F) || (u >= 0x202A && u <= 0x202E) || (u >= 0x2066 && u <= 0x2069)
        || u == 0x061C || u == 0xFEFF || u == 0x2028 || u == 0x2029;
}

// Printable ASCII without angle brackets and already simplified: nothing to replace, as nearly every name a
// sync lists is (this runs for each address of each message).
bool isPlainName(QStringView name, bool *hasAt)
{
    *hasAt = false;
    char16_t previous = u' ';
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u > 0x7e || u == '<' || u == '>' || (u == ' ' && previous == ' '))
            return false;
        *hasAt = *hasAt || u == '@';
        previous = u;
    }
    return previous != ' ' || name.isEmpty();
}

} // namespace

bool neutraliseDisplayName(QString &name)
{
    bool suspicious = false;
    if (isPlainName(name, &suspicious))
        return suspicious;
    QString out;
    out.reserve(name.size());
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u < 0xa0)) {
            suspicious = suspicious || u == 0 || u == '\r' || u == '\n';
            out += QLatin1Char(' ');
        } else if (isBidiOrInvisible(u)) {
            suspicious = true;
        } else if (u == '<') {
            suspicious = true;
            out += QChar(0x2039); // ‹ : reads the same, cannot be taken for an address delimiter
        } else if (u == '>') {
            suspicious = true;
            out += QChar(0x203A); // ›
        } else {
            if (u == '@')
                suspicious = true;
            out += c;
        }
    }
    name = out.simplified();
    return suspicious;
}

QString Mailbox::displayString() const
{
    if (name.isEmpty())
        return address;
    return name + QLatin1StringView(" <") + address + QLatin1Char('>');
}

QString Mailbox::aceAddress() const
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    if (at < 0)
        return address;
    const QByteArray ace = QUrl::toAce(address.mid(at + 1));
    return address.first(at + 1) + (ace.isEmpty() ? address.mid(at + 1) : QString::fromLatin1(ace));
}

std::vector<Mailbox> parseAddressList(QByteArrayView value)
{
    std::vector<std::pair<size_t, QByteArray>> comments;
    const std::vector<Token> tokens = tokenize(value, comments);
    std::vector<Mailbox> out;
    QString group;
    size_t start = 0; // first token of the current mailbox
    auto addMailbox = [&](QString name, QString address) {
        if (address.isEmpty() || qsizetype(out.size()) >= kMaxAddresses)
            return;
        Mailbox m;
        m.suspiciousName = neutraliseDisplayName(name);
        m.name = name;
        m.address = address;
        m.group = group;
        out.push_back(std::move(m));
    };
    size_t i = 0;
    while (i <= tokens.size()) {
        const bool atEnd = i == tokens.size();
        const Token *t = atEnd ? nullptr : &tokens[i];
        if (t && isSpecialToken(*t, '<')) {
            size_t close = i + 1;
            while (close < tokens.size() && !isSpecialToken(tokens[close], '>'))
                ++close;
            addMailbox(phraseText(tokens, start, i), addrSpec(tokens, i + 1, close));
            // Skip anything up to the next separator (tolerates a missing comma: "<a@b> <c@d>").
            i = close + 1;
            while (i < tokens.size() && !isSpecialToken(tokens[i], ',') && !isSpecialToken(tokens[i], ';')
                   && !isSpecialToken(tokens[i], '<'))
                ++i;
            if (i < tokens.size() && isSpecialToken(tokens[i], ','))
                ++i;
            start = i;
            continue;
        }
        if (t && isSpecialToken(*t, ':') && group.isEmpty()) {
            bool sawAt = false;
            for (size_t k = start; k < i; ++k)
                sawAt = sawAt || isSpecialToken(tokens[k], '@');
            if (!sawAt) { // a group name; "@route:" belongs to an address instead
                group = phraseText(tokens, start, i);
                neutraliseDisplayName(group);
                start = ++i;
                continue;
            }
        }
        if (atEnd || isSpecialToken(*t, ',') || isSpecialToken(*t, ';')) {
            if (i > start) {
                QString name;
                for (const auto &[at, text] : comments) {
                    if (at >= start && at <= i) {
                        name = decodeHeaderText(text);
                        break;
                    }
                }
                addMailbox(name, addrSpec(tokens, start, i));
            }
            if (t && isSpecialToken(*t, ';'))
                group.clear();
            start = ++i;
            continue;
        }
        ++i;
    }
    return out;
}

} // namespace tern::mime
