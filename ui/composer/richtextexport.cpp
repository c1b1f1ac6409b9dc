// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/richtextexport.h"

#include <QFont>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextList>
#include <QUrl>

#include <algorithm>
#include <vector>

namespace tern::ui {

namespace {

// One run of text with the formatting the composer knows; everything else of its QTextCharFormat is dropped.
struct Segment
{
    QString text;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    QString href; // empty, or a link the message may carry
};

// Only links a reader can follow without the message reaching out by itself: no javascript:, data:, file:
// or cid: (SECURITY.md H2). The URL goes out fully encoded, so it cannot end the attribute it sits in.
QString safeHref(const QString &href)
{
    const QUrl url(href.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("https")
                           && scheme != QLatin1StringView("mailto")))
        return {};
    return QString::fromLatin1(url.toEncoded());
}

std::vector<Segment> segments(const QTextBlock &block)
{
    std::vector<Segment> out;
    for (auto it = block.begin(); !it.atEnd(); ++it) {
        const QTextFragment fragment = it.fragment();
        if (!fragment.isValid())
            continue;
        const QTextCharFormat format = fragment.charFormat();
        Segment s;
        s.text = fragment.text().remove(QChar::ObjectReplacementCharacter); // images and other objects
        if (s.text.isEmpty())
            continue;
        s.bold = format.fontWeight() >= QFont::DemiBold;
        s.italic = format.fontItalic();
        s.href = format.isAnchor() ? safeHref(format.anchorHref()) : QString();
        s.underline = format.fontUnderline() && s.href.isEmpty(); // a link is underlined by the reader anyway
        out.push_back(std::move(s));
    }
    // A line break that ends a block shows nothing (HTML's <div>a<br></div> is one line): drop it, so that a
    // document read back from our own HTML has the lines it was written with.
    if (!out.empty() && out.back().text.endsWith(QChar::LineSeparator)) {
        out.back().text.chop(1);
        if (out.back().text.isEmpty())
            out.pop_back();
    }
    return out;
}

QString escaped(const QString &text)
{
    QString html = text.toHtmlEscaped();
    html.replace(QChar::LineSeparator, QLatin1StringView("<br>"));
    return html;
}

QString plainOf(const QString &text)
{
    QString plain = text;
    plain.replace(QChar::LineSeparator, QLatin1Char('\n'));
    plain.replace(QChar::Nbsp, QLatin1Char(' '));
    return plain;
}

// A link reads as "text <url>" in plain text; a link whose text is its address reads as the address once.
QString plainLink(const QString &text, const QString &href)
{
    const QString address = QUrl::fromPercentEncoding(href.toLatin1());
    const bool mailto = address.startsWith(QLatin1StringView("mailto:"));
    if (text.isEmpty() || text == address || (mailto && address.mid(7) == text))
        return mailto ? address.mid(7) : address;
    return text + QLatin1StringView(" <") + address + QLatin1Char('>');
}

void writeBlock(const std::vector<Segment> &runs, QString *html, QString *plain, bool *formatted)
{
    QString link, linkText;
    auto closeLink = [&] {
        if (link.isEmpty())
            return;
        *html += QLatin1StringView("</a>");
        *plain += plainLink(plainOf(linkText), link);
        link.clear();
        linkText.clear();
    };
    for (const Segment &s : runs) {
        if (s.href != link) {
            closeLink();
            if (!s.href.isEmpty())
                *html += QLatin1StringView("<a href=\"") + s.href.toHtmlEscaped() + QLatin1StringView("\">");
            link = s.href;
        }
        QString piece = escaped(s.text);
        if (s.underline)
            piece = QLatin1StringView("<u>") + piece + QLatin1StringView("</u>");
        if (s.italic)
            piece = QLatin1StringView("<i>") + piece + QLatin1StringView("</i>");
        if (s.bold)
            piece = QLatin1StringView("<b>") + piece + QLatin1StringView("</b>");
        *html += piece;
        if (link.isEmpty())
            *plain += plainOf(s.text);
        else
            linkText += s.text;
        *formatted = *formatted || s.bold || s.italic || s.underline || !s.href.isEmpty();
    }
    closeLink();
}

bool numbered(const QTextList *list)
{
    const QTextListFormat::Style style = list->format().style();
    return style != QTextListFormat::ListDisc && style != QTextListFormat::ListCircle
        && style != QTextListFormat::ListSquare;
}

} // namespace

RichText exportRichText(const QTextDocument &document)
{
    RichText out;
    out.html = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    std::vector<const QTextList *> open; // nested lists, innermost last
    auto closeList = [&] {
        out.html += numbered(open.back()) ? QLatin1StringView("</ol>\n") : QLatin1StringView("</ul>\n");
        open.pop_back();
    };
    bool first = true;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (!first)
            out.plain += QLatin1Char('\n');
        first = false;
        const QTextList *list = block.textList();
        const int indent = list ? std::max(1, list->format().indent()) : 0;
        while (!open.empty() && open.back() != list && (!list || open.back()->format().indent() >= indent))
            closeList();
        if (list && (open.empty() || open.back() != list)) {
            open.push_back(list);
            out.html += numbered(list) ? QLatin1StringView("<ol>\n") : QLatin1StringView("<ul>\n");
            out.formatted = true;
        }
        const std::vector<Segment> runs = segments(block);
        if (list) {
            out.plain += QString(2 * (indent - 1), QLatin1Char(' '));
            out.plain += numbered(list) ? QStringLiteral("%1. ").arg(list->itemNumber(block) + 1) : QStringLiteral("- ");
            out.html += QLatin1StringView("<li>");
        } else {
            out.html += QLatin1StringView("<div>");
        }
        writeBlock(runs, &out.html, &out.plain, &out.formatted);
        if (runs.empty())
            out.html += QLatin1StringView("<br>"); // an empty line keeps its height
        out.html += list ? QLatin1StringView("</li>\n") : QLatin1StringView("</div>\n");
    }
    while (!open.empty())
        closeList();
    // No white space after the last block: Qt's parser gives it to that block's text.
    if (out.html.endsWith(QLatin1Char('\n')))
        out.html.chop(1);
    out.html += QLatin1StringView("</body></html>");
    return out;
}

bool isSendableLink(const QString &href)
{
    return !safeHref(href).isEmpty();
}

QString sanitizeRichHtml(const QString &html)
{
    QTextDocument document;
    // Qt's parser gives white space after </html> (a MIME part's last line end) to the last block's text.
    document.setHtml(html.trimmed());
    return exportRichText(document).html;
}

} // namespace tern::ui
