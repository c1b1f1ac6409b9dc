// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspector/inspectorwidget.h"

#include "inspector/timelineview.h"

#include "diagnostics/tracelog.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tern::ui {

using diagnostics::TraceRecord;
using diagnostics::TraceSession;

namespace {

constexpr int SessionIdRole = Qt::UserRole + 1;

QString clock(qint64 msecs)
{
    return QDateTime::fromMSecsSinceEpoch(msecs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString stateText(const TraceSession &s)
{
    if (s.isLive())
        return InspectorWidget::tr("live");
    return s.outcome.isEmpty() ? InspectorWidget::tr("ok") : InspectorWidget::tr("failed");
}

} // namespace

InspectorWidget::InspectorWidget(diagnostics::TraceLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
{
    setObjectName(QStringLiteral("protocolInspector"));
    setAccessibleName(tr("Protocol inspector"));

    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("inspectorSearch"));
    m_search->setAccessibleName(tr("Search the trace"));
    m_search->setPlaceholderText(tr("Search commands and replies"));
    m_search->setClearButtonEnabled(true);
    m_protocol = new QComboBox;
    m_protocol->setObjectName(QStringLiteral("inspectorProtocol"));
    m_protocol->setAccessibleName(tr("Protocol"));
    m_protocol->addItem(tr("All protocols"), QString());
    for (const char *p : {"IMAP", "POP3", "SMTP"})
        m_protocol->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    m_export = new QPushButton(tr("&Export…"));
    m_export->setObjectName(QStringLiteral("inspectorExport"));
    auto *clear = new QPushButton(tr("C&lear Finished"));
    connect(clear, &QPushButton::clicked, this, [this] {
        m_log->clear();
        refresh();
    });
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_protocol);
    bar->addWidget(m_export);
    bar->addWidget(clear);

    m_sessions = new QTreeWidget;
    m_sessions->setObjectName(QStringLiteral("inspectorSessions"));
    m_sessions->setAccessibleName(tr("Sessions"));
    m_sessions->setHeaderLabels({tr("Session"), tr("State")});
    m_sessions->header()->setStretchLastSection(false);
    m_sessions->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_sessions->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("inspectorDetails"));
    m_details->setTextFormat(Qt::PlainText);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_records = new QTreeWidget;
    m_records->setObjectName(QStringLiteral("inspectorRecords"));
    m_records->setAccessibleName(tr("Commands and replies"));
    m_records->setRootIsDecorated(false);
    m_records->setUniformRowHeights(false);
    m_records->setHeaderLabels({tr("Time"), tr("Took"), QString(), tr("Text")});
    m_records->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_records->header()->setStretchLastSection(true);
    m_records->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_timeline = new TimelineView;
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details);
    rightLayout->addWidget(m_records, 1);
    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(m_sessions);
    top->addWidget(right);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 4);
    top->setSizes({240, 960});
    auto *vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(m_timeline);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(vertical, 1);

    // Sessions write from their own threads, a line at a time: redraw at most ten times a second.
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(100);
    connect(&m_refresh, &QTimer::timeout, this, &InspectorWidget::refresh);
    for (auto signal : {&diagnostics::TraceLog::sessionStarted, &diagnostics::TraceLog::sessionChanged,
                        &diagnostics::TraceLog::sessionEnded})
        connect(m_log, signal, this, [this] {
            if (!m_refresh.isActive())
                m_refresh.start();
        });
    connect(m_search, &QLineEdit::textChanged, this, &InspectorWidget::refresh);
    connect(m_protocol, &QComboBox::currentIndexChanged, this, &InspectorWidget::refresh);
    connect(m_export, &QPushButton::clicked, this, &InspectorWidget::exportWithDialog);
    connect(m_sessions, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const quint64 id = item ? item->data(0, SessionIdRole).toULongLong() : 0;
        if (id)
            showSession(id);
    });
    connect(m_timeline, &TimelineView::sessionClicked, this, &InspectorWidget::selectSession);
    refresh();
}

