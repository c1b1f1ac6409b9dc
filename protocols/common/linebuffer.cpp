// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/linebuffer.h"

namespace tern::protocols {

LineBuffer::LineBuffer(qsizetype maxLineLength)
    : m_maxLine(maxLineLength)
{
}

void LineBuffer::feed(QByteArrayView bytes)
{
    if (m_overflowed)
        return;
    compact();
    m_data.append(bytes);
}

std::optional<QByteArray> LineBuffer::takeLine()
{
    if (m_overflowed)
        return std::nullopt;
    const qsizetype from = qMax(m_pos, m_scanFrom);
    const qsizetype lf = m_data.indexOf('\n', from);
    if (lf < 0) {
        m_scanFrom = m_data.size();
        if (m_data.size() - m_pos > m_maxLine) {
            m_overflowed = true;
            m_data.clear();
            m_pos = m_scanFrom = 0;
        }
        return std::nullopt;
    }
    qsizetype end = lf;
    if (end > m_pos && m_data.at(end - 1) == '\r')
        --end;
    if (end - m_pos > m_maxLine) {
        m_overflowed = true;
        m_data.clear();
        m_pos = m_scanFrom = 0;
        return std::nullopt;
    }
    QByteArray line = m_data.mid(m_pos, end - m_pos);
    m_pos = lf + 1;
    m_scanFrom = m_pos;
    return line;
}

std::optional<QByteArray> LineBuffer::takeBytes(qsizetype n)
{
    if (m_overflowed || n < 0 || bufferedSize() < n)
        return std::nullopt;
    QByteArray bytes = m_data.mid(m_pos, n);
    m_pos += n;
    m_scanFrom = m_pos;
    return bytes;
}

void LineBuffer::clear()
{
    m_data.clear();
    m_pos = m_scanFrom = 0;
    m_overflowed = false;
}

void LineBuffer::compact()
{
    // Drop consumed bytes once they dominate the buffer: amortised O(1) per byte, no quadratic copying.
    if (m_pos > 0 && m_pos >= m_data.size() / 2) {
        m_data.remove(0, m_pos);
        m_scanFrom -= m_pos;
        m_pos = 0;
    }
}

} // namespace tern::protocols
