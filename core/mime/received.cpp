// SPDX-License-Identifier: GPL-3.0-or-later
#include "received.h"

#include "charset.h"

namespace tern::mime {

namespace {

// Words and parenthesised comments of a structured field, in order.
struct Word
{
    QByteArray text;
    bool comment = false;
};

std::vector<Word> words(QByteArrayView s)
{
    std::vector<Word> out;
    qsizetype i = 0;
    while (i < s.size() && out.size() < 512) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            ++i;
        } else if (c == '(') {
            QByteArray text;
            int depth = 0;
            for (; i < s.size(); ++i) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    text += s[++i];
                    continue;
                }
                if (s[i] == '(' && depth++ == 0)
                    continue;
                if (s[i] == ')' && --depth == 0) {
                    ++i;
                    break;
                }
                text += s[i];
            }
            out.push_back(Word{text.trimmed(), true});
        } else {
            const qsizetype start = i;
            while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '(')
                ++i;
            out.push_back(Word{s.mid(start, i - start).toByteArray(), false});
        }
    }
    return out;
}

QString text(const QByteArray &b)
{
    return decodeUndeclared(b);
}

// TLS named in a comment: Postfix "(using TLSv1.3 with cipher ...)", Google/Exim "(version=TLS1_3 cipher=...)".
QString tlsIn(const QByteArray &comment)
{
    for (const char *marker : {"using TLS", "version=TLS", "TLS1", "TLSv1"}) {
        const qsizetype at = comment.indexOf(marker);
        if (at >= 0)
            return text(comment.mid(comment.startsWith("using ") ? 6 : at)).simplified();
    }
    return {};
}

} // namespace

Hop parseReceived(QByteArrayView value)
{
    Hop hop;
    const qsizetype semicolon = value.lastIndexOf(';');
    if (semicolon >= 0)
        hop.timestamp = parseDateTime(value.mid(semicolon + 1));
    const std::vector<Word> ws = words(semicolon >= 0 ? value.first(semicolon) : value);
    QString *lastDetails = nullptr;
    for (size_t i = 0; i < ws.size(); ++i) {
        const Word &w = ws[i];
        if (w.comment) {
            if (const QString tls = tlsIn(w.text); !tls.isEmpty()) {
                hop.tls = true;
                hop.tlsDetails = tls;
            } else if (lastDetails && lastDetails->isEmpty()) {
                *lastDetails = text(w.text).simplified();
            }
            continue;
        }
        const QByteArray key = w.text.toLower();
        QString *slot = nullptr;
        lastDetails = nullptr;
        if (key == "from") {
            slot = &hop.from;
            lastDetails = &hop.fromDetails;
        } else if (key == "by") {
            slot = &hop.by;
        } else if (key == "with") {
            slot = &hop.with;
        } else if (key == "id") {
            slot = &hop.id;
        } else if (key == "for") {
            slot = &hop.forAddress;
        }
        if (slot) {
            if (i + 1 < ws.size() && !ws[i + 1].comment) {
                *slot = text(ws[++i].text);
            }
        }
    }
    if (hop.forAddress.startsWith(QLatin1Char('<')) && hop.forAddress.endsWith(QLatin1Char('>')))
        hop.forAddress = hop.forAddress.mid(1, hop.forAddress.size() - 2);
    // RFC 3848: the "S" in ESMTPS/ESMTPSA/LMTPS means the hop was protected by TLS.
    const QString with = hop.with.toUpper();
    if (with == QLatin1StringView("ESMTPS") || with == QLatin1StringView("ESMTPSA") || with == QLatin1StringView("LMTPS")
        || with == QLatin1StringView("UTF8SMTPS") || with == QLatin1StringView("UTF8SMTPSA") || with == QLatin1StringView("HTTPS"))
        hop.tls = true;
    return hop;
}

std::vector<Hop> receivedChain(const Message &message, int part)
{
    std::vector<Hop> hops;
    auto fields = message.headers(part, "received");
    for (auto it = fields.rbegin(); it != fields.rend() && hops.size() < 100; ++it)
        hops.push_back(parseReceived(*it));
    for (size_t i = 1; i < hops.size(); ++i) {
        if (hops[i].timestamp.isValid() && hops[i - 1].timestamp.isValid())
            hops[i].delaySeconds = hops[i - 1].timestamp.secsTo(hops[i].timestamp);
    }
    if (!hops.empty() && hops[0].timestamp.isValid())
        hops[0].delaySeconds = 0;
    return hops;
}

QString AuthenticationResults::verdict(QStringView method) const
{
    for (const AuthResult &r : results) {
        if (r.method == method)
            return r.result;
    }
    return {};
}

AuthenticationResults parseAuthenticationResults(QByteArrayView value)
{
    AuthenticationResults out;
    // Comments carry no verdicts (RFC 8601 2.2); drop them, then split "authserv-id [version]; resinfo; ...".
    QByteArray plain;
    for (const Word &w : words(value)) {
        if (!w.comment)
            plain += w.text + ' ';
    }
    const QList<QByteArray> sections = plain.split(';');
    for (qsizetype s = 0; s < sections.size() && s < 64; ++s) {
        const QByteArray section = sections[s].trimmed();
        if (s == 0) {
            out.authservId = text(section.split(' ').value(0));
            continue;
        }
        AuthResult result;
        const QList<QByteArray> parts = section.split(' ');
        for (const QByteArray &p : parts) {
            const qsizetype eq = p.indexOf('=');
            if (eq <= 0)
                continue;
            const QString key = text(p.first(eq)).toLower();
            QString val = text(p.mid(eq + 1));
            if (val.size() >= 2 && val.startsWith(QLatin1Char('"')) && val.endsWith(QLatin1Char('"')))
                val = val.mid(1, val.size() - 2);
            if (result.method.isEmpty()) {
                result.method = key.section(QLatin1Char('/'), 0, 0); // "dkim/1" carries a version
                result.result = val.toLower();
            } else if (key == QLatin1StringView("reason")) {
                result.reason = val;
            } else {
                result.properties.emplace_back(key, val);
            }
        }
        if (!result.method.isEmpty() && result.method != QLatin1StringView("none"))
            out.results.push_back(std::move(result));
    }
    return out;
}

} // namespace tern::mime
