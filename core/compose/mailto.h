// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace tern::compose {

// What a mailto: link may put into a new message (RFC 6068). Only these fields are taken: a link never
// attaches files ("attach=", "attachment=": Müller et al., "Mailto: Me Your Secrets", NDSS 2020), never sets
// From/Reply-To or arbitrary headers, and never sends by itself.
struct MailtoDraft
{
    QStringList to;
    QStringList cc;
    QStringList bcc;
    QString subject;
    QString body;
    QString inReplyTo;
    QStringList ignoredFields; // lower-cased names of hfields that were dropped, for the UI to mention
};

// Parses "mailto:..."; nothing for text that is not a mailto URL. Percent-decoding is UTF-8; CR, LF and other
// control characters in single-line fields become spaces (a link cannot inject a header line), while the
// body keeps its line breaks.
std::optional<MailtoDraft> parseMailto(const QString &url);

} // namespace tern::compose
