// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/rawsummary.h"

#include "mime/bodymodel.h"
#include "mime/envelope.h"
#include "mime/message.h"

#include <QStringList>

namespace tern::sync {

namespace {

QString mailboxList(const std::vector<mime::Mailbox> &list)
{
    QStringList out;
    for (const mime::Mailbox &m : list)
        out.append(m.name.isEmpty() ? m.address : QStringLiteral("%1 <%2>").arg(m.name, m.address));
    return out.join(QStringLiteral(", "));
}

} // namespace

store::MessageSummary summaryFromMessage(const QByteArray &raw, qint64 now)
{
    const mime::Message message(raw);
    const mime::Envelope env = mime::envelope(message);
    const mime::BodyModel body(message);
    store::MessageSummary s;
    s.messageId = QString::fromLatin1(env.messageId);
    s.inReplyTo = QString::fromLatin1(env.inReplyTo);
    s.subject = env.subject;
    if (!env.from.empty()) {
        s.fromName = env.from.front().name;
        s.fromAddress = env.from.front().address;
    }
    s.to = mailboxList(env.to);
    s.cc = mailboxList(env.cc);
    s.internalDate = now;
    s.date = env.date.isValid() ? env.date.toSecsSinceEpoch() : now;
    s.size = raw.size();
    for (const mime::Attachment &a : body.attachments())
        s.hasAttachments = s.hasAttachments || !a.isInline;
    s.bodyText = body.plainText();
    s.preview = s.bodyText.simplified().left(200);
    return s;
}

} // namespace tern::sync
