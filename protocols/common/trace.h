// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace tern::protocols {

// One line of a protocol session as the protocol inspector shows it. The text is already redacted:
// secrets (AUTH/LOGIN/PASS arguments, SASL exchanges, tokens) are hidden where the command is built,
// never filtered afterwards (VMime's getTraceText() model).
struct TraceEntry
{
    enum class Direction { Sent, Received, Event };

    Direction direction = Direction::Event;
    qint64 msecsSinceEpoch = 0;
    QByteArray text;
};

using TraceSink = std::function<void(const TraceEntry &)>;

// What a session uses to report its traffic. Cheap when nobody listens.
class Trace
{
public:
    void setSink(TraceSink sink) { m_sink = std::move(sink); }
    bool isEnabled() const { return bool(m_sink); }

    void sent(const QByteArray &redactedText);
    void received(const QByteArray &text);
    void event(const QByteArray &text);

    // The literal mask used for every hidden secret, so the inspector and tests agree on it.
    static QByteArray redacted() { return QByteArrayLiteral("***"); }

private:
    void emitEntry(TraceEntry::Direction direction, const QByteArray &text);

    TraceSink m_sink;
};

} // namespace tern::protocols
