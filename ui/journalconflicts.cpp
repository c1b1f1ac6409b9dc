// SPDX-License-Identifier: GPL-3.0-or-later
#include "journalconflicts.h"

#include "store/messagesummary.h"
#include "store/store.h"

#include <QAction>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMap>
#include <QPushButton>
#include <QStatusBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tern::ui {

namespace {

constexpr int AccountRole = Qt::UserRole + 1;
constexpr int EntryRole = Qt::UserRole + 2;
constexpr int MaxSubjects = 3;

} // namespace

JournalConflictsDialog::JournalConflictsDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("journalConflictsDialog"));
    setWindowTitle(tr("Offline Changes Not Applied"));
    auto *intro = new QLabel(tr("These changes were made while offline or before the server answered, and the "
                                "server could not take them. Dismiss a change to keep the server's state (the next "
                                "Get Messages shows it); retry it once the cause is fixed."),
                             this);
    intro->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("journalConflictList"));
    m_list->setAccessibleName(tr("Offline changes not applied"));
    m_list->setRootIsDecorated(false);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels({tr("Change"), tr("Messages"), tr("Folder"), tr("Account"), tr("Why")});
    m_list->header()->setStretchLastSection(true);
    intro->setBuddy(m_list);

    m_dismiss = new QPushButton(tr("&Dismiss"), this);
    m_dismiss->setObjectName(QStringLiteral("dismissConflictButton"));
    m_dismiss->setAccessibleName(tr("Dismiss the selected changes"));
    m_dismissAll = new QPushButton(tr("Dismiss &All"), this);
    m_dismissAll->setObjectName(QStringLiteral("dismissAllConflictsButton"));
    m_dismissAll->setAccessibleName(tr("Dismiss every change listed"));
    m_retry = new QPushButton(tr("&Retry"), this);
    m_retry->setObjectName(QStringLiteral("retryConflictButton"));
    m_retry->setAccessibleName(tr("Retry the selected changes"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_retry, QDialogButtonBox::ActionRole);
    buttons->addButton(m_dismiss, QDialogButtonBox::ActionRole);
    buttons->addButton(m_dismissAll, QDialogButtonBox::ActionRole);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_dismiss, &QPushButton::clicked, this, [this] { request(false, false); });
    connect(m_dismissAll, &QPushButton::clicked, this, [this] { request(false, true); });
    connect(m_retry, &QPushButton::clicked, this, [this] { request(true, false); });
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &JournalConflictsDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(760, 300);
    updateButtons();
}

QString JournalConflictsDialog::describe(const store::JournalEntry &e)
{
    using store::JournalEntry;
    switch (e.op) {
    case JournalEntry::Op::Flags:
        if (e.addKeywords.isEmpty() && e.removeKeywords.isEmpty()) {
            if (e.set == store::Seen && !e.clear)
                return tr("Mark as read");
            if (e.clear == store::Seen && !e.set)
                return tr("Mark as unread");
            if (e.set == store::Flagged && !e.clear)
                return tr("Flag");
            if (e.clear == store::Flagged && !e.set)
                return tr("Remove the flag");
        }
        return tr("Change the flags");
    case JournalEntry::Op::Move: return tr("Move to %1").arg(e.target);
    case JournalEntry::Op::Expunge: return tr("Delete for good");
    case JournalEntry::Op::Append: return tr("Store a copy in %1").arg(e.folder);
    }
    return {};
}

void JournalConflictsDialog::setRows(const QList<Row> &rows)
{
    m_list->clear();
    for (const Row &r : rows) {
        const QString why = r.entry.error.isEmpty() ? tr("no reason given") : r.entry.error;
        auto *item = new QTreeWidgetItem(m_list, {describe(r.entry), r.messages, r.entry.folder, r.account, why});
        item->setData(0, AccountRole, r.account);
        item->setData(0, EntryRole, r.entry.id);
        item->setToolTip(4, why);
        if (r.entry.created > 0) {
            item->setToolTip(0, tr("Made on %1").arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(r.entry.created),
                                                                       QLocale::ShortFormat)));
        }
    }
    for (int c = 0; c < m_list->columnCount() - 1; ++c)
        m_list->resizeColumnToContents(c);
    if (m_list->topLevelItemCount() > 0 && !m_list->currentItem())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    updateButtons();
}

