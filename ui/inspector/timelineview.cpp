// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspector/timelineview.h"

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace tern::ui {

using diagnostics::TraceRecord;
using diagnostics::TraceSession;

namespace {
constexpr int kLane = 26;
constexpr int kLabel = 190;
constexpr int kTop = 18;

bool pushes(const TraceSession &s)
{
    return s.protocol == QLatin1StringView("SMTP");
}

qint64 endOf(const TraceSession &s)
{
    if (!s.isLive())
        return s.endedMsecs;
    return std::max(s.records.isEmpty() ? s.startedMsecs : s.records.last().msecsSinceEpoch,
                    QDateTime::currentMSecsSinceEpoch());
}
} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("inspectorTimeline"));
    setAccessibleName(tr("Timeline"));
    setAccessibleDescription(tr("Sessions over time: SMTP pushes mail to the server, IMAP and POP3 pull it, IMAP IDLE "
                                "lets the server push"));
    setMouseTracking(true);
}

QSize TimelineView::sizeHint() const
{
    return {640, kTop + kLane * int(std::max<qsizetype>(m_sessions.size(), 3)) + 24};
}

QSize TimelineView::minimumSizeHint() const
{
    // Every lane visible up to six; beyond that the splitter decides.
    return {320, kTop + kLane * int(std::clamp<qsizetype>(m_sessions.size(), 2, 6)) + 4};
}

QList<std::pair<qint64, qint64>> TimelineView::idleSpans(const TraceSession &session)
{
    QList<std::pair<qint64, qint64>> spans;
    qint64 open = -1;
    for (const TraceRecord &r : session.records) {
        if (r.kind != TraceRecord::Kind::Sent)
            continue;
        const QString text = r.text.trimmed();
        // "A12 IDLE" starts it (RFC 2177), a bare "DONE" ends it.
        if (open < 0 && text.endsWith(QLatin1StringView(" IDLE"), Qt::CaseInsensitive))
            open = r.msecsSinceEpoch;
        else if (open >= 0 && text.compare(QLatin1StringView("DONE"), Qt::CaseInsensitive) == 0) {
            spans.append({open, r.msecsSinceEpoch});
            open = -1;
        }
    }
    if (open >= 0)
        spans.append({open, endOf(session)});
    return spans;
}

void TimelineView::setSessions(const QList<TraceSession> &sessions)
{
    m_sessions = sessions;
    m_start = m_end = 0;
    for (const TraceSession &s : m_sessions) {
        m_start = m_start == 0 ? s.startedMsecs : std::min(m_start, s.startedMsecs);
        m_end = std::max(m_end, endOf(s));
    }
    if (m_end <= m_start)
        m_end = m_start + 1000;
    updateGeometry();
    update();
}

int TimelineView::laneAt(int y) const
{
    const int lane = (y - kTop) / kLane;
    return y >= kTop && lane < m_sessions.size() ? lane : -1;
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    const int lane = laneAt(int(event->position().y()));
    if (lane >= 0)
        Q_EMIT sessionClicked(m_sessions.at(lane).id);
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    const int left = kLabel;
    const int right = width() - 12;
    const double span = double(m_end - m_start);
    const auto x = [&](qint64 ms) { return left + (right - left) * double(ms - m_start) / span; };

    // Axis: start and end times, and the legend.
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(left, 0, 200, kTop), Qt::AlignLeft | Qt::AlignVCenter,
               QDateTime::fromMSecsSinceEpoch(m_start).toString(QStringLiteral("HH:mm:ss.zzz")));
    p.drawText(QRect(right - 200, 0, 200, kTop), Qt::AlignRight | Qt::AlignVCenter,
               QDateTime::fromMSecsSinceEpoch(m_end).toString(QStringLiteral("HH:mm:ss.zzz")));
    p.drawText(QRect(4, 0, left - 8, kTop), Qt::AlignLeft | Qt::AlignVCenter,
               tr("↑ push  ↓ pull  ▨ IDLE"));
    if (m_sessions.isEmpty()) {
        p.drawText(rect(), Qt::AlignCenter, tr("No sessions yet"));
        return;
    }

    const QColor pushColor(0xd0, 0x6a, 0x1a), pullColor(0x2a, 0x6f, 0xc9), idleColor(0x3c, 0xa0, 0x5a);
    for (int lane = 0; lane < m_sessions.size(); ++lane) {
        const TraceSession &s = m_sessions.at(lane);
        const int top = kTop + lane * kLane;
        const int mid = top + kLane / 2;
        if (lane % 2)
            p.fillRect(QRect(0, top, width(), kLane), pal.alternateBase());
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(4, top, left - 8, kLane), Qt::AlignLeft | Qt::AlignVCenter,
                   p.fontMetrics().elidedText(QStringLiteral("%1 · %2").arg(s.account, s.protocol), Qt::ElideRight, left - 8));
        const QColor color = pushes(s) ? pushColor : pullColor;
        const double x0 = x(s.startedMsecs), x1 = std::max(x(endOf(s)), x0 + 3);
        p.setPen(Qt::NoPen);
        QColor bar = color;
        bar.setAlpha(s.isLive() ? 110 : 60);
        p.setBrush(bar);
        p.drawRoundedRect(QRectF(x0, mid - 4, x1 - x0, 8), 3, 3);
        for (const auto &[from, to] : idleSpans(s)) {
            p.setBrush(QBrush(idleColor, Qt::BDiagPattern));
            p.drawRect(QRectF(x(from), top + 3, std::max(x(to) - x(from), 2.0), kLane - 6));
        }
        // One tick per exchange: up for what we sent, down for what the server sent.
        for (const TraceRecord &r : s.records) {
            if (r.kind == TraceRecord::Kind::Event)
                continue;
            const double rx = x(r.msecsSinceEpoch);
            const bool sent = r.kind == TraceRecord::Kind::Sent;
            QColor tick = sent ? pushColor : pullColor;
            if (!sent) {
                for (const auto &[from, to] : idleSpans(s)) {
                    if (r.msecsSinceEpoch > from && r.msecsSinceEpoch < to)
                        tick = idleColor; // pushed to us while idling
                }
            }
            p.setPen(QPen(tick, 1.5));
            const double tip = sent ? top + 2 : top + kLane - 2;
            p.drawLine(QPointF(rx, mid), QPointF(rx, tip));
            QPainterPath head;
            const double dir = sent ? 1 : -1;
            head.moveTo(rx, tip);
            head.lineTo(rx - 3, tip + 4 * dir);
            head.lineTo(rx + 3, tip + 4 * dir);
            head.closeSubpath();
            p.fillPath(head, tick);
        }
        if (!s.outcome.isEmpty()) {
            p.setPen(QPen(Qt::red, 2));
            p.drawLine(QPointF(x1, mid - 6), QPointF(x1, mid + 6));
        }
    }
}

} // namespace tern::ui
