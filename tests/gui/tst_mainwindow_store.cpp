// SPDX-License-Identifier: GPL-3.0-or-later
// The main window over a real profile: folders from the store, the list through the paging model, and the
// message view showing what the sender really is — and fetching nothing remote.
#include "accounts/accountstore.h"
#include "mainwindow.h"
#include "messageview.h"
#include "store/store.h"

#include <QStandardItemModel>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace tern;

class TestMainWindowStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_profile;

private slots:
    void initTestCase()
    {
        accounts::Account a;
        a.name = QStringLiteral("Lab");
        a.identities = {{QStringLiteral("Me"), QStringLiteral("me@lab.test"), QString()}};
        a.incoming = {QStringLiteral("127.0.0.1"), 995, accounts::Security::Tls, QString(), QStringLiteral("me")};
        a.smtp = {QStringLiteral("127.0.0.1"), 465, accounts::Security::Tls, QString(), QStringLiteral("me")};
        accounts::AccountStore accounts(m_profile.path());
        QVERIFY(accounts.add(a));
        QVERIFY(accounts.save());

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        store::Folder inbox;
        inbox.account = QStringLiteral("Lab");
        inbox.path = QStringLiteral("INBOX");
        const qint64 folder = store.saveFolder(inbox);
        store::MessageSummary m;
        m.uidl = QStringLiteral("u1");
        m.subject = QStringLiteral("Your account");
        m.fromName = QStringLiteral("security@bank.example");
        m.fromAddress = QStringLiteral("phish@evil.example");
        m.date = 1700000000;
        // Mailsploit-style sender: the display name claims another address (SECURITY.md D1).
        const QByteArray raw = "From: \"security@bank.example\" <phish@evil.example>\r\nTo: me@lab.test\r\n"
                               "Subject: Your account\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n\r\n"
                               "Please confirm your password.\r\n";
        QVERIFY(store.insertDownloaded(folder, m, raw) > 0);
    }

    void showsFoldersListAndTheRealSender()
    {
        ui::MainWindow window;
        QVERIFY(window.openProfile(m_profile.path()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAbstractItemModel *folders = window.folderView()->model();
        QCOMPARE(folders->index(0, 0).data().toString(), QStringLiteral("Lab"));
        const QModelIndex inbox = folders->index(0, 0, folders->index(0, 0));
        QCOMPARE(inbox.data().toString(), QStringLiteral("Inbox (1)"));

        window.folderView()->setCurrentIndex(inbox);
        QTest::mouseClick(window.folderView()->viewport(), Qt::LeftButton, {},
                          window.folderView()->visualRect(inbox).center());
        QTRY_COMPARE(window.messageListView()->model()->rowCount(), 1);
        window.messageListView()->setCurrentIndex(window.messageListView()->model()->index(0, 2));
        const QString shown = window.messageView()->toPlainText();
        QVERIFY2(shown.contains(QStringLiteral("phish@evil.example")), qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("Please confirm your password.")));
        QVERIFY(shown.contains(QStringLiteral("Your account")));
    }

    void remoteImagesAreNeverFetched()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QString url = QStringLiteral("http://127.0.0.1:%1/pixel.png").arg(server.serverPort());
        ui::MessageView view;
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showMessage(QStringLiteral("From: a@b.example\r\nSubject: pixel\r\nContent-Type: text/html\r\n\r\n"
                                        "<p>hi</p><img src='%1'><div style='background: url(%1)'>x</div>\r\n")
                             .arg(url)
                             .toUtf8());
        QTRY_VERIFY(view.blockedRemoteRequests() >= 1);
        QCoreApplication::processEvents();
        QVERIFY(!server.hasPendingConnections()); // the local server saw zero requests
    }
};

QTEST_MAIN(TestMainWindowStore)
#include "tst_mainwindow_store.moc"
