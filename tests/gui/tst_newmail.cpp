// SPDX-License-Identifier: GPL-3.0-or-later
// New-mail notifications and the unified Inbox over a real store, without any server: what counts as new
// mail, what a notification says (one line, the real sender address, no markup getting through), and one
// list over every account's inbox.
#include "windowtesting.h"
#include "foldermodel.h"
#include "models/messagelistmodel.h"
#include "newmailnotifier.h"
#include "store/folderset.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using test::Note;
using test::rowWithSubject;
using test::StubNotifier;

namespace {

qint64 addFolder(store::Store &s, const QString &account, const QString &path, const QString &role)
{
    store::Folder f;
    f.account = account;
    f.path = path;
    f.role = role;
    return s.saveFolder(f);
}

qint64 addMessage(store::Store &s, qint64 folder, const QString &uidl, const QString &subject, const QString &fromName,
                  const QString &fromAddress, qint64 date, quint32 flags = 0)
{
    store::MessageSummary m;
    m.uidl = uidl;
    m.subject = subject;
    m.fromName = fromName;
    m.fromAddress = fromAddress;
    m.date = date;
    m.flags = flags;
    return s.insertDownloaded(folder, m, "Subject: x\r\n\r\nx\r\n");
}

} // namespace

class TestNewMail : public QObject
{
    Q_OBJECT

private slots:
    void plainLineRemovesWhatCouldForgeOrHide()
    {
        using ui::NewMailNotifications;
        QCOMPARE(NewMailNotifications::plainLine(QStringLiteral("Hello\r\nBcc: x\tthere")),
                 QStringLiteral("Hello Bcc: x there"));
        // U+202E (right-to-left override) would show "gpj.exe" reversed.
        QCOMPARE(NewMailNotifications::plainLine(QStringLiteral("invoice\u202Egpj.exe")), QStringLiteral("invoicegpj.exe"));
        QCOMPARE(NewMailNotifications::plainLine(QStringLiteral("a\u0000b\u2028c")), QStringLiteral("a b c"));
        QCOMPARE(NewMailNotifications::plainLine(QString(500, QLatin1Char('x')), 10).size(), 11); // 10 + ellipsis
        QCOMPARE(ui::DesktopNotifier::markupBody(QStringLiteral("<img src=\"http://t/x\"> & <b>")),
                 QStringLiteral("&lt;img src=&quot;http://t/x&quot;&gt; &amp; &lt;b&gt;"));
    }

    void senderAlwaysShowsTheRealAddress()
    {
        store::MessageSummary m;
        m.fromName = QStringLiteral("security@bank.example");
        m.fromAddress = QStringLiteral("phish@evil.example");
        QCOMPARE(ui::NewMailNotifications::sender(m), QStringLiteral("security@bank.example <phish@evil.example>"));
        m.fromName.clear();
        QCOMPARE(ui::NewMailNotifications::sender(m), QStringLiteral("phish@evil.example"));
    }

