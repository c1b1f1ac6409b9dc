// SPDX-License-Identifier: GPL-3.0-or-later
#include "compose/mailto.h"

#include <QUrl>

namespace tern::compose {

namespace {

QString decode(QStringView encoded)
{
    // RFC 6068 §2: percent-encoded UTF-8; '+' is a literal plus, not a space (unlike form encoding).
    return QUrl::fromPercentEncoding(encoded.toUtf8());
}

QString singleLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text) {
        const bool control = c.unicode() < 0x20 || c.unicode() == 0x7f
                             || (c.unicode() >= 0x80 && c.unicode() < 0xa0);
        out += control ? QLatin1Char(' ') : c;
    }
    return out.simplified();
}

QStringList addresses(const QString &decoded)
{
    QStringList list;
    for (const QString &part : decoded.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString address = singleLine(part);
        if (!address.isEmpty())
            list << address;
    }
    return list;
}

QString normalisedBody(const QString &text)
{
    // Keep line breaks (as \n), drop other control characters.
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\r')) {
            out += QLatin1Char('\n');
            if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\t') || !(c.unicode() < 0x20 || c.unicode() == 0x7f)) {
            out += c;
        }
    }
    return out;
}

} // namespace

std::optional<MailtoDraft> parseMailto(const QString &url)
{
    if (!url.startsWith(QLatin1StringView("mailto:"), Qt::CaseInsensitive))
        return std::nullopt;
    const QStringView rest = QStringView(url).mid(7);
    const qsizetype question = rest.indexOf(QLatin1Char('?'));
    MailtoDraft draft;
    draft.to = addresses(decode(question < 0 ? rest : rest.left(question)));
    if (question < 0)
        return draft;
    for (QStringView field : rest.mid(question + 1).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        const qsizetype eq = field.indexOf(QLatin1Char('='));
        const QString name = decode(eq < 0 ? field : field.left(eq)).toLower();
        const QString value = eq < 0 ? QString() : decode(field.mid(eq + 1));
        if (name == QLatin1StringView("to"))
            draft.to += addresses(value);
        else if (name == QLatin1StringView("cc"))
            draft.cc += addresses(value);
        else if (name == QLatin1StringView("bcc"))
            draft.bcc += addresses(value);
        else if (name == QLatin1StringView("subject"))
            draft.subject = singleLine(value);
        else if (name == QLatin1StringView("body"))
            draft.body = normalisedBody(value);
        else if (name == QLatin1StringView("in-reply-to"))
            draft.inReplyTo = singleLine(value);
        else if (!draft.ignoredFields.contains(name))
            draft.ignoredFields << name;
    }
    return draft;
}

} // namespace tern::compose
