// SPDX-License-Identifier: GPL-3.0-or-later
#include "smtp/capabilities.h"

#include <limits>

namespace tern::smtp {

Capabilities Capabilities::fromEhloReply(const Reply &reply)
{
    Capabilities caps;
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        QList<QByteArray> words = reply.lines.at(i).simplified().split(' ');
        if (words.isEmpty() || words.constFirst().isEmpty())
            continue;
        QByteArray keyword = words.takeFirst().toUpper();
        // "AUTH=PLAIN LOGIN": what old Microsoft servers advertise alongside or instead of AUTH.
        if (keyword.startsWith("AUTH=")) {
            words.prepend(keyword.mid(5));
            keyword = "AUTH";
        }
        QList<QByteArray> &params = caps.m_keywords[keyword];
        for (const QByteArray &w : std::as_const(words)) {
            if (!w.isEmpty() && !params.contains(w))
                params.append(w);
        }
    }
    return caps;
}

std::optional<qint64> Capabilities::sizeLimit() const
{
    if (!has("SIZE"))
        return std::nullopt;
    const QList<QByteArray> params = parameters("SIZE");
    if (params.isEmpty())
        return 0;
    qint64 value = 0;
    for (char c : params.constFirst()) {
        if (c < '0' || c > '9')
            return 0; // unparseable: treat as "no limit announced", the server still enforces its own
        if (value > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
            return std::numeric_limits<qint64>::max();
        value = value * 10 + (c - '0');
    }
    return value;
}

QList<QByteArray> Capabilities::authMechanisms() const
{
    QList<QByteArray> out;
    for (const QByteArray &m : parameters("AUTH"))
        out.append(m.toUpper());
    return out;
}

} // namespace tern::smtp
