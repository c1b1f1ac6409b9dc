// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "smtp/reply.h"

#include <QHash>

namespace tern::smtp {

// The service extensions an EHLO reply advertises (RFC 5321 §4.1.1.1: first line is the greeting, each
// further line "KEYWORD [params]").
class Capabilities
{
public:
    static Capabilities fromEhloReply(const Reply &reply);

    bool has(QByteArrayView keyword) const { return m_keywords.contains(keyword.toByteArray().toUpper()); }
    QList<QByteArray> parameters(QByteArrayView keyword) const
    {
        return m_keywords.value(keyword.toByteArray().toUpper());
    }

    // RFC 1870 §4: the SIZE limit, 0 when advertised without a limit, nothing when not advertised.
    // A number too large for qint64 saturates (a hostile server cannot overflow us).
    std::optional<qint64> sizeLimit() const;
    QList<QByteArray> authMechanisms() const; // AUTH, plus the pre-standard "AUTH=" form some servers send

private:
    QHash<QByteArray, QList<QByteArray>> m_keywords;
};

} // namespace tern::smtp
