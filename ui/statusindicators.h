// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

class QAction;
class QLabel;
class QProgressBar;
class QStatusBar;
class QSystemTrayIcon;
class QWidget;

namespace tern::ui {

// The status bar's permanent widgets and the tray icon: one progress bar per account while a long operation
// runs ("alice: downloading 3 of 12"), the online/offline indicator, and the unread count in the tray.
class StatusIndicators : public QObject
{
    Q_OBJECT

public:
    StatusIndicators(QStatusBar *bar, QWidget *window);

    // Long operations, one slot per account: a second operation for the same account replaces the first's.
    void begin(const QString &account, const QString &what);
    void progress(const QString &account, int done, int total);
    void end(const QString &account);
    bool isBusy(const QString &account) const { return m_progress.contains(account); }
    QProgressBar *progressBar(const QString &account) const;

    void setOffline(bool offline);
    bool isOffline() const { return m_offline; } // Work Offline: the user's choice
    // Every push connection is lost to the network and waiting to come back: shown as offline too.
    void setServersUnreachable(bool unreachable);
    QLabel *onlineLabel() const { return m_online; }

    void setUnreadCount(qint64 unread);
    qint64 unreadCount() const { return m_unread; }
    QSystemTrayIcon *trayIcon() const { return m_tray; } // null without a system tray

Q_SIGNALS:
    void trayActivated();

private:
    struct Slot
    {
        QPointer<QWidget> box;
        QPointer<QLabel> label;
        QPointer<QProgressBar> bar;
        QString what;
    };
    void updateOnline();

    QStatusBar *m_bar;
    QHash<QString, Slot> m_progress;
    QLabel *m_online = nullptr;
    bool m_offline = false;
    bool m_networkDown = false;
    bool m_unreachable = false;
    qint64 m_unread = 0;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace tern::ui
