// SPDX-License-Identifier: GPL-3.0-or-later
#include "flowed.h"

#include <QStringList>

namespace tern::mime {

QString decodeFlowed(const QString &text, bool delSp)
{
    QString out;
    out.reserve(text.size());
    QString paragraph;
    int paragraphDepth = -1;
    auto endParagraph = [&] {
        if (paragraphDepth < 0)
            return;
        if (paragraphDepth > 0)
            out += QString(paragraphDepth, QLatin1Char('>')) + QLatin1Char(' ');
        out += paragraph;
        out += QLatin1Char('\n');
        paragraph.clear();
        paragraphDepth = -1;
    };
    QStringView all(text);
    if (all.endsWith(QLatin1Char('\n')))
        all.chop(1);
    const auto lines = all.split(QLatin1Char('\n'));
    for (QStringView line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        int depth = 0;
        while (depth < line.size() && line[depth] == QLatin1Char('>'))
            ++depth;
        line = line.mid(depth);
        if (line.startsWith(QLatin1Char(' '))) // space-stuffing (RFC 3676 4.4)
            line = line.mid(1);
        // The signature separator "-- " is never flowed (RFC 3676 4.3).
        const bool soft = line.endsWith(QLatin1Char(' ')) && line != QLatin1StringView("-- ");
        if (paragraphDepth >= 0 && depth != paragraphDepth)
            endParagraph(); // a quote-depth change ends a paragraph even after a soft break (4.5)
        paragraphDepth = depth;
        paragraph += soft && delSp ? line.chopped(1) : line;
        if (!soft)
            endParagraph();
    }
    endParagraph();
    return out;
}

QString encodeFlowed(const QString &text, int width)
{
    QString out;
    out.reserve(text.size() + text.size() / 16);
    QString normalised = text;
    normalised.replace(QLatin1StringView("\r\n"), QLatin1StringView("\n"));
    const auto lines = QStringView(normalised).split(QLatin1Char('\n'));
    for (QStringView line : lines) {
        if (line != QLatin1StringView("-- ")) {
            while (line.endsWith(QLatin1Char(' ')))
                line.chop(1);
        }
        auto stuff = [](QStringView l) {
            return l.startsWith(QLatin1Char(' ')) || l.startsWith(QLatin1Char('>'))
                || l.startsWith(QLatin1StringView("From "));
        };
        // Break after a space at or before `width`; each piece but the last keeps its trailing space.
        while (line.size() > width) {
            qsizetype cut = line.lastIndexOf(QLatin1Char(' '), width - 1);
            if (cut <= 0)
                cut = line.indexOf(QLatin1Char(' '), width);
            // A piece that reads "-- " would turn into a signature separator, which is never flowed.
            while (cut > 0 && line.first(cut + 1) == QLatin1StringView("-- "))
                cut = line.indexOf(QLatin1Char(' '), cut + 1);
            if (cut <= 0)
                break;
            const QStringView piece = line.first(cut + 1);
            if (stuff(piece))
                out += QLatin1Char(' ');
            out += piece;
            out += QLatin1StringView("\r\n");
            line = line.mid(cut + 1);
        }
        if (stuff(line))
            out += QLatin1Char(' ');
        out += line;
        out += QLatin1StringView("\r\n");
    }
    return out;
}

} // namespace tern::mime
