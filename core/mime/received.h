// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "message.h"

#include <QDateTime>
#include <QString>

#include <utility>
#include <vector>

namespace tern::mime {

// One Received: field (RFC 5321 4.4), for the delivery-path view.
struct Hop
{
    QString from;        // the "from" host as the sender named itself
    QString fromDetails; // the receiver's comment on it: reverse DNS and "[IP]"
    QString by;          // the receiving host
    QString with;        // protocol: SMTP, ESMTP, ESMTPS, ESMTPSA, LMTP, HTTP ... (RFC 3848)
    QString id;
    QString forAddress;
    bool tls = false;    // ESMTPS/ESMTPSA/LMTPS (RFC 3848 and 8314), or TLS named in a comment
    QString tlsDetails;  // e.g. "version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384" or "TLSv1.3"
    QDateTime timestamp; // invalid when missing or unparsable
    qint64 delaySeconds = -1; // since the previous hop; -1 when a timestamp is missing
};

Hop parseReceived(QByteArrayView unfolded);
// The chain oldest first (Received fields are prepended, so the last one written is the first hop).
std::vector<Hop> receivedChain(const Message &message, int part = 0);

// RFC 5322 3.3 date-time, with obsolete forms (4.3): two-digit years, named and military zones, missing
// seconds and day-of-week, comments. Invalid QDateTime on failure.
QDateTime parseDateTime(QByteArrayView text);

// Authentication-Results (RFC 8601): the verdicts of SPF, DKIM, DMARC ... as the receiving server recorded.
struct AuthResult
{
    QString method; // "spf", "dkim", "dmarc", "arc" ... lower case
    QString result; // "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror" ... lower case
    QString reason;
    std::vector<std::pair<QString, QString>> properties; // "smtp.mailfrom" -> "example.org", "header.d" -> ...
};

struct AuthenticationResults
{
    QString authservId;
    std::vector<AuthResult> results;
    // The first result for a method ("dkim"), or an empty string.
    QString verdict(QStringView method) const;
};

AuthenticationResults parseAuthenticationResults(QByteArrayView unfolded);

} // namespace tern::mime
