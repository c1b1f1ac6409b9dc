// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "composer.h"
#include "message.h"

#include <vector>

namespace tern::mime {

// Reply, reply-all and forward drafts from a received message (RFC 5322 3.6.4 for the threading fields).
// `me` lists the user's own addresses: reply-all never writes to them and never twice to anyone.
enum class ReplyMode { Sender, All };

Draft makeReply(const Message &original, const Mailbox &from, const std::vector<Mailbox> &me, ReplyMode mode);
Draft makeForwardInline(const Message &original, const Mailbox &from);
Draft makeForwardAsAttachment(const Message &original, const Mailbox &from);

// "Re: Re: AW: Fwd: x" -> "Re: x" (prefix "Re"), or "Fwd: x" (prefix "Fwd"): all stacked reply and forward
// prefixes in common languages are removed first, including counted forms "Re[2]:".
QString normaliseSubject(const QString &subject, QStringView prefix);

inline constexpr int kMaxReferences = 20;
// The References of a reply: the parent's References (or In-Reply-To) plus its Message-ID, trimmed to
// kMaxReferences ids by keeping the first (the thread root) and the most recent ones.
std::vector<QByteArray> replyReferences(const Message &original);

// "> " before every line (RFC 3676 quoting of plain text), after an attribution line.
QString quotePlain(const QString &text, const QString &attribution);
// The original HTML inside a <blockquote type="cite">, after an escaped attribution line.
QString quoteHtml(const QString &html, const QString &attribution);

} // namespace tern::mime
