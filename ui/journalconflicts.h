// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/journal.h"

#include <QDialog>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

class QAction;
class QPushButton;
class QStatusBar;
class QToolButton;
class QTreeWidget;

namespace tern::store {
class Store;
}

namespace tern::ui {

// The offline changes the server could not take (store/journal.h conflicts, issue 6), listed for the user:
// what the change was, on which messages and folder, and why it failed. Dismiss forgets a change (the next
// sync brings back the server's state); Retry puts it back in the journal for the next replay. The dialog only
// asks: the window does the writes off the GUI thread (AccountOperations::resolveConflicts()).
class JournalConflictsDialog : public QDialog
{
    Q_OBJECT

public:
    struct Row
    {
        QString account;
        store::JournalEntry entry;
        QString messages; // the subjects the store still knows, for the user to recognise the change
    };

    explicit JournalConflictsDialog(QWidget *parent = nullptr);

    void setRows(const QList<Row> &rows);
    QTreeWidget *list() const { return m_list; }
    QPushButton *dismissButton() const { return m_dismiss; }
    QPushButton *retryButton() const { return m_retry; }

    // The change as the user made it: "Flag", "Move to Archive", ...
    static QString describe(const store::JournalEntry &entry);

Q_SIGNALS:
    // One signal per account, for the rows selected (or every row, from Dismiss All).
    void dismissRequested(const QString &account, const QList<qint64> &entryIds);
    void retryRequested(const QString &account, const QList<qint64> &entryIds);

private:
    void request(bool retry, bool all);
    void updateButtons();

    QTreeWidget *m_list = nullptr;
    QPushButton *m_dismiss = nullptr;
    QPushButton *m_dismissAll = nullptr;
    QPushButton *m_retry = nullptr;
};

// The status bar's "N offline changes could not be applied" button (hidden at zero), a View menu action
// doing the same for the keyboard, and the dialog they open. refresh() re-reads the store (a read: the
// GUI thread's connection); the window calls it after each replay, sync and resolution.
class JournalConflicts : public QObject
{
    Q_OBJECT

public:
    JournalConflicts(store::Store *store, QStatusBar *bar, QWidget *window);

    void setAccounts(const QStringList &accounts) { m_accounts = accounts; }
    void refresh();
    qint64 count() const { return m_count; }
    QToolButton *button() const { return m_button; }
    QAction *action() const { return m_action; }
    JournalConflictsDialog *dialog() const { return m_dialog; } // null until first shown
    void showDialog();

Q_SIGNALS:
    void dismissRequested(const QString &account, const QList<qint64> &entryIds);
    void retryRequested(const QString &account, const QList<qint64> &entryIds);

private:
    QList<JournalConflictsDialog::Row> rows();

    store::Store *m_store;
    QWidget *m_window;
    QStringList m_accounts;
    QToolButton *m_button = nullptr;
    QAction *m_action = nullptr;
    QPointer<JournalConflictsDialog> m_dialog;
    qint64 m_count = 0;
};

} // namespace tern::ui
