// SPDX-License-Identifier: GPL-3.0-or-later
#include "structuredump.h"

#include "mime/address.h"
#include "mime/bodymodel.h"

using namespace tern::mime;

static void dumpPart(const Message &m, int index, int depth, QString &out)
{
    const Part &p = m.part(index);
    out += QString(depth * 2, QLatin1Char(' '));
    out += QString::fromLatin1(p.contentType.type + '/' + p.contentType.subtype);
    if (p.opaque)
        out += QLatin1StringView(" opaque");
    if (p.missingCloseBoundary)
        out += QLatin1StringView(" unclosed");
    if (p.children.empty())
        out += QLatin1StringView(" size=") + QString::number(m.decodedBody(index).size());
    out += QLatin1Char('\n');
    for (int child : p.children)
        dumpPart(m, child, depth + 1, out);
}

QString dumpStructure(const Message &message)
{
    QString out;
    dumpPart(message, 0, 0, out);
    return out;
}

QString dumpSafeView(const Message &message)
{
    QString out;
    for (const Mailbox &m : parseAddressList(message.header(0, "from")))
        out += QLatin1StringView("from: ") + (m.suspiciousName ? QLatin1StringView("! ") : QLatin1StringView()) + m.displayString()
            + QLatin1Char('\n');
    const BodyModel body(message);
    for (const Attachment &a : body.attachments())
        out += QLatin1StringView("attachment: ") + a.fileName + QLatin1Char('\n');
    return out;
}
