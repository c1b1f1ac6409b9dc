// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagnostics/tracelog.h"

#include <QList>
#include <QWidget>

namespace tern::ui {

// Sessions on one time axis, one lane each: SMTP drawn as pushes (client to server arrows), IMAP and POP3 as
// pulls (server to client), and an IMAP IDLE stretch as the server pushing to us. Hovering a lane names it.
class TimelineView : public QWidget
{
    Q_OBJECT

public:
    explicit TimelineView(QWidget *parent = nullptr);

    // Sessions with their records, oldest first.
    void setSessions(const QList<diagnostics::TraceSession> &sessions);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // Where IDLE was running in a session: [start, end) in msecs, end = session end or now when open.
    static QList<std::pair<qint64, qint64>> idleSpans(const diagnostics::TraceSession &session);

Q_SIGNALS:
    void sessionClicked(quint64 id);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    int laneAt(int y) const;

    QList<diagnostics::TraceSession> m_sessions;
    qint64 m_start = 0;
    qint64 m_end = 0;
};

} // namespace tern::ui
