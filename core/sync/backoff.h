// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>

namespace tern::sync {

// The wait before each new attempt after a lost connection: first, then doubling, never more than max; reset()
// once the connection works again. Spares a server that is down (or a dead network) a reconnect storm while
// still coming back within seconds of a short drop.
class Backoff
{
public:
    explicit Backoff(int firstMs = 2000, int maxMs = 5 * 60 * 1000)
        : m_first(std::max(1, firstMs))
        , m_max(std::max(m_first, maxMs))
        , m_next(m_first)
    {
    }

    // The wait for this attempt; the one after it doubles.
    int next()
    {
        const int wait = m_next;
        m_next = m_next > m_max / 2 ? m_max : m_next * 2;
        return wait;
    }
    int peek() const { return m_next; }
    void reset() { m_next = m_first; }

private:
    int m_first;
    int m_max;
    int m_next;
};

} // namespace tern::sync
