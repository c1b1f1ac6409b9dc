// SPDX-License-Identifier: GPL-3.0-or-later
#include "foldertree.h"

#include "foldermodel.h"

#include <QApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>
#include <QStandardItem>

#include <algorithm>

namespace tern::ui {

namespace {

// Where each role sorts among an account's folders; ordinary folders come after all of them.
int roleRank(const QString &role)
{
    static const QStringList order = {QStringLiteral("inbox"), QStringLiteral("drafts"), QStringLiteral("sent"),
                                      QStringLiteral("archive"), QStringLiteral("junk"), QStringLiteral("trash")};
    const qsizetype rank = order.indexOf(role);
    return rank < 0 ? int(order.size()) : int(rank);
}

// Icon names from the freedesktop naming and the common themes (Breeze, Adwaita), tried in turn.
QStringList themeNames(const QString &role)
{
    if (role == QLatin1StringView("inbox"))
        return {QStringLiteral("mail-folder-inbox")};
    if (role == QLatin1StringView("sent"))
        return {QStringLiteral("mail-folder-sent"), QStringLiteral("mail-send")};
    if (role == QLatin1StringView("drafts"))
        return {QStringLiteral("mail-folder-drafts"), QStringLiteral("document-edit")};
    if (role == QLatin1StringView("trash"))
        return {QStringLiteral("user-trash")};
    if (role == QLatin1StringView("junk"))
        return {QStringLiteral("mail-mark-junk")};
    if (role == QLatin1StringView("archive"))
        return {QStringLiteral("mail-folder-archive"), QStringLiteral("folder-documents")};
    return {QStringLiteral("folder-mail"), QStringLiteral("folder")};
}

// The role's mark, drawn in a unit square (0..1) over the folder shape.
void drawEmblem(QPainter &p, const QString &role)
{
    if (role == QLatin1StringView("inbox")) { // an arrow down into a tray
        p.drawLine(QPointF(0.5, 0.38), QPointF(0.5, 0.72));
        p.drawPolyline(QList<QPointF>{{0.38, 0.6}, {0.5, 0.72}, {0.62, 0.6}});
    } else if (role == QLatin1StringView("sent")) { // an arrow leaving to the right
        p.drawLine(QPointF(0.3, 0.58), QPointF(0.7, 0.58));
        p.drawPolyline(QList<QPointF>{{0.58, 0.46}, {0.7, 0.58}, {0.58, 0.7}});
    } else if (role == QLatin1StringView("drafts")) { // a pen stroke
        p.drawLine(QPointF(0.34, 0.76), QPointF(0.66, 0.44));
        p.drawLine(QPointF(0.3, 0.8), QPointF(0.34, 0.76));
    } else if (role == QLatin1StringView("trash")) { // a bin
        p.drawLine(QPointF(0.34, 0.44), QPointF(0.66, 0.44));
        p.drawPolyline(QList<QPointF>{{0.38, 0.44}, {0.41, 0.78}, {0.59, 0.78}, {0.62, 0.44}});
    } else if (role == QLatin1StringView("junk")) { // a cross
        p.drawLine(QPointF(0.38, 0.46), QPointF(0.62, 0.74));
        p.drawLine(QPointF(0.62, 0.46), QPointF(0.38, 0.74));
    } else if (role == QLatin1StringView("archive")) { // a box with a lid
        p.drawRect(QRectF(0.34, 0.5, 0.32, 0.26));
        p.drawLine(QPointF(0.3, 0.44), QPointF(0.7, 0.44));
    }
}

QPixmap drawnFolder(const QString &role, int size, const QPalette &palette)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size, size);
    // The folder: a tab on the left, then the body; filled with the highlight colour, lightened, so it reads
    // on light and dark palettes.
    QPainterPath folder;
    folder.moveTo(0.08, 0.22);
    folder.lineTo(0.4, 0.22);
    folder.lineTo(0.48, 0.3);
    folder.lineTo(0.92, 0.3);
    folder.lineTo(0.92, 0.86);
    folder.lineTo(0.08, 0.86);
    folder.closeSubpath();
    const QColor accent = palette.color(QPalette::Highlight);
    p.setPen(QPen(accent.darker(130), 1.0 / size));
    p.setBrush(accent.lighter(150));
    p.drawPath(folder);
    p.setPen(QPen(palette.color(QPalette::Base).value() > 128 ? QColor(40, 40, 40) : QColor(240, 240, 240),
                  size <= 16 ? 1.6 / size : 2.4 / size, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    drawEmblem(p, role);
    return pixmap;
}

} // namespace

QIcon folderIcon(const QString &role)
{
    for (const QString &name : themeNames(role)) {
        if (QIcon::hasThemeIcon(name))
            return QIcon::fromTheme(name);
    }
    static QHash<QString, QIcon> drawn; // GUI thread only, like every widget
    auto it = drawn.find(role);
    if (it == drawn.end()) {
        QIcon icon;
        const QPalette palette = QApplication::palette();
        for (int size : {16, 22, 32, 48})
            icon.addPixmap(drawnFolder(role, size, palette));
        it = drawn.insert(role, icon);
    }
    return *it;
}

qint64 appendFolderTree(QStandardItem *account, const QList<store::Folder> &folders,
                        const std::function<qint64(qint64 folderId)> &unreadCount)
{
    QList<store::Folder> sorted = folders;
    std::stable_sort(sorted.begin(), sorted.end(), [](const store::Folder &a, const store::Folder &b) {
        const int ra = roleRank(a.role), rb = roleRank(b.role);
        if (ra != rb)
            return ra < rb;
        return a.path.compare(b.path, Qt::CaseInsensitive) < 0;
    });

    qint64 total = 0;
    QHash<QString, QStandardItem *> byPath; // every item made so far, real or placeholder parent
    // The item a folder at this path hangs under, making placeholder parents as needed.
    std::function<QStandardItem *(const QString &, const QString &)> parentFor =
        [&](const QString &path, const QString &delimiter) -> QStandardItem * {
        const qsizetype cut = delimiter.isEmpty() ? -1 : path.lastIndexOf(delimiter);
        if (cut <= 0)
            return account;
        const QString parentPath = path.left(cut);
        if (QStandardItem *existing = byPath.value(parentPath))
            return existing;
        const QString name = parentPath.mid(parentPath.lastIndexOf(delimiter) + delimiter.size());
        auto *placeholder = new QStandardItem(folderIcon({}), name);
        placeholder->setEditable(false);
        placeholder->setData(0, FolderModel::FolderIdRole);
        placeholder->setData(name, FolderModel::FolderNameRole);
        parentFor(parentPath, delimiter)->appendRow(placeholder);
        byPath.insert(parentPath, placeholder);
        return placeholder;
    };

    for (const store::Folder &f : std::as_const(sorted)) {
        const qint64 unread = unreadCount(f.id);
        total += unread;
        const bool inbox = f.path.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0;
        const qsizetype cut = f.delimiter.isEmpty() ? -1 : f.path.lastIndexOf(f.delimiter);
        const QString name = inbox ? QApplication::translate("tern::ui::MainWindow", "Inbox")
                                   : f.path.mid(cut < 0 ? 0 : cut + f.delimiter.size());
        QStandardItem *item = byPath.value(f.path);
        if (!item) { // a placeholder made for a child that sorted first becomes the real folder
            item = new QStandardItem;
            item->setEditable(false);
            parentFor(f.path, f.delimiter)->appendRow(item);
            byPath.insert(f.path, item);
        }
        item->setIcon(folderIcon(inbox ? QStringLiteral("inbox") : f.role));
        item->setText(unread ? QStringLiteral("%1 (%2)").arg(name).arg(unread) : name);
        item->setData(f.id, FolderModel::FolderIdRole);
        item->setData(f.account, FolderModel::AccountRole);
        item->setData(f.path, FolderModel::FolderPathRole);
        item->setData(name, FolderModel::FolderNameRole);
        item->setToolTip(f.path);
        item->setAccessibleText(
            QApplication::translate("tern::ui::MainWindow", "%1, %n unread", nullptr, int(unread)).arg(name));
        QFont font = item->font();
        font.setBold(unread > 0);
        item->setFont(font);
    }
    return total;
}

} // namespace tern::ui
