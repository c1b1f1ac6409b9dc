// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mime/composer.h"

#include <QString>

#include <optional>
#include <vector>

namespace tern::store {
class Store;
}

namespace tern::compose {

// What a composer holds, exactly as typed: recipient fields are kept as text (an address that does not
// parse yet is still the user's text and must survive), the identity by account and address.
struct ComposerDraft
{
    QString account;
    QString identityAddress;
    QString identityName;
    QString to, cc, bcc;
    QString subject;
    QString text;  // the plain text; in rich mode its plain rendering
    QString html;  // rich mode: the HTML of the text (sent as multipart/alternative); empty: plain text
    QByteArray messageId; // "<...>": the same for every version of one message's draft; empty: a new one
    QByteArray inReplyTo;
    std::vector<QByteArray> references;
    std::vector<mime::OutgoingAttachment> attachments;
};

// Drafts as ordinary messages in the store's local "Drafts" folder (account kLocalAccount, role "drafts"):
// an IMAP sync never touches that folder, so a server-side change cannot drop a draft. Each save is one
// durable transaction (the store runs synchronous=FULL); a newer version is inserted before the older one
// is removed, so a crash between the two leaves two versions, never none (SECURITY.md L5).
class DraftStore
{
public:
    static inline const QString kLocalAccount = QStringLiteral("Local Folders");
    static inline const QString kFolderPath = QStringLiteral("Drafts");

    explicit DraftStore(store::Store &store) : m_store(store) { }

    // Saves the draft as a new message, then removes `replaces` (a previous version) if non-zero. Returns the
    // new message id, 0 on failure (error() says why; the previous version is then kept).
    qint64 save(const ComposerDraft &draft, qint64 replaces = 0);
    // The same for a draft already made into bytes by toMessage() (the bytes also go to the server's Drafts).
    qint64 saveMessage(const QByteArray &raw, qint64 replaces = 0);
    std::optional<ComposerDraft> load(qint64 messageId);
    bool remove(qint64 messageId);
    // The Drafts folder's id, created when missing; 0 on failure.
    qint64 folderId();

    // The RFC 5322 bytes a draft is stored as (X-Tern-Draft-* fields carry the typed recipient text and the
    // Bcc, which a real message never shows), and back.
    static QByteArray toMessage(const ComposerDraft &draft);
    static std::optional<ComposerDraft> fromMessage(const QByteArray &raw);

    QString error() const { return m_error; }

private:
    store::Store &m_store;
    QString m_error;
};

} // namespace tern::compose