    void notifiesOnlyNewUnreadMailInWatchedInboxes()
    {
        QTemporaryDir dir;
        store::Store s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("store.sqlite"))));
        const qint64 inbox = addFolder(s, QStringLiteral("A"), QStringLiteral("INBOX"), QStringLiteral("inbox"));
        addMessage(s, inbox, QStringLiteral("old"), QStringLiteral("Old"), {}, QStringLiteral("old@x.example"), 1);

        QList<Note> notes;
        ui::NewMailNotifications n(&s);
        n.setNotifier(std::make_unique<StubNotifier>(&notes));
        n.reset({inbox});
        QCOMPARE(n.check({inbox}), 0); // what was there before is not new
        QVERIFY(notes.isEmpty());

        addMessage(s, inbox, QStringLiteral("seen"), QStringLiteral("Read elsewhere"), {}, QStringLiteral("r@x.example"),
                   2, store::Seen);
        addMessage(s, inbox, QStringLiteral("new"), QStringLiteral("Lunch <b>today</b>?\r\n"), QStringLiteral("Bob"),
                   QStringLiteral("bob@x.example"), 3);
        QCOMPARE(n.check({inbox}), 1);
        QCOMPARE(notes.size(), 1);
        QCOMPARE(notes[0].summary, QStringLiteral("New mail from Bob <bob@x.example>"));
        QCOMPARE(notes[0].body, QStringLiteral("Lunch <b>today</b>?")); // plain text: the notifier escapes
        QCOMPARE(n.check({inbox}), 0); // once only

        // A folder seen for the first time (an account's first sync) is not new mail; after that it is.
        const qint64 other = addFolder(s, QStringLiteral("B"), QStringLiteral("INBOX"), QStringLiteral("inbox"));
        addMessage(s, other, QStringLiteral("b1"), QStringLiteral("Welcome"), {}, QStringLiteral("w@y.example"), 4);
        QCOMPARE(n.check({inbox, other}), 0);
        for (int i = 0; i < 5; ++i)
            addMessage(s, other, QStringLiteral("b-%1").arg(i), QStringLiteral("Batch %1").arg(i), {},
                       QStringLiteral("c%1@y.example").arg(i), 10 + i);
        QCOMPARE(n.check({inbox, other}), 5);
        QCOMPARE(notes.size(), 2);
        QCOMPARE(notes[1].summary, QStringLiteral("5 new message(s)"));
        const QStringList lines = notes[1].body.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4); // three newest, then how many more
        QCOMPARE(lines[0], QStringLiteral("c4@y.example: Batch 4"));
        QCOMPARE(lines[3], QStringLiteral("and 2 more"));

        // Not an inbox: never a notification.
        const qint64 lists = addFolder(s, QStringLiteral("A"), QStringLiteral("Lists"), QString());
        addMessage(s, lists, QStringLiteral("l1"), QStringLiteral("Digest"), {}, QStringLiteral("l@x.example"), 20);
        QCOMPARE(n.check({inbox, other}), 0);
        QCOMPARE(notes.size(), 2);
    }

    void unifiedInboxListsEveryInboxFromTheStore()
    {
        QTemporaryDir dir;
        store::Store s;
        QVERIFY(s.open(dir.filePath(QStringLiteral("store.sqlite"))));
        const qint64 a = addFolder(s, QStringLiteral("A"), QStringLiteral("INBOX"), QStringLiteral("inbox"));
        const qint64 b = addFolder(s, QStringLiteral("B"), QStringLiteral("INBOX"), QStringLiteral("inbox"));
        const qint64 sent = addFolder(s, QStringLiteral("A"), QStringLiteral("Sent"), QStringLiteral("sent"));
        addMessage(s, a, QStringLiteral("a1"), QStringLiteral("A oldest"), {}, QStringLiteral("a@x.example"), 100);
        addMessage(s, b, QStringLiteral("b1"), QStringLiteral("B middle"), {}, QStringLiteral("b@x.example"), 200);
        addMessage(s, a, QStringLiteral("a2"), QStringLiteral("A newest"), {}, QStringLiteral("a@x.example"), 300);
        addMessage(s, sent, QStringLiteral("s1"), QStringLiteral("Sent one"), {}, QStringLiteral("me@x.example"), 400);

        QList<qint64> inboxIds;
        for (const store::Folder &f : store::inboxes(s))
            inboxIds.append(f.id);
        QCOMPARE(inboxIds, (QList<qint64>{a, b}));

        ui::FolderModel folders;
        folders.setUnifiedInbox({a}, 1);
        QVERIFY(!folders.unifiedInboxIndex().isValid()); // one inbox: nothing to unify
        folders.setUnifiedInbox(inboxIds, 3);
        const QModelIndex unified = folders.unifiedInboxIndex();
        QCOMPARE(unified.row(), 0);
        QVERIFY(ui::FolderModel::isUnifiedInbox(unified));
        QCOMPARE(unified.data().toString(), QStringLiteral("All Inboxes (3)"));
        QCOMPARE(unified.data(ui::FolderModel::FolderIdRole).toLongLong(), 0); // no drops onto it
        folders.setUnifiedInbox(inboxIds, 0);
        QCOMPARE(folders.rowCount(), 1); // updated in place
        QCOMPARE(folders.unifiedInboxIndex().data().toString(), QStringLiteral("All Inboxes"));

        models::MessageListModel list(&s);
        list.setFolders(folders.unifiedInboxFolders());
        QCOMPARE(list.rowCount(), 3);
        const auto subject = [&](int row) {
            return list.index(row, models::MessageListModel::SubjectColumn).data().toString();
        };
        QCOMPARE(subject(0), QStringLiteral("A newest"));
        QCOMPARE(subject(1), QStringLiteral("B middle"));
        QCOMPARE(subject(2), QStringLiteral("A oldest"));
        list.sort(models::MessageListModel::DateColumn, Qt::AscendingOrder);
        QCOMPARE(subject(0), QStringLiteral("A oldest"));
        QCOMPARE(list.rowOf(list.index(2, 0).data(models::MessageListModel::MessageIdRole).toLongLong()), 2);
    }
};

QTEST_MAIN(TestNewMail)
#include "tst_newmail.moc"