bool InspectorWidget::accepts(const TraceSession &s) const
{
    const QString protocol = m_protocol->currentData().toString();
    if (!protocol.isEmpty() && s.protocol != protocol)
        return false;
    const QString needle = m_search->text().trimmed();
    if (needle.isEmpty())
        return true;
    if (s.server.contains(needle, Qt::CaseInsensitive) || s.account.contains(needle, Qt::CaseInsensitive))
        return true;
    for (const TraceRecord &r : s.records) {
        if (r.text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

void InspectorWidget::refresh()
{
    const quint64 keep = currentSession() ? currentSession() : m_shown;
    QList<TraceSession> shown;
    for (const TraceSession &header : m_log->sessions()) {
        auto full = m_log->session(header.id);
        if (full && accepts(*full))
            shown.append(*full);
    }
    m_sessions->blockSignals(true);
    m_sessions->clear();
    QHash<QString, QTreeWidgetItem *> accounts;
    QTreeWidgetItem *current = nullptr;
    for (const TraceSession &s : std::as_const(shown)) {
        QTreeWidgetItem *&account = accounts[s.account];
        if (!account) {
            account = new QTreeWidgetItem(m_sessions, {s.account.isEmpty() ? tr("(no account)") : s.account});
            account->setFlags(Qt::ItemIsEnabled);
            account->setExpanded(true);
        }
        auto *item = new QTreeWidgetItem(account, {QStringLiteral("%1 · %2").arg(s.protocol, clock(s.startedMsecs)),
                                                   stateText(s)});
        item->setToolTip(1, s.outcome);
        item->setData(0, SessionIdRole, s.id);
        item->setToolTip(0, QStringLiteral("%1\n%2").arg(s.server, s.tls.isEmpty() ? tr("TLS: unknown") : tr("TLS: %1").arg(s.tls)));
        if (s.id == keep)
            current = item;
    }
    m_sessions->expandAll();
    m_sessions->blockSignals(false);
    m_timeline->setSessions(shown);
    if (!current && m_sessions->topLevelItemCount() > 0 && m_sessions->topLevelItem(0)->childCount() > 0)
        current = m_sessions->topLevelItem(0)->child(0);
    if (current) {
        m_sessions->setCurrentItem(current);
        showSession(current->data(0, SessionIdRole).toULongLong());
    } else {
        m_records->clear();
        m_details->setText(tr("No protocol sessions yet. Get messages or test an account to see its traffic here."));
        m_shown = 0;
    }
}

void InspectorWidget::selectSession(quint64 id)
{
    QTreeWidgetItemIterator it(m_sessions);
    for (; *it; ++it) {
        if ((*it)->data(0, SessionIdRole).toULongLong() == id) {
            m_sessions->setCurrentItem(*it);
            return;
        }
    }
}

quint64 InspectorWidget::currentSession() const
{
    const QTreeWidgetItem *item = m_sessions->currentItem();
    return item ? item->data(0, SessionIdRole).toULongLong() : 0;
}

void InspectorWidget::showSession(quint64 id)
{
    const auto s = m_log->session(id);
    if (!s)
        return;
    m_shown = id;
    QStringList details;
    details << tr("%1 · %2 · %3 · started %4").arg(s->account, s->protocol, s->server, clock(s->startedMsecs));
    details << tr("TLS: %1").arg(s->tls.isEmpty() ? tr("not established yet or unknown") : s->tls);
    if (!s->capabilities.isEmpty())
        details << tr("Capabilities: %1").arg(s->capabilities.join(QLatin1Char(' ')));
    if (!s->isLive())
        details << (s->outcome.isEmpty() ? tr("Finished at %1 (%2 ms)").arg(clock(s->endedMsecs)).arg(s->endedMsecs - s->startedMsecs)
                                         : tr("Failed at %1: %2").arg(clock(s->endedMsecs), s->outcome));
    if (s->droppedRecords)
        details << tr("%n earlier line(s) not kept", nullptr, int(s->droppedRecords));
    m_details->setText(details.join(QLatin1Char('\n')));

    const QString needle = m_search->text().trimmed();
    m_records->setUpdatesEnabled(false);
    m_records->clear();
    qint64 lastSent = -1;
    QList<QTreeWidgetItem *> items;
    for (const TraceRecord &r : s->records) {
        QString took;
        QString arrow;
        switch (r.kind) {
        case TraceRecord::Kind::Sent:
            arrow = QStringLiteral("C →");
            lastSent = r.msecsSinceEpoch;
            break;
        case TraceRecord::Kind::Received:
            arrow = QStringLiteral("S ←");
            // How long the server took: from the command this reply follows (pipelined commands share it).
            if (lastSent >= 0)
                took = tr("%1 ms").arg(r.msecsSinceEpoch - lastSent);
            break;
        case TraceRecord::Kind::Event:
            arrow = QStringLiteral("•");
            break;
        }
        auto *item = new QTreeWidgetItem(QStringList{clock(r.msecsSinceEpoch), took, arrow, r.text});
        if (r.kind == TraceRecord::Kind::Event)
            item->setForeground(3, palette().color(QPalette::PlaceholderText));
        if (!needle.isEmpty() && r.text.contains(needle, Qt::CaseInsensitive))
            item->setBackground(3, palette().color(QPalette::Highlight).lighter(170));
        items.append(item);
    }
    m_records->addTopLevelItems(items);
    m_records->setUpdatesEnabled(true);
    if (!items.isEmpty() && s->isLive())
        m_records->scrollToBottom();
}

QString InspectorWidget::exportText() const
{
    QList<quint64> ids;
    for (const TraceSession &header : m_log->sessions()) {
        const auto full = m_log->session(header.id);
        if (full && accepts(*full))
            ids.append(header.id);
    }
    if (ids.isEmpty())
        return {};
    return m_log->exportText(ids);
}

bool InspectorWidget::exportTo(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    const QByteArray bytes = exportText().toUtf8();
    return file.write(bytes) == bytes.size();
}

void InspectorWidget::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Protocol Trace"), QStringLiteral("tern-trace.txt"),
                                                      tr("Text files (*.txt)"));
    if (!path.isEmpty() && !exportTo(path))
        QMessageBox::warning(this, tr("Export Protocol Trace"), tr("Could not write %1.").arg(path));
}

} // namespace tern::ui
