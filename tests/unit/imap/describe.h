// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Test support: renders a typed response as one line of text, so codec tables can state what each input
// must mean in a compact form written by hand from the RFCs. Also feeds a parser whole or byte by byte.
#include "imap/response.h"

#include <QByteArray>
#include <QList>

namespace tern::imap::test {

QByteArray describe(const Response &r);
QByteArray describe(const Envelope &e);
QByteArray describe(const BodyStructure &b);

// Feeds input in pieces of `step` bytes (0 = all at once) and returns every response's description.
QList<QByteArray> parseAll(QByteArrayView input, qsizetype step, bool utf8 = false);

} // namespace tern::imap::test
