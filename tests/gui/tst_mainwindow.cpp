// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "messageview.h"

#include <QMenuBar>
#include <QSplitter>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using tern::ui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsThreePanes()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.isVisible());

        // folders | (message list over message)
        for (QWidget *pane : {static_cast<QWidget *>(window.folderView()),
                              static_cast<QWidget *>(window.messageListView()),
                              static_cast<QWidget *>(window.messageView())}) {
            QVERIFY(pane->isVisible());
            QVERIFY(pane->width() > 0 && pane->height() > 0);
            QVERIFY2(!pane->accessibleName().isEmpty(), qPrintable(pane->objectName()));
        }
        QVERIFY(window.folderView()->geometry().right() < window.messageListView()->mapTo(&window, QPoint(0, 0)).x());
        QVERIFY(window.messageListView()->mapTo(&window, QPoint(0, 0)).y()
                < window.messageView()->mapTo(&window, QPoint(0, 0)).y());
    }

    void hasTheMenus()
    {
        MainWindow window;
        QStringList titles;
        for (QAction *action : window.menuBar()->actions())
            titles << action->text().remove(QLatin1Char('&'));
        QCOMPARE(titles, (QStringList{QStringLiteral("File"), QStringLiteral("Edit"), QStringLiteral("View"),
                                      QStringLiteral("Message"), QStringLiteral("Help")}));
    }

    void listsAccounts()
    {
        MainWindow window;
        window.setAccountNames({QStringLiteral("Work"), QStringLiteral("Home")});
        QAbstractItemModel *model = window.folderView()->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(1, 0).data().toString(), QStringLiteral("Home"));
        QCOMPARE(model->rowCount(model->index(0, 0)), 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