void JournalConflictsDialog::updateButtons()
{
    const bool any = m_list->topLevelItemCount() > 0;
    const bool selected = !m_list->selectedItems().isEmpty();
    m_dismiss->setEnabled(selected);
    m_retry->setEnabled(selected);
    m_dismissAll->setEnabled(any);
}

void JournalConflictsDialog::request(bool retry, bool all)
{
    QMap<QString, QList<qint64>> byAccount; // sorted: the signals come in a stable order
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (all || item->isSelected())
            byAccount[item->data(0, AccountRole).toString()].append(item->data(0, EntryRole).toLongLong());
    }
    for (auto it = byAccount.cbegin(); it != byAccount.cend(); ++it) {
        if (retry)
            Q_EMIT retryRequested(it.key(), it.value());
        else
            Q_EMIT dismissRequested(it.key(), it.value());
    }
}

JournalConflicts::JournalConflicts(store::Store *store, QStatusBar *bar, QWidget *window)
    : QObject(window)
    , m_store(store)
    , m_window(window)
{
    m_button = new QToolButton(bar);
    m_button->setObjectName(QStringLiteral("journalConflictsButton"));
    m_button->setAutoRaise(true);
    m_button->setFocusPolicy(Qt::StrongFocus);
    m_button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_button->setIcon(QIcon::fromTheme(QStringLiteral("dialog-warning")));
    m_button->hide();
    bar->addPermanentWidget(m_button);
    connect(m_button, &QToolButton::clicked, this, &JournalConflicts::showDialog);

    m_action = new QAction(tr("Offline Changes Not &Applied..."), this);
    m_action->setObjectName(QStringLiteral("journalConflictsAction"));
    m_action->setEnabled(false);
    connect(m_action, &QAction::triggered, this, &JournalConflicts::showDialog);
}

QList<JournalConflictsDialog::Row> JournalConflicts::rows()
{
    QList<JournalConflictsDialog::Row> out;
    store::Journal journal(*m_store);
    for (const QString &account : std::as_const(m_accounts)) {
        for (const store::JournalEntry &e : journal.conflicts(account)) {
            QStringList subjects;
            for (const store::JournalItem &i : e.items) {
                if (subjects.size() == MaxSubjects)
                    break;
                const auto summary = m_store->summary(i.messageId);
                if (!summary)
                    continue; // deleted locally (a delete, or the sync after the server lost it)
                subjects.append(summary->subject.isEmpty() ? tr("(no subject)") : summary->subject);
            }
            QString messages = subjects.join(QStringLiteral("; "));
            if (e.items.size() > subjects.size()) {
                const int more = int(e.items.size() - subjects.size());
                messages = subjects.isEmpty() ? tr("%n message(s)", nullptr, int(e.items.size()))
                                              : tr("%1 and %n more", nullptr, more).arg(messages);
            }
            out.append({account, e, messages});
        }
    }
    return out;
}

void JournalConflicts::refresh()
{
    const QList<JournalConflictsDialog::Row> all = rows();
    m_count = all.size();
    m_button->setText(tr("%n offline change(s) could not be applied", nullptr, int(m_count)));
    m_button->setAccessibleName(m_button->text());
    m_button->setToolTip(tr("Show the changes the server could not take"));
    m_button->setVisible(m_count > 0);
    m_action->setEnabled(m_count > 0);
    if (m_dialog)
        m_dialog->setRows(all);
}

void JournalConflicts::showDialog()
{
    if (!m_dialog) {
        m_dialog = new JournalConflictsDialog(m_window);
        connect(m_dialog, &JournalConflictsDialog::dismissRequested, this, &JournalConflicts::dismissRequested);
        connect(m_dialog, &JournalConflictsDialog::retryRequested, this, &JournalConflicts::retryRequested);
    }
    m_dialog->setRows(rows());
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

} // namespace tern::ui
