// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagnostics/tracelog.h"

#include <QDateTime>
#include <QMutexLocker>

#include <algorithm>

namespace tern::diagnostics {

namespace {

// What a reader needs from a record: printable text. Line breaks between reply lines stay; other control
// characters (a hostile server's ESC sequences, NUL) become U+FFFD so an export cannot drive a terminal.
QString printable(const QByteArray &text, int maxChars)
{
    QString out = QString::fromUtf8(text.left(maxChars * 4));
    bool cut = out.size() > maxChars;
    if (cut)
        out.truncate(maxChars);
    while (out.endsWith(QLatin1Char('\n')) || out.endsWith(QLatin1Char('\r')))
        out.chop(1);
    for (QChar &c : out) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\t'))
            continue;
        if (c == QLatin1Char('\r'))
            c = QLatin1Char(' ');
        else if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = QChar(QChar::ReplacementCharacter);
    }
    if (cut || text.size() > maxChars * 4)
        out += QStringLiteral(" [… %1 bytes in all]").arg(text.size());
    return out;
}

QString timeText(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs).toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz'Z'"));
}

} // namespace

TraceLog::TraceLog(QObject *parent)
    : TraceLog(Limits{}, parent)
{
}

TraceLog::TraceLog(const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
}

quint64 TraceLog::beginSession(const QString &account, const QString &protocol, const QString &server)
{
    quint64 id = 0;
    {
        QMutexLocker lock(&m_mutex);
        id = m_nextId++;
        TraceSession s;
        s.id = id;
        s.account = account;
        s.protocol = protocol;
        s.server = server;
        s.startedMsecs = QDateTime::currentMSecsSinceEpoch();
        m_sessions.push_back(std::move(s));
        trim();
    }
    Q_EMIT sessionStarted(id);
    return id;
}

void TraceLog::append(quint64 session, TraceRecord::Kind kind, qint64 msecsSinceEpoch, const QByteArray &text)
{
    {
        QMutexLocker lock(&m_mutex);
        TraceSession *s = find(session);
        if (!s)
            return;
        if (s->records.size() >= m_limits.maxRecordsPerSession) {
            s->records.removeFirst();
            ++s->droppedRecords;
        }
        s->records.append({kind, msecsSinceEpoch ? msecsSinceEpoch : QDateTime::currentMSecsSinceEpoch(),
                           printable(text, m_limits.maxTextChars)});
    }
    Q_EMIT sessionChanged(session);
}

void TraceLog::setTls(quint64 session, const QString &tls)
{
    {
        QMutexLocker lock(&m_mutex);
        TraceSession *s = find(session);
        if (!s)
            return;
        s->tls = tls;
    }
    Q_EMIT sessionChanged(session);
}

void TraceLog::setCapabilities(quint64 session, const QStringList &capabilities)
{
    {
        QMutexLocker lock(&m_mutex);
        TraceSession *s = find(session);
        if (!s)
            return;
        s->capabilities = capabilities;
    }
    Q_EMIT sessionChanged(session);
}

void TraceLog::endSession(quint64 session, const QString &outcome)
{
    {
        QMutexLocker lock(&m_mutex);
        TraceSession *s = find(session);
        if (!s || !s->isLive())
            return;
        s->endedMsecs = std::max(QDateTime::currentMSecsSinceEpoch(), s->startedMsecs + 1);
        s->outcome = outcome;
        trim();
    }
    Q_EMIT sessionEnded(session);
}

QList<TraceSession> TraceLog::sessions() const
{
    QMutexLocker lock(&m_mutex);
    QList<TraceSession> out;
    out.reserve(qsizetype(m_sessions.size()));
    for (const TraceSession &s : m_sessions) {
        TraceSession header = s;
        header.records.clear();
        out.append(std::move(header));
    }
    return out;
}

std::optional<TraceSession> TraceLog::session(quint64 id) const
{
    QMutexLocker lock(&m_mutex);
    const TraceSession *s = find(id);
    return s ? std::optional<TraceSession>(*s) : std::nullopt;
}

void TraceLog::clear()
{
    QMutexLocker lock(&m_mutex);
    // Live sessions stay: their clients still write to them.
    std::erase_if(m_sessions, [](const TraceSession &s) { return !s.isLive(); });
}

QString TraceLog::formatSession(const TraceSession &s)
{
    QString out = QStringLiteral("== %1 %2 %3, %4 to %5\n")
                      .arg(s.account, s.protocol, s.server, timeText(s.startedMsecs),
                           s.isLive() ? QStringLiteral("(live)") : timeText(s.endedMsecs));
    out += QStringLiteral("TLS: %1\n").arg(s.tls.isEmpty() ? QStringLiteral("unknown") : s.tls);
    if (!s.capabilities.isEmpty())
        out += QStringLiteral("Capabilities: %1\n").arg(s.capabilities.join(QLatin1Char(' ')));
    if (s.droppedRecords)
        out += QStringLiteral("(%1 earlier lines not kept)\n").arg(s.droppedRecords);
    for (const TraceRecord &r : s.records) {
        const QString arrow = r.kind == TraceRecord::Kind::Sent       ? QStringLiteral("C:")
                              : r.kind == TraceRecord::Kind::Received ? QStringLiteral("S:")
                                                                      : QStringLiteral("--");
        const QString indent = QString(QLatin1Char(' ')).repeated(28);
        QString text = r.text;
        text.replace(QLatin1Char('\n'), QLatin1Char('\n') + indent);
        out += QStringLiteral("%1 %2 %3\n").arg(timeText(r.msecsSinceEpoch), arrow, text);
    }
    if (!s.isLive())
        out += s.outcome.isEmpty() ? QStringLiteral("Result: ok\n") : QStringLiteral("Result: %1\n").arg(s.outcome);
    return out;
}

QString TraceLog::exportText(const QList<quint64> &ids) const
{
    QMutexLocker lock(&m_mutex);
    QString out = QStringLiteral("Tern protocol trace (secrets are replaced by *** where commands are built)\n\n");
    for (const TraceSession &s : m_sessions) {
        if (ids.isEmpty() || ids.contains(s.id))
            out += formatSession(s) + QLatin1Char('\n');
    }
    return out;
}

TraceSession *TraceLog::find(quint64 id)
{
    auto it = std::find_if(m_sessions.begin(), m_sessions.end(), [id](const TraceSession &s) { return s.id == id; });
    return it == m_sessions.end() ? nullptr : &*it;
}

const TraceSession *TraceLog::find(quint64 id) const
{
    return const_cast<TraceLog *>(this)->find(id);
}

void TraceLog::trim()
{
    // Oldest ended sessions go first; live ones are only dropped when nothing else is left to drop.
    while (m_sessions.size() > size_t(m_limits.maxSessions)) {
        auto ended = std::find_if(m_sessions.begin(), m_sessions.end(), [](const TraceSession &s) { return !s.isLive(); });
        m_sessions.erase(ended != m_sessions.end() ? ended : m_sessions.begin());
    }
}

} // namespace tern::diagnostics
