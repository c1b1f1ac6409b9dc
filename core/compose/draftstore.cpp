// SPDX-License-Identifier: GPL-3.0-or-later
#include "compose/draftstore.h"

#include "mime/bodymodel.h"
#include "mime/message.h"
#include "store/store.h"
#include "sync/rawsummary.h"

#include <QDateTime>
#include <QUuid>

#include <array>

namespace tern::compose {

namespace {

// Header fields never carry line breaks or other controls (SECURITY.md D5): a pasted newline becomes a space.
QString oneLine(const QString &text)
{
    QString out = text;
    for (QChar &c : out) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    return out;
}

// "<...>" of printable ASCII (RFC 5322 3.6.4); a draft read back with anything else gets a new one.
bool validMessageId(QByteArrayView id)
{
    if (id.size() < 3 || id.front() != '<' || id.back() != '>')
        return false;
    for (char c : id) {
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f)
            return false;
    }
    return true;
}

struct TextField
{
    const char *header;
    QString ComposerDraft::*member;
};

constexpr std::array<TextField, 5> kTextFields{{
    {"X-Tern-Draft-Account", &ComposerDraft::account},
    {"X-Tern-Draft-Identity-Name", &ComposerDraft::identityName},
    {"X-Tern-Draft-To", &ComposerDraft::to},
    {"X-Tern-Draft-Cc", &ComposerDraft::cc},
    {"X-Tern-Draft-Bcc", &ComposerDraft::bcc},
}};

} // namespace

QByteArray DraftStore::toMessage(const ComposerDraft &draft)
{
    mime::Draft d;
    d.from = mime::Mailbox{oneLine(draft.identityName), oneLine(draft.identityAddress), {}, false};
    if (!d.from.isValid())
        d.from = mime::Mailbox{{}, QStringLiteral("draft@tern.invalid"), {}, false};
    // compose() wants a recipient; Bcc is never written into the bytes, so the sender's own address there
    // satisfies it without showing up anywhere. The real recipients are the X-Tern-Draft-* fields.
    d.bcc.push_back(d.from);
    d.subject = oneLine(draft.subject);
    d.date = QDateTime::currentDateTime();
    d.inReplyTo = draft.inReplyTo;
    d.references = draft.references;
    d.text = draft.text;
    d.html = draft.html;
    if (validMessageId(draft.messageId))
        d.messageId = draft.messageId;
    d.attachments = draft.attachments;
    d.allow8bit = false;
    for (const TextField &f : kTextFields) {
        const QString value = oneLine(draft.*f.member);
        if (!value.isEmpty())
            d.extraHeaders.emplace_back(QByteArray(f.header), value);
    }
    d.extraHeaders.emplace_back(QByteArrayLiteral("X-Tern-Draft-Identity"), d.from.address);
    const mime::Composed composed = mime::compose(d);
    return composed.ok() ? composed.bytes : QByteArray();
}

std::optional<ComposerDraft> DraftStore::fromMessage(const QByteArray &raw)
{
    const mime::Message message(raw);
    if (message.header(0, "x-tern-draft-identity").isEmpty())
        return std::nullopt; // not one of ours
    ComposerDraft draft;
    for (const TextField &f : kTextFields)
        draft.*f.member = message.headerText(0, QByteArrayView(f.header).toByteArray().toLower());
    draft.identityAddress = QString::fromUtf8(message.header(0, "x-tern-draft-identity").trimmed());
    if (draft.identityAddress == QLatin1StringView("draft@tern.invalid"))
        draft.identityAddress.clear();
    draft.subject = message.headerText(0, "subject");
    draft.inReplyTo = message.header(0, "in-reply-to").trimmed();
    const QByteArray messageId = message.header(0, "message-id").trimmed();
    if (validMessageId(messageId))
        draft.messageId = messageId;
    for (const QByteArray &id : message.header(0, "references").simplified().split(' ')) {
        if (!id.isEmpty())
            draft.references.push_back(id);
    }
    const mime::BodyModel body(message);
    if (body.plainPart() >= 0) {
        draft.text = body.plainText();
        // The encoder ends the last line with CRLF (encodeFlowed): that line end is not the user's.
        if (draft.text.endsWith(QLatin1Char('\n')))
            draft.text.chop(1);
    }
    if (body.htmlPart() >= 0)
        draft.html = body.html();
    for (const mime::Attachment &a : body.attachments()) {
        mime::OutgoingAttachment out;
        out.fileName = a.declaredName.isEmpty() ? a.fileName : a.declaredName;
        out.mimeType = a.mimeType;
        out.data = body.content(a.part);
        draft.attachments.push_back(std::move(out));
    }
    return draft;
}

qint64 DraftStore::folderId()
{
    if (const auto existing = m_store.folder(kLocalAccount, kFolderPath))
        return existing->id;
    store::Folder drafts;
    drafts.account = kLocalAccount;
    drafts.path = kFolderPath;
    drafts.role = QStringLiteral("drafts");
    const qint64 id = m_store.saveFolder(drafts);
    if (id == 0)
        m_error = m_store.error();
    return id;
}

qint64 DraftStore::save(const ComposerDraft &draft, qint64 replaces)
{
    return saveMessage(toMessage(draft), replaces);
}

qint64 DraftStore::saveMessage(const QByteArray &raw, qint64 replaces)
{
    if (raw.isEmpty()) {
        m_error = QStringLiteral("the draft could not be composed");
        return 0;
    }
    const qint64 folder = folderId();
    if (folder == 0)
        return 0;
    store::MessageSummary summary = sync::summaryFromMessage(raw, QDateTime::currentSecsSinceEpoch());
    summary.flags = store::Seen | store::Draft;
    summary.uidl = QStringLiteral("draft:") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const qint64 id = m_store.insertDownloaded(folder, summary, raw);
    if (id == 0) {
        m_error = m_store.error();
        return 0;
    }
    if (replaces != 0)
        remove(replaces); // a leftover older version is harmless; the new one is committed
    return id;
}

std::optional<ComposerDraft> DraftStore::load(qint64 messageId)
{
    const auto raw = m_store.body(messageId);
    if (!raw) {
        m_error = QStringLiteral("the draft is not in the store");
        return std::nullopt;
    }
    auto draft = fromMessage(*raw);
    if (!draft)
        m_error = QStringLiteral("not a draft saved by Tern");
    return draft;
}

bool DraftStore::remove(qint64 messageId)
{
    const std::array<qint64, 1> ids{messageId};
    if (!m_store.removeMessages(ids)) {
        m_error = m_store.error();
        return false;
    }
    return true;
}

} // namespace tern::compose
