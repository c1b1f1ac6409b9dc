// SPDX-License-Identifier: GPL-3.0-or-later
#include "newmailnotifier.h"

#include "store/folderset.h"
#include "store/store.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QSystemTrayIcon>
#include <QVariantMap>

namespace tern::ui {

namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");

// Whether a notification service answers on the session bus, and whether it parses markup: asked once.
struct Bus
{
    bool available = false;
    bool markup = false;
};

Bus probeBus()
{
    Bus bus;
    QDBusConnection session = QDBusConnection::sessionBus();
    if (!session.isConnected() || !session.interface())
        return bus;
    QDBusConnectionInterface *names = session.interface();
    // A daemon may be started on demand: activatable counts as present.
    bus.available = names->isServiceRegistered(kService).value()
                    || names->activatableServiceNames().value().contains(kService);
    if (!bus.available)
        return bus;
    const QDBusReply<QStringList> caps = session.call(
        QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("GetCapabilities")), QDBus::Block, 2000);
    bus.markup = caps.isValid() && caps.value().contains(QStringLiteral("body-markup"));
    return bus;
}

} // namespace

DesktopNotifier::DesktopNotifier(QSystemTrayIcon *tray)
    : m_tray(tray)
{
}

void DesktopNotifier::notify(const QString &summary, const QString &body)
{
    static const Bus bus = probeBus();
    if (bus.available) {
        // Desktop Notifications spec 1.2, Notify(app_name, replaces_id, app_icon, summary, body, actions,
        // hints, expire_timeout). Servers that parse markup do so in the body and, for some, the summary.
        QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kService, QStringLiteral("Notify"));
        call << QStringLiteral("Tern") << 0u << QStringLiteral("mail-unread")
             << (bus.markup ? markupBody(summary) : summary) << (bus.markup ? markupBody(body) : body) << QStringList()
             << QVariantMap{{QStringLiteral("category"), QStringLiteral("email.arrived")}} << -1;
        QDBusConnection::sessionBus().asyncCall(call); // never wait for the desktop on the GUI thread
        return;
    }
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(summary, body, QSystemTrayIcon::Information);
}

NewMailNotifications::NewMailNotifications(store::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

NewMailNotifications::~NewMailNotifications() = default;

void NewMailNotifications::setNotifier(std::unique_ptr<Notifier> notifier)
{
    m_notifier = std::move(notifier);
}

void NewMailNotifications::reset(const QList<qint64> &folderIds)
{
    m_seen = store::lastMessageId(*m_store);
    m_known = folderIds;
}

int NewMailNotifications::check(const QList<qint64> &folderIds)
{
    // Read the high-water mark first: a message a sync thread inserts meanwhile is counted next time.
    // Message ids grow, but SQLite may reuse the highest one after it is deleted: moving the mark down to
    // the current maximum keeps such a message from being missed.
    const qint64 last = store::lastMessageId(*m_store);
    QList<qint64> watched;
    for (qint64 id : folderIds) {
        if (m_known.contains(id))
            watched.append(id);
    }
    QList<qint64> ids = store::unreadSince(*m_store, watched, m_seen, 1000);
    m_seen = last;
    m_known = folderIds;
    ids.removeIf([last](qint64 id) { return id > last; });
    if (ids.isEmpty() || !m_notifier)
        return int(ids.size());

    const qsizetype shown = std::min<qsizetype>(ids.size(), 3);
    const QList<store::MessageSummary> messages = m_store->summariesByIds(std::span(ids).last(size_t(shown)));
    if (messages.isEmpty())
        return 0;
    const auto subject = [](const store::MessageSummary &m) {
        const QString s = plainLine(m.subject);
        return s.isEmpty() ? tr("(no subject)") : s;
    };
    if (ids.size() == 1) {
        m_notifier->notify(tr("New mail from %1").arg(sender(messages.first())), subject(messages.first()));
    } else {
        QStringList lines;
        for (auto it = messages.crbegin(); it != messages.crend(); ++it) // newest first
            lines.append(tr("%1: %2").arg(sender(*it), subject(*it)));
        if (ids.size() > messages.size())
            lines.append(tr("and %n more", nullptr, int(ids.size() - messages.size())));
        m_notifier->notify(tr("%n new message(s)", nullptr, int(ids.size())), lines.join(QLatin1Char('\n')));
    }
    return int(ids.size());
}

QString NewMailNotifications::plainLine(const QString &text, int maxLength)
{
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxLength));
    bool space = false;
    for (const QChar c : text) {
        const bool isBreak = c.category() == QChar::Other_Control || c == QChar::LineSeparator
                             || c == QChar::ParagraphSeparator;
        // Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), and other
        // format characters: invisible, and able to reorder what the user reads.
        const bool format = c.category() == QChar::Other_Format;
        if (isBreak || c.isSpace()) {
            space = !out.isEmpty();
            continue;
        }
        if (format)
            continue;
        if (space)
            out.append(QLatin1Char(' '));
        space = false;
        out.append(c);
        if (out.size() >= maxLength) {
            out.append(QChar(0x2026));
            break;
        }
    }
    return out;
}

QString NewMailNotifications::sender(const store::MessageSummary &m)
{
    const QString address = plainLine(m.fromAddress, 120);
    const QString name = plainLine(m.fromName, 80);
    if (name.isEmpty() || name.compare(address, Qt::CaseInsensitive) == 0)
        return address;
    return tr("%1 <%2>").arg(name, address);
}

} // namespace tern::ui
