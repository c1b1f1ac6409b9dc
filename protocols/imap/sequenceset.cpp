// SPDX-License-Identifier: GPL-3.0-or-later
#include "imap/sequenceset.h"

namespace tern::imap {

namespace {

std::optional<quint32> parseNumber(QByteArrayView text)
{
    if (text == "*")
        return SequenceSet::Star;
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    quint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + quint64(c - '0');
    }
    if (value == 0 || value >= SequenceSet::Star)
        return std::nullopt;
    return quint32(value);
}

} // namespace

std::optional<SequenceSet> SequenceSet::parse(QByteArrayView text)
{
    SequenceSet set;
    if (text.isEmpty())
        return std::nullopt;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype comma = text.indexOf(',', start);
        if (comma < 0)
            comma = text.size();
        const QByteArrayView item = text.sliced(start, comma - start);
        const qsizetype colon = item.indexOf(':');
        if (colon < 0) {
            const auto n = parseNumber(item);
            if (!n)
                return std::nullopt;
            set.m_ranges.append({*n, *n});
        } else {
            const auto a = parseNumber(item.first(colon));
            const auto b = parseNumber(item.sliced(colon + 1));
            if (!a || !b)
                return std::nullopt;
            // RFC 3501 §9: "2:4" and "4:2" are the same set.
            set.m_ranges.append({qMin(*a, *b), qMax(*a, *b)});
        }
        start = comma + 1;
    }
    return set;
}

SequenceSet SequenceSet::fromList(const QList<quint32> &numbers)
{
    SequenceSet set;
    for (quint32 n : numbers)
        set.add(n);
    return set;
}

void SequenceSet::add(quint32 first, quint32 last)
{
    if (first > last)
        std::swap(first, last);
    // Coalesce runs appended in order (the common case: building a set from sorted UIDs).
    if (!m_ranges.isEmpty() && m_ranges.last().last != Star && m_ranges.last().last + 1 >= first
        && first >= m_ranges.last().first) {
        m_ranges.last().last = qMax(m_ranges.last().last, last);
        return;
    }
    m_ranges.append({first, last});
}

qint64 SequenceSet::count() const
{
    qint64 n = 0;
    for (const Range &r : m_ranges)
        n += qint64(r.last) - qint64(r.first) + 1;
    return n;
}

QList<quint32> SequenceSet::toList(qint64 limit) const
{
    QList<quint32> out;
    for (const Range &r : m_ranges) {
        for (quint64 n = r.first; n <= r.last && out.size() < limit; ++n)
            out.append(quint32(n));
    }
    return out;
}

QByteArray SequenceSet::toBytes() const
{
    QByteArray out;
    auto number = [&out](quint32 n) {
        if (n == Star)
            out.append('*');
        else
            out.append(QByteArray::number(n));
    };
    for (const Range &r : m_ranges) {
        if (!out.isEmpty())
            out.append(',');
        number(r.first);
        if (r.last != r.first) {
            out.append(':');
            number(r.last);
        }
    }
    return out;
}

} // namespace tern::imap
