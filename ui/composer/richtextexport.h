// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QTextDocument;

namespace tern::ui {

// A rich composer document as the two parts of multipart/alternative (RFC 2046 5.1.4).
struct RichText
{
    QString plain;          // readable as plain text: list items as "- " or "1. ", links as "text <url>"
    QString html;           // a complete HTML document of the formatting below, nothing else
    bool formatted = false; // any bold, italic, underline, list or link: switching to plain text loses it
};

// Writes the document with only the formatting the composer's editor offers: paragraphs, line breaks, bold,
// italic, underline, bulleted and numbered lists, and links to http, https and mailto. Everything else a
// document can hold (fonts, colours, tables, images, other link schemes) is left out, so pasted HTML never
// carries scripts or remote resources into a sent message (SECURITY.md H1, H2).
RichText exportRichText(const QTextDocument &document);

// Whether a link may go out in a message: http, https or mailto, and a valid URL.
bool isSendableLink(const QString &href);

// HTML from outside (a paste, a saved draft) reduced to that same subset.
QString sanitizeRichHtml(const QString &html);

} // namespace tern::ui
