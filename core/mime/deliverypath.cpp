// SPDX-License-Identifier: GPL-3.0-or-later
#include "deliverypath.h"

#include <QRegularExpression>

namespace tern::mime {

namespace {

// "mail.example.org [192.0.2.1]", "[192.0.2.1]", "mail.example.org [IPv6:2001:db8::1]", "localhost [127.0.0.1]"
void splitDetails(const QString &details, QString *host, QString *address)
{
    static const QRegularExpression literal(QStringLiteral(R"(\[(?:IPv6:)?([0-9A-Fa-f:.]+)\])"));
    const QRegularExpressionMatch m = literal.match(details);
    if (m.hasMatch())
        *address = m.captured(1);
    const QString first = details.section(QLatin1Char(' '), 0, 0);
    if (!first.isEmpty() && !first.startsWith(QLatin1Char('[')) && first.compare(QLatin1StringView("unknown"), Qt::CaseInsensitive) != 0
        && first.contains(QLatin1Char('.')))
        *host = first;
}

bool sameName(const QString &a, const QString &b)
{
    return !a.isEmpty() && !b.isEmpty() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// Whether hop `next` plausibly took the message from the host that wrote `previous`.
bool continues(const DeliveryHop &previous, const DeliveryHop &next)
{
    const QString &by = previous.hop.by;
    if (by.isEmpty())
        return true; // nothing to compare with; the missing name is not itself evidence
    if (sameName(by, next.hop.by))
        return true; // a hand-over inside one machine (amavis, LMTP to the local store)
    if (sameName(by, next.hop.from) || sameName(by, next.fromHost))
        return true;
    // Loopback hand-overs name themselves "localhost".
    if (next.fromAddress == QLatin1StringView("127.0.0.1") || next.fromAddress == QLatin1StringView("::1"))
        return true;
    return next.hop.fromDetails.contains(by, Qt::CaseInsensitive);
}

bool domainOf(const QString &host, const QString &domain)
{
    if (host.isEmpty() || domain.isEmpty())
        return false;
    return sameName(host, domain) || host.endsWith(QLatin1Char('.') + domain, Qt::CaseInsensitive);
}

} // namespace

bool DeliveryPath::anyTls() const
{
    for (const DeliveryHop &h : hops) {
        if (h.hop.tls)
            return true;
    }
    return false;
}

bool DeliveryPath::allTls() const
{
    if (hops.empty())
        return false;
    for (const DeliveryHop &h : hops) {
        if (!h.hop.tls)
            return false;
    }
    return true;
}

DeliveryPath deliveryPath(const Message &message, int part)
{
    DeliveryPath path;
    path.dateHeader = parseDateTime(message.header(part, "date"));
    for (Hop &hop : receivedChain(message, part)) {
        DeliveryHop h;
        splitDetails(hop.fromDetails, &h.fromHost, &h.fromAddress);
        if (h.fromHost.isEmpty())
            h.fromHost = hop.from;
        h.hop = std::move(hop);
        path.hops.push_back(std::move(h));
    }

    QDateTime firstDated, lastDated;
    for (size_t i = 0; i < path.hops.size(); ++i) {
        DeliveryHop &h = path.hops[i];
        if (!h.hop.timestamp.isValid()) {
            h.notes |= DeliveryHop::MissingDate;
        } else {
            if (lastDated.isValid() && h.hop.timestamp.secsTo(lastDated) > kClockSkewSeconds)
                h.notes |= DeliveryHop::TimeWentBack;
            if (!firstDated.isValid())
                firstDated = h.hop.timestamp;
            lastDated = h.hop.timestamp;
        }
        if (i > 0 && !continues(path.hops[i - 1], h))
            h.notes |= DeliveryHop::ChainBreak;
    }
    // The newest hop was written when the message arrived: an older hop dated after it was not written then.
    if (!path.hops.empty() && path.hops.back().hop.timestamp.isValid()) {
        const QDateTime arrived = path.hops.back().hop.timestamp;
        for (DeliveryHop &h : path.hops) {
            if (h.hop.timestamp.isValid() && arrived.secsTo(h.hop.timestamp) > kClockSkewSeconds)
                h.notes |= DeliveryHop::InFuture;
        }
    }
    int dated = 0;
    for (const DeliveryHop &h : path.hops)
        dated += h.hop.timestamp.isValid() ? 1 : 0;
    if (dated >= 2)
        path.totalSeconds = firstDated.secsTo(lastDated);
    if (path.dateHeader.isValid() && firstDated.isValid())
        path.submitDelaySeconds = path.dateHeader.secsTo(firstDated);

    const std::vector<QByteArray> auth = message.headers(part, "authentication-results");
    if (!auth.empty()) {
        path.auth = parseAuthenticationResults(auth.front()); // topmost: written last, by the receiver
        path.hasAuth = true;
        path.otherAuthHeaders = int(auth.size()) - 1;
        if (!path.hops.empty()) {
            const QString &receiver = path.hops.back().hop.by;
            const QString &id = path.auth.authservId;
            // "mx.example.org" writes "example.org" or its own name as authserv-id.
            path.authMatchesReceiver = domainOf(receiver, id) || domainOf(id, receiver);
        }
    }
    return path;
}

} // namespace tern::mime
