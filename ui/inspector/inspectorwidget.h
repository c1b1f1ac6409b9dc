// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace tern::diagnostics {
class TraceLog;
struct TraceSession;
}

namespace tern::ui {

class TimelineView;

// The protocol inspector: live and past sessions per account and protocol from the TraceLog (already
// redacted where each command was built), each command and reply with its time and how long the server took,
// TLS and capabilities, a timeline of pushes and pulls, a filter and "Export…" as text.
class InspectorWidget : public QWidget
{
    Q_OBJECT

public:
    explicit InspectorWidget(diagnostics::TraceLog *log, QWidget *parent = nullptr);

    QTreeWidget *sessionTree() const { return m_sessions; }
    QTreeWidget *recordList() const { return m_records; }
    QLabel *detailsLabel() const { return m_details; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *protocolFilter() const { return m_protocol; }
    TimelineView *timeline() const { return m_timeline; }

    void selectSession(quint64 id);
    quint64 currentSession() const;
    // What "Export…" writes: the sessions the filter shows, as redacted text.
    QString exportText() const;
    bool exportTo(const QString &path) const;
    // Re-reads the log now instead of at the next coalesced refresh.
    void refresh();

private:
    bool accepts(const diagnostics::TraceSession &session) const;
    void showSession(quint64 id);
    void exportWithDialog();

    diagnostics::TraceLog *m_log;
    QTimer m_refresh;
    QLineEdit *m_search = nullptr;
    QComboBox *m_protocol = nullptr;
    QPushButton *m_export = nullptr;
    QTreeWidget *m_sessions = nullptr;
    QLabel *m_details = nullptr;
    QTreeWidget *m_records = nullptr;
    TimelineView *m_timeline = nullptr;
    quint64 m_shown = 0;
};

} // namespace tern::ui
