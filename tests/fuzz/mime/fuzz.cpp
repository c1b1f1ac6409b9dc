// SPDX-License-Identifier: GPL-3.0-or-later
// Any bytes as a message: parse, walk the structure, decode every body and the usual headers. The parser must
// not crash, hang or read outside the buffer, and every range it reports must lie inside the buffer.
#include "mime/address.h"
#include "mime/bodymodel.h"
#include "mime/envelope.h"
#include "mime/message.h"
#include "mime/received.h"
#include "mime/reply.h"

#include <cstdint>
#include <cstdlib>

using namespace tern::mime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    Limits limits;
    limits.maxParts = 200;
    const Message m(raw, limits);
    for (const Mailbox &mb : parseAddressList(m.header(0, "from"))) {
        if (mb.displayString().contains(QLatin1Char('\n')) || mb.name.contains(QLatin1Char('<')))
            std::abort(); // a display name must never carry a line break or an angle bracket
    }
    for (size_t i = 0; i < m.parts().size(); ++i) {
        const Part &p = m.parts()[i];
        for (const Range &r : {p.header, p.body, p.preamble, p.epilogue}) {
            if (r.begin < 0 || r.end < r.begin || r.end > raw.size())
                std::abort();
        }
        (void)m.text(int(i));
        (void)m.headerText(int(i), "subject");
        (void)p.contentType.param("name");
    }
    (void)receivedChain(m);
    (void)envelope(m);
    (void)parseAuthenticationResults(m.header(0, "authentication-results"));
    (void)parseDateTime(m.header(0, "date"));
    const BodyModel body(m);
    (void)body.plainText();
    (void)body.html();
    for (const Attachment &a : body.attachments()) {
        if (a.fileName.isEmpty() || a.fileName.contains(QLatin1Char('/')) || a.fileName.contains(QLatin1Char('\\'))
            || a.fileName.startsWith(QLatin1Char('.')) || a.fileName.size() > kMaxFileNameLength)
            std::abort();
    }
    // A reply to anything composes to a message whose header holds exactly the fields the composer
    // writes: nothing in the original can smuggle a header line into it (SECURITY.md D5).
    Mailbox me;
    me.address = QStringLiteral("me@example.org");
    Draft reply = makeReply(m, me, {}, ReplyMode::All);
    reply.to.push_back(me);
    const Composed c = compose(reply);
    if (c.ok()) {
        const Message out(c.bytes);
        for (int i = out.root().firstField; i < out.root().firstField + out.root().fieldCount; ++i) {
            const QByteArray name = out.fieldName(out.fields()[size_t(i)]).toByteArray().toLower();
            static const QByteArrayList allowed = {"date", "from", "to", "cc", "subject", "message-id", "in-reply-to",
                                                   "references", "mime-version", "content-type", "content-transfer-encoding"};
            if (!allowed.contains(name))
                std::abort();
        }
    }
    return 0;
}
