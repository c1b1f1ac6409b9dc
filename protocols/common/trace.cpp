// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/trace.h"

#include <QDateTime>

namespace tern::protocols {

void Trace::sent(const QByteArray &redactedText)
{
    emitEntry(TraceEntry::Direction::Sent, redactedText);
}

void Trace::received(const QByteArray &text)
{
    emitEntry(TraceEntry::Direction::Received, text);
}

void Trace::event(const QByteArray &text)
{
    emitEntry(TraceEntry::Direction::Event, text);
}

void Trace::emitEntry(TraceEntry::Direction direction, const QByteArray &text)
{
    if (!m_sink)
        return;
    m_sink(TraceEntry{direction, QDateTime::currentMSecsSinceEpoch(), text});
}

} // namespace tern::protocols
