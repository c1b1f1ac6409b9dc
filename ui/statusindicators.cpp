// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusindicators.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QNetworkInformation>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>

namespace tern::ui {

namespace {

QIcon trayIconWithCount(qint64 unread)
{
    QPixmap base = QApplication::windowIcon().isNull()
                       ? QApplication::style()->standardIcon(QStyle::SP_DriveNetIcon).pixmap(32, 32)
                       : QApplication::windowIcon().pixmap(32, 32);
    if (unread <= 0)
        return QIcon(base);
    QPainter p(&base);
    p.setRenderHint(QPainter::Antialiasing);
    const QRect badge(12, 0, 20, 16);
    p.setBrush(QColor(0xd0, 0x30, 0x30));
    p.setPen(Qt::NoPen);
    p.drawRoundedRect(badge, 7, 7);
    p.setPen(Qt::white);
    QFont f = p.font();
    f.setPixelSize(11);
    f.setBold(true);
    p.setFont(f);
    p.drawText(badge, Qt::AlignCenter, unread > 99 ? QStringLiteral("99+") : QString::number(unread));
    return QIcon(base);
}

} // namespace

StatusIndicators::StatusIndicators(QStatusBar *bar, QWidget *window)
    : QObject(window)
    , m_bar(bar)
{
    m_online = new QLabel;
    m_online->setObjectName(QStringLiteral("onlineIndicator"));
    m_bar->addPermanentWidget(m_online);
    // Reachability where the platform reports it (NetworkManager on Linux); otherwise only "Work Offline".
    if (QNetworkInformation::loadDefaultBackend() && QNetworkInformation::instance()) {
        QNetworkInformation *info = QNetworkInformation::instance();
        const auto apply = [this](QNetworkInformation::Reachability r) {
            m_networkDown = r == QNetworkInformation::Reachability::Disconnected;
            updateOnline();
        };
        apply(info->reachability());
        connect(info, &QNetworkInformation::reachabilityChanged, this, apply);
    }
    updateOnline();

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(trayIconWithCount(0), this);
        m_tray->setObjectName(QStringLiteral("trayIcon"));
        m_tray->setToolTip(tr("Tern"));
        connect(m_tray, &QSystemTrayIcon::activated, this, &StatusIndicators::trayActivated);
        m_tray->show();
    }
}

void StatusIndicators::begin(const QString &account, const QString &what)
{
    end(account);
    Slot slot;
    slot.what = what;
    slot.box = new QWidget;
    slot.box->setObjectName(QStringLiteral("progress:%1").arg(account));
    auto *layout = new QHBoxLayout(slot.box);
    layout->setContentsMargins(0, 0, 0, 0);
    slot.label = new QLabel(tr("%1: %2").arg(account, what));
    slot.bar = new QProgressBar;
    slot.bar->setAccessibleName(tr("%1: %2").arg(account, what));
    slot.bar->setMaximumWidth(120);
    slot.bar->setMaximumHeight(14);
    slot.bar->setRange(0, 0); // busy until the first count
    slot.bar->setTextVisible(false);
    layout->addWidget(slot.label);
    layout->addWidget(slot.bar);
    m_bar->insertPermanentWidget(0, slot.box);
    m_progress.insert(account, slot);
}

void StatusIndicators::progress(const QString &account, int done, int total)
{
    const auto it = m_progress.find(account);
    if (it == m_progress.end() || !it->bar)
        return;
    if (total > 0) {
        it->bar->setRange(0, total);
        it->bar->setValue(done);
        it->label->setText(tr("%1: %2 (%3 of %4)").arg(account, it->what).arg(done).arg(total));
    }
}

void StatusIndicators::end(const QString &account)
{
    const Slot slot = m_progress.take(account);
    if (slot.box) {
        m_bar->removeWidget(slot.box);
        delete slot.box.data();
    }
}

QProgressBar *StatusIndicators::progressBar(const QString &account) const
{
    const auto it = m_progress.constFind(account);
    return it == m_progress.constEnd() ? nullptr : it->bar.data();
}

void StatusIndicators::setOffline(bool offline)
{
    m_offline = offline;
    updateOnline();
}

void StatusIndicators::setServersUnreachable(bool unreachable)
{
    if (m_unreachable == unreachable)
        return;
    m_unreachable = unreachable;
    updateOnline();
}

void StatusIndicators::updateOnline()
{
    const bool offline = m_offline || m_networkDown || m_unreachable;
    m_online->setText(offline ? tr("○ Offline") : tr("● Online"));
    m_online->setToolTip(m_offline       ? tr("Working offline: Tern does not connect to any server.")
                         : m_networkDown ? tr("The network is down.")
                         : m_unreachable ? tr("The mail servers cannot be reached: Tern keeps trying.")
                                         : tr("Tern connects to your servers when needed."));
    m_online->setAccessibleName(m_online->toolTip());
}

void StatusIndicators::setUnreadCount(qint64 unread)
{
    m_unread = unread;
    if (!m_tray)
        return;
    m_tray->setIcon(trayIconWithCount(unread));
    m_tray->setToolTip(unread ? tr("Tern — %n unread", nullptr, int(unread)) : tr("Tern — no unread mail"));
}

} // namespace tern::ui
