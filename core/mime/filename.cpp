// SPDX-License-Identifier: GPL-3.0-or-later
// Attachment file names that cannot escape the chosen folder or disguise themselves (SECURITY.md D3).
#include "bodymodel.h"

#include <QStringList>

namespace tern::mime {

namespace {

bool isDropped(char32_t u)
{
    return u < 0x20 || (u >= 0x7f && u < 0xa0)                 // C0, DEL, C1
        || (u >= 0x200B && u <= 0x200F) || (u >= 0x202A && u <= 0x202E) // zero-width, bidi embeddings/overrides
        || (u >= 0x2066 && u <= 0x2069) || u == 0x061C || u == 0xFEFF || u == 0x2028 || u == 0x2029
        || (u >= 0xFFF9 && u <= 0xFFFB) || u == 0xFFFE || u == 0xFFFF;
}

bool isForbidden(char32_t u)
{
    return u == '<' || u == '>' || u == ':' || u == '"' || u == '|' || u == '?' || u == '*' || u == '/' || u == '\\';
}

bool isReservedDeviceName(const QString &name)
{
    // Windows reserves these with any extension ("con.txt" too) and with trailing spaces.
    const QString base = name.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    static const QStringList fixed = {QStringLiteral("CON"), QStringLiteral("PRN"), QStringLiteral("AUX"),
                                      QStringLiteral("NUL"), QStringLiteral("CONIN$"), QStringLiteral("CONOUT$")};
    if (fixed.contains(base))
        return true;
    return base.size() == 4 && (base.startsWith(QLatin1StringView("COM")) || base.startsWith(QLatin1StringView("LPT")))
        && ((base[3] >= QLatin1Char('0') && base[3] <= QLatin1Char('9')) || base[3] == QChar(0xB9)
            || base[3] == QChar(0xB2) || base[3] == QChar(0xB3));
}

QString extensionFor(QByteArrayView mimeType)
{
    struct Pair { const char *type; const char *ext; };
    static const Pair table[] = {{"text/plain", ".txt"},  {"text/html", ".html"},  {"application/pdf", ".pdf"},
                                 {"image/png", ".png"},   {"image/jpeg", ".jpg"},  {"image/gif", ".gif"},
                                 {"message/rfc822", ".eml"}, {"text/calendar", ".ics"}};
    for (const Pair &p : table) {
        if (mimeType == p.type)
            return QString::fromLatin1(p.ext);
    }
    return QStringLiteral(".bin");
}

} // namespace

QString withoutInvisible(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (QChar c : text) {
        if (!isDropped(c.unicode()))
            out += c;
    }
    return out;
}

QString safeFileName(const QString &declared, QByteArrayView mimeType)
{
    // Only the last path component, whichever separator the sender's system used.
    QString name = declared;
    const qsizetype slash = std::max(name.lastIndexOf(QLatin1Char('/')), name.lastIndexOf(QLatin1Char('\\')));
    if (slash >= 0)
        name = name.mid(slash + 1);
    QString clean;
    clean.reserve(name.size());
    for (qsizetype i = 0; i < name.size(); ++i) {
        char32_t u = name[i].unicode();
        if (name[i].isHighSurrogate() && i + 1 < name.size() && name[i + 1].isLowSurrogate()) {
            clean += name[i];
            clean += name[++i];
            continue;
        }
        if (name[i].isSurrogate() || isDropped(u))
            continue;
        clean += isForbidden(u) ? QLatin1Char('_') : name[i];
    }
    // No hidden files, no "..", no names Windows silently rewrites.
    qsizetype lead = 0;
    while (lead < clean.size() && (clean[lead] == QLatin1Char('.') || clean[lead] == QLatin1Char(' ')))
        ++lead;
    clean.remove(0, lead); // once: removing one at a time is quadratic in a name of 100,000 dots
    while (clean.endsWith(QLatin1Char('.')) || clean.endsWith(QLatin1Char(' ')))
        clean.chop(1);
    if (clean.isEmpty())
        clean = QStringLiteral("attachment") + extensionFor(mimeType);
    if (isReservedDeviceName(clean))
        clean.prepend(QLatin1Char('_'));
    if (clean.size() > kMaxFileNameLength) {
        const qsizetype dot = clean.lastIndexOf(QLatin1Char('.'));
        const QString ext = dot > 0 && clean.size() - dot <= 16 ? clean.mid(dot) : QString();
        qsizetype keep = kMaxFileNameLength - ext.size();
        if (clean[keep - 1].isHighSurrogate())
            --keep;
        clean = clean.left(keep) + ext;
    }
    return clean;
}

} // namespace tern::mime
