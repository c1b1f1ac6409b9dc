// SPDX-License-Identifier: GPL-3.0-or-later
// The folder tree under an account: special-use folders first in the order users know, the rest by name,
// nested by the server's delimiter, a parent the store does not hold shown without an id, a role icon each.
#include "foldermodel.h"
#include "foldertree.h"

#include <QStandardItemModel>
#include <QTest>

using namespace tern;

namespace {

store::Folder folder(qint64 id, const QString &path, const QString &role = {}, const QString &delimiter = QStringLiteral("/"))
{
    store::Folder f;
    f.id = id;
    f.account = QStringLiteral("alice");
    f.path = path;
    f.role = role;
    f.delimiter = delimiter;
    return f;
}

QStringList childNames(const QStandardItem *parent)
{
    QStringList names;
    for (int row = 0; row < parent->rowCount(); ++row)
        names << parent->child(row)->data(ui::FolderModel::FolderNameRole).toString();
    return names;
}

} // namespace

class TestFolderTree : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void specialUseFirstThenByName()
    {
        ui::FolderModel model;
        auto *account = new QStandardItem(QStringLiteral("alice"));
        model.appendRow(account);
        // As LIST returns them: alphabetical, the roles scattered.
        const QList<store::Folder> folders = {folder(1, QStringLiteral("Archive"), QStringLiteral("archive")),
                                              folder(2, QStringLiteral("Bills")),
                                              folder(3, QStringLiteral("Drafts"), QStringLiteral("drafts")),
                                              folder(4, QStringLiteral("INBOX"), QStringLiteral("inbox")),
                                              folder(5, QStringLiteral("Junk"), QStringLiteral("junk")),
                                              folder(6, QStringLiteral("Sent"), QStringLiteral("sent")),
                                              folder(7, QStringLiteral("Trash"), QStringLiteral("trash")),
                                              folder(8, QStringLiteral("accounts"))};
        const QHash<qint64, qint64> unread = {{4, 3}, {2, 1}};
        const qint64 total = ui::appendFolderTree(account, folders, [&](qint64 id) { return unread.value(id); });

        QCOMPARE(total, 4);
        QCOMPARE(childNames(account), (QStringList{QStringLiteral("Inbox"), QStringLiteral("Drafts"),
                                                   QStringLiteral("Sent"), QStringLiteral("Archive"),
                                                   QStringLiteral("Junk"), QStringLiteral("Trash"),
                                                   QStringLiteral("accounts"), QStringLiteral("Bills")}));
        const QStandardItem *inbox = account->child(0);
        QCOMPARE(inbox->data(ui::FolderModel::FolderIdRole).toLongLong(), 4);
        QCOMPARE(inbox->text(), QStringLiteral("Inbox (3)"));
        QVERIFY(inbox->font().bold());
        QVERIFY(!account->child(1)->font().bold());
        for (int row = 0; row < account->rowCount(); ++row)
            QVERIFY2(!account->child(row)->icon().isNull(), qPrintable(account->child(row)->text()));
        // Each role looks different from an ordinary folder.
        const QImage plain = ui::folderIcon({}).pixmap(16, 16).toImage();
        for (const char *role : {"inbox", "drafts", "sent", "archive", "junk", "trash"})
            QVERIFY2(ui::folderIcon(QString::fromLatin1(role)).pixmap(16, 16).toImage() != plain, role);
    }

    void nestedByTheDelimiterWithPlaceholderParents()
    {
        ui::FolderModel model;
        auto *account = new QStandardItem(QStringLiteral("alice"));
        model.appendRow(account);
        // "Lists" is \Noselect on the server, so the store holds only its children; "INBOX.Work" nests under
        // the Inbox on a server whose delimiter is a dot.
        const QList<store::Folder> folders = {folder(1, QStringLiteral("INBOX"), QStringLiteral("inbox"), QStringLiteral(".")),
                                              folder(2, QStringLiteral("INBOX.Work"), {}, QStringLiteral(".")),
                                              folder(3, QStringLiteral("Lists.qt.devel"), {}, QStringLiteral(".")),
                                              folder(4, QStringLiteral("Lists.debian"), {}, QStringLiteral("."))};
        ui::appendFolderTree(account, folders, [](qint64) { return 0; });

        QCOMPARE(childNames(account), (QStringList{QStringLiteral("Inbox"), QStringLiteral("Lists")}));
        const QStandardItem *inbox = account->child(0);
        QCOMPARE(childNames(inbox), QStringList{QStringLiteral("Work")});
        QCOMPARE(inbox->child(0)->data(ui::FolderModel::FolderIdRole).toLongLong(), 2);
        QCOMPARE(inbox->child(0)->data(ui::FolderModel::FolderPathRole).toString(), QStringLiteral("INBOX.Work"));

        const QStandardItem *lists = account->child(1);
        QCOMPARE(lists->text(), QStringLiteral("Lists"));
        QCOMPARE(lists->data(ui::FolderModel::FolderIdRole).toLongLong(), 0); // selects nothing, takes no drop
        QCOMPARE(childNames(lists), (QStringList{QStringLiteral("debian"), QStringLiteral("qt")}));
        const QStandardItem *qt = lists->child(1);
        QCOMPARE(qt->data(ui::FolderModel::FolderIdRole).toLongLong(), 0);
        QCOMPARE(childNames(qt), QStringList{QStringLiteral("devel")});
        QCOMPARE(model.indexOfFolder(3).data(ui::FolderModel::FolderPathRole).toString(), QStringLiteral("Lists.qt.devel"));
    }

    void aParentListedAfterItsChildBecomesTheRealFolder()
    {
        ui::FolderModel model;
        auto *account = new QStandardItem(QStringLiteral("alice"));
        model.appendRow(account);
        // A special-use child sorts before its ordinary parent, so the parent is first made as a placeholder.
        const QList<store::Folder> folders = {folder(1, QStringLiteral("Projects")),
                                              folder(2, QStringLiteral("Projects/Sent"), QStringLiteral("sent"))};
        ui::appendFolderTree(account, folders, [](qint64) { return 0; });

        QCOMPARE(account->rowCount(), 1);
        const QStandardItem *projects = account->child(0);
        QCOMPARE(projects->data(ui::FolderModel::FolderIdRole).toLongLong(), 1);
        QCOMPARE(childNames(projects), QStringList{QStringLiteral("Sent")});
    }
};

QTEST_MAIN(TestFolderTree)
#include "tst_foldertree.moc"
