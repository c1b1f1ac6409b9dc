// SPDX-License-Identifier: GPL-3.0-or-later
// Threads from the store: by In-Reply-To, by the nearest References id present, by threadKey; a reference
// loop (a forged or broken header) never makes a cycle; MessageOperations moves and marks in the store.
#include "models/messagelistmodel.h"
#include "models/messageoperations.h"
#include "models/threadlistmodel.h"
#include "store/store.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using models::MessageListModel;
using models::ThreadListModel;

class TestThreadListModel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    store::Store m_store;
    qint64 m_folder = 0;
    int m_uid = 0;

    qint64 add(const QString &subject, qint64 date, const QString &id, const QString &inReplyTo = {},
               const QString &references = {}, const QString &threadKey = {})
    {
        store::MessageSummary m;
        m.uid = ++m_uid;
        m.subject = subject;
        m.date = date;
        m.messageId = id;
        m.inReplyTo = inReplyTo;
        m.references = references;
        m.threadKey = threadKey;
        return m_store.insertSummaries(m_folder, std::span<const store::MessageSummary>(&m, 1));
    }

    static QModelIndex find(const ThreadListModel &model, const QString &subject, const QModelIndex &parent = {})
    {
        for (int r = 0; r < model.rowCount(parent); ++r) {
            const QModelIndex i = model.index(r, MessageListModel::SubjectColumn, parent);
            if (i.data().toString() == subject)
                return i;
            if (const QModelIndex deeper = find(model, subject, model.index(r, 0, parent)); deeper.isValid())
                return deeper;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_store.open(m_dir.filePath(QStringLiteral("store.sqlite"))));
        store::Folder f;
        f.account = QStringLiteral("a");
        f.path = QStringLiteral("INBOX");
        m_folder = m_store.saveFolder(f);
        QVERIFY(m_folder > 0);
        QVERIFY(add(QStringLiteral("root"), 100, QStringLiteral("<r@x>")));
        QVERIFY(add(QStringLiteral("reply"), 200, QStringLiteral("<a@x>"), QStringLiteral("<r@x>")));
        // Only References, naming an unknown message first and the reply last: nearest present wins.
        QVERIFY(add(QStringLiteral("reply to reply"), 300, QStringLiteral("<b@x>"), {},
                    QStringLiteral("<r@x> <missing@x> <a@x>")));
        QVERIFY(add(QStringLiteral("gmail first"), 150, QStringLiteral("<g1@x>"), {}, {}, QStringLiteral("thr-1")));
        QVERIFY(add(QStringLiteral("gmail second"), 400, QStringLiteral("<g2@x>"), {}, {}, QStringLiteral("thr-1")));
        // A loop: each claims to answer the other.
        QVERIFY(add(QStringLiteral("loop one"), 500, QStringLiteral("<l1@x>"), QStringLiteral("<l2@x>")));
        QVERIFY(add(QStringLiteral("loop two"), 600, QStringLiteral("<l2@x>"), QStringLiteral("<l1@x>")));
        QVERIFY(add(QStringLiteral("alone"), 50, QStringLiteral("bare@x")));
    }

    void threads()
    {
        ThreadListModel model(&m_store);
        model.setFolder(m_folder);
        const QModelIndex root = find(model, QStringLiteral("root"));
        QVERIFY(root.isValid());
        QVERIFY(!root.parent().isValid());
        const QModelIndex reply = find(model, QStringLiteral("reply"));
        QCOMPARE(reply.parent().siblingAtColumn(MessageListModel::SubjectColumn).data().toString(), QStringLiteral("root"));
        const QModelIndex deeper = find(model, QStringLiteral("reply to reply"));
        QCOMPARE(deeper.parent().siblingAtColumn(MessageListModel::SubjectColumn).data().toString(), QStringLiteral("reply"));
        const QModelIndex second = find(model, QStringLiteral("gmail second"));
        QCOMPARE(second.parent().siblingAtColumn(MessageListModel::SubjectColumn).data().toString(),
                 QStringLiteral("gmail first"));
        // The loop: both shown, one of them the root and the other under it — never a cycle.
        const QModelIndex one = find(model, QStringLiteral("loop one"));
        const QModelIndex two = find(model, QStringLiteral("loop two"));
        QVERIFY(one.isValid() && two.isValid());
        QVERIFY(!one.parent().isValid() != !two.parent().isValid());
        const QModelIndex loopRoot = one.parent().isValid() ? two : one;
        QCOMPARE(model.rowCount(loopRoot.siblingAtColumn(0)), 1);
        // Roots: newest activity first (loop 600, gmail 400, root thread 300, alone 50).
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), loopRoot.data().toString());
        QCOMPARE(model.index(1, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("gmail first"));
        QCOMPARE(model.index(2, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("root"));
        QCOMPARE(model.index(3, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("alone"));
    }

    void operationsChangeTheStoreAndSaySo()
    {
        models::MessageOperations ops(&m_store);
        const QList<qint64> ids = m_store.messageIds(m_folder);
        QSignalSpy flags(&ops, &models::MessageOperations::flagsChanged);
        QSignalSpy moved(&ops, &models::MessageOperations::messagesMoved);
        QVERIFY(ops.setRead({ids[0], ids[1]}, true));
        QVERIFY(m_store.summary(ids[0])->flags & store::Seen);
        QVERIFY(ops.setFlagged({ids[0]}, true));
        QVERIFY(m_store.summary(ids[0])->flags & store::Seen); // flagging keeps the other flags
        QVERIFY(m_store.summary(ids[0])->flags & store::Flagged);
        QCOMPARE(flags.size(), 2);
        store::Folder other;
        other.account = QStringLiteral("a");
        other.path = QStringLiteral("Archive");
        const qint64 archive = m_store.saveFolder(other);
        QVERIFY(ops.move({ids[0], ids[1]}, archive));
        QCOMPARE(m_store.messageCount(archive), 2);
        QCOMPARE(moved.size(), 1);
        // No Trash in this account: remove deletes for good.
        QVERIFY(ops.remove({ids[0]}, *m_store.folder(QStringLiteral("a"), QStringLiteral("Archive"))));
        QCOMPARE(m_store.messageCount(archive), 1);
        QVERIFY(!m_store.summary(ids[0]));
    }
};

QTEST_GUILESS_MAIN(TestThreadListModel)
#include "tst_threadlistmodel.moc"
