// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/messagesummary.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

class QSystemTrayIcon;

namespace tern::store {
class Store;
}

namespace tern::ui {

// Where a "new mail" notification goes. Both texts are plain text (sanitized already); an implementation
// that hands them to something parsing markup escapes them itself.
class Notifier
{
public:
    virtual ~Notifier() = default;
    virtual void notify(const QString &summary, const QString &body) = 0;
};

// The desktop's notification service (org.freedesktop.Notifications over the session bus) when there is
// one, else the tray icon's balloon, else nothing.
class DesktopNotifier : public Notifier
{
public:
    explicit DesktopNotifier(QSystemTrayIcon *tray);
    void notify(const QString &summary, const QString &body) override;

    // Notification servers may read the body as a subset of HTML (Desktop Notifications spec, "Markup"):
    // a subject like "<img src=...>" must arrive as text, not as markup.
    static QString markupBody(const QString &text) { return text.toHtmlEscaped(); }

private:
    QSystemTrayIcon *m_tray;
};

// Decides what is new mail: unread messages the store gained in the watched folders (inboxes) since the last
// look, whichever path brought them (IMAP sync, IDLE push, POP3 download). Reads only.
class NewMailNotifications : public QObject
{
    Q_OBJECT

public:
    explicit NewMailNotifications(store::Store *store, QObject *parent = nullptr);
    ~NewMailNotifications() override;

    void setNotifier(std::unique_ptr<Notifier> notifier);
    Notifier *notifier() const { return m_notifier.get(); }
    // From now on: what the store holds already is not new; folderIds are the folders watched so far.
    void reset(const QList<qint64> &folderIds = {});
    // Notifies about unread mail that arrived since the last call (or reset()) in those of folderIds that
    // were watched already then: a folder seen for the first time (an account's first sync) brings no
    // "new mail". Returns how many messages it notified about.
    int check(const QList<qint64> &folderIds);

    // One line of display text from message data: runs of control characters, line breaks and spaces become
    // one space, bidirectional overrides and other format characters go (a subject must not forge a second
    // line or reverse the sender), at most maxLength characters and an ellipsis.
    static QString plainLine(const QString &text, int maxLength = 200);
    // "Name <address>", the real address always shown (SECURITY.md D1).
    static QString sender(const store::MessageSummary &m);

private:
    store::Store *m_store;
    std::unique_ptr<Notifier> m_notifier;
    qint64 m_seen = 0;
    QList<qint64> m_known;
};

} // namespace tern::ui
