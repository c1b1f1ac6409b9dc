// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace tern::imap {

// A sequence-set or uid-set (RFC 3501 §9 "sequence-set", RFC 4315 "uid-set"): ranges of numbers, where "*"
// (the largest number in use) is kept as Star so callers decide what it means.
class SequenceSet
{
public:
    static constexpr quint32 Star = 0xFFFFFFFFu;

    struct Range
    {
        quint32 first = 0;
        quint32 last = 0;
        friend bool operator==(const Range &, const Range &) = default;
    };

    SequenceSet() = default;
    SequenceSet(std::initializer_list<Range> ranges) : m_ranges(ranges) { }

    // Parses "1:3,5,7:*". Nothing on a syntax error or a zero (numbers are nz-number).
    static std::optional<SequenceSet> parse(QByteArrayView text);
    static SequenceSet fromList(const QList<quint32> &numbers);

    void add(quint32 first, quint32 last);
    void add(quint32 number) { add(number, number); }

    bool isEmpty() const { return m_ranges.isEmpty(); }
    const QList<Range> &ranges() const { return m_ranges; }
    // Number of values, counting each range in full (ranges with Star are not counted as huge: callers
    // that need the expansion know the mailbox size).
    qint64 count() const;
    QList<quint32> toList(qint64 limit = 1'000'000) const;
    // The wire form: "1:3,5".
    QByteArray toBytes() const;

    friend bool operator==(const SequenceSet &, const SequenceSet &) = default;

private:
    QList<Range> m_ranges;
};

} // namespace tern::imap
