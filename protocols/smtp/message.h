// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/tlspolicy.h"
#include "smtp/reply.h"

#include <QByteArray>
#include <QList>

namespace tern::smtp {

// DSN requests, RFC 3461 §4.1 (NOTIFY) and §4.3 (RET); sent only when the server advertises DSN.
enum class DsnNotify { Default, Never, Success = 1 << 1, Failure = 1 << 2, Delay = 1 << 3 };
enum class DsnReturn { Default, Full, Headers };

struct Recipient
{
    QByteArray address;
    int notify = 0;                // DsnNotify bits; 0 = server default; DsnNotify::Never alone
    bool notifyNever = false;
    QByteArray originalRecipient;  // ORCPT rfc822 address, RFC 3461 §4.2
};

// One message to submit: envelope plus the RFC 5322 bytes, exactly as they should arrive.
struct OutgoingMessage
{
    QByteArray from;
    QList<Recipient> recipients;
    QByteArray data;
    DsnReturn dsnReturn = DsnReturn::Default;
    QByteArray envelopeId;         // ENVID, RFC 3461 §4.4
};

struct RecipientResult
{
    QByteArray address;
    Reply reply;
    bool isAccepted() const { return reply.isPositiveCompletion(); }
};

struct MessageResult
{
    enum class Outcome {
        NotSent,            // nothing reached the point of delivery; safe to retry
        Refused,            // refused by the client before sending (see refusal)
        Rejected,           // the server said no (MAIL, all RCPTs, or the final reply; see replies)
        Accepted,           // final 2xx: queued by the server (some recipients may still be rejected)
        DeliveryUncertain,  // terminator sent, no reply: must not be resent blindly (SECURITY.md L1)
    };
    enum class Refusal {
        None,
        TooLarge,             // bigger than the server's SIZE (RFC 1870 §6)
        SmtpUtf8Unsupported,  // needs SMTPUTF8 (RFC 6531 §3.4) and the server lacks it
        EightBitUnsupported,  // 8-bit body and no 8BITMIME (RFC 6152)
        InvalidAddress,       // an address that could inject a command (CR/LF, <, >)
        NoRecipients,
    };

    Outcome outcome = Outcome::NotSent;
    Refusal refusal = Refusal::None;
    std::optional<Reply> mailReply;
    QList<RecipientResult> recipients;
    std::optional<Reply> finalReply; // the reply to the end of data: carries the server's queue id text
    protocols::TlsSessionInfo tls;    // the link it went over: with finalReply, the transport receipt
};

} // namespace tern::smtp
