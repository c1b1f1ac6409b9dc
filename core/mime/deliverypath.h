// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "received.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace tern::mime {

// One hop of the delivery path with what a reader should be told about it.
struct DeliveryHop
{
    enum Note : unsigned {
        NoNote = 0,
        MissingDate = 1u << 0,     // no or unparsable timestamp: the delay before and after it is unknown
        TimeWentBack = 1u << 1,    // earlier than the previous hop by more than clock skew explains
        ChainBreak = 1u << 2,      // its "from" is not the previous hop's "by": the lines before it may be made up
        InFuture = 1u << 3,        // later than the message arrived (the newest hop)
    };
    Hop hop;
    QString fromHost;   // the name the receiver found (reverse DNS) else the name the sender gave
    QString fromAddress; // the IP literal the receiver saw, without brackets
    unsigned notes = NoNote;
};

// The path a message took, oldest hop first, from its Received fields (RFC 5321 4.4) and the verdicts of the
// receiving side (Authentication-Results, RFC 8601). Only the trace fields added by the last servers can be
// trusted: everything below them was written by whoever sent the message, so a forged chain is shown as
// such (ChainBreak, TimeWentBack) rather than believed.
struct DeliveryPath
{
    std::vector<DeliveryHop> hops;
    QDateTime dateHeader;        // what the sender claims (Date:)
    qint64 submitDelaySeconds = -1; // Date: to the first hop, -1 when either is unknown
    qint64 totalSeconds = -1;       // first to last dated hop, -1 when fewer than two are dated

    // The topmost Authentication-Results: the one the final receiving server added (RFC 8601 5 tells that
    // server to remove look-alikes carrying its own authserv-id). Lower ones are kept only as a count.
    AuthenticationResults auth;
    bool hasAuth = false;
    bool authMatchesReceiver = false; // its authserv-id names the final hop's host or one of its parent domains
    int otherAuthHeaders = 0;         // further Authentication-Results below: possibly the sender's own

    QString spf() const { return auth.verdict(u"spf"); }
    QString dkim() const { return auth.verdict(u"dkim"); }
    QString dmarc() const { return auth.verdict(u"dmarc"); }
    bool anyTls() const;
    bool allTls() const;
};

inline constexpr qint64 kClockSkewSeconds = 300;

DeliveryPath deliveryPath(const Message &message, int part = 0);

} // namespace tern::mime
