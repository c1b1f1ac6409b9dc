// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messagelistmodel.h"
#include "store/store.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using tern::models::MessageListModel;

class TestMessageListModel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    store::Store m_store;
    qint64 m_folder = 0;
    static constexpr int kCount = 1000;

private slots:
    void initTestCase()
    {
        QVERIFY(m_store.open(m_dir.filePath(QStringLiteral("s.sqlite"))));
        store::Folder f;
        f.account = QStringLiteral("A");
        f.path = QStringLiteral("INBOX");
        m_folder = m_store.saveFolder(f);
        QList<store::MessageSummary> batch;
        for (int i = 1; i <= kCount; ++i) {
            store::MessageSummary m;
            m.uid = i;
            // Dates rise with the UID; subjects run the other way so the two sorts differ.
            m.date = 1'700'000'000 + i * 60;
            m.subject = QStringLiteral("subject %1").arg(kCount - i, 4, 10, QLatin1Char('0'));
            m.fromName = QStringLiteral("Sender %1").arg(i % 7);
            m.fromAddress = QStringLiteral("s%1@example.org").arg(i % 7);
            m.size = i;
            m.flags = (i % 3 == 0) ? store::Seen : 0;
            batch.append(m);
        }
        QCOMPARE(m_store.insertSummaries(m_folder, batch), qint64(kCount));
    }

    void passesQtsModelTester()
    {
        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFolder(m_folder);
        model.sort(MessageListModel::SubjectColumn, Qt::AscendingOrder);
    }

    void newestFirstByDefaultAndEveryRowReadable()
    {
        MessageListModel model(&m_store);
        model.setFolder(m_folder);
        QCOMPARE(model.rowCount(), kCount);
        QCOMPARE(model.index(0, MessageListModel::SizeColumn).data(Qt::DisplayRole).toString(),
                 QLocale().formattedDataSize(kCount));
        // Walk every row top to bottom and back: pages come and go, values stay right.
        for (int row = 0; row < kCount; ++row) {
            const int uid = kCount - row;
            QCOMPARE(model.index(row, MessageListModel::SubjectColumn).data().toString(),
                     QStringLiteral("subject %1").arg(kCount - uid, 4, 10, QLatin1Char('0')));
            QCOMPARE(model.index(row, 0).data(MessageListModel::UnreadRole).toBool(), uid % 3 != 0);
        }
        QCOMPARE(model.index(kCount - 1, MessageListModel::CorrespondentColumn).data().toString(),
                 QStringLiteral("Sender 1"));
        QCOMPARE(model.index(kCount - 1, MessageListModel::CorrespondentColumn).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Sender 1 <s1@example.org>"));
    }

    void sortsBySubjectAndSize()
    {
        MessageListModel model(&m_store);
        model.setFolder(m_folder);
        model.sort(MessageListModel::SubjectColumn, Qt::AscendingOrder);
        QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("subject 0000"));
        model.sort(MessageListModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("subject 0000"));
        QCOMPARE(model.index(kCount - 1, MessageListModel::SubjectColumn).data().toString(),
                 QStringLiteral("subject 0999"));
    }

    // The unified Inbox: rows from two accounts say whose they are, and sort by it (newest first within one).
    void namesAndSortsByAccountAcrossFolders()
    {
        store::Folder f;
        f.account = QStringLiteral("B");
        f.path = QStringLiteral("INBOX");
        const qint64 other = m_store.saveFolder(f);
        store::MessageSummary m;
        m.uid = 1;
        m.date = 1'600'000'000; // older than every message of A
        m.subject = QStringLiteral("from B");
        QCOMPARE(m_store.insertSummaries(other, QList<store::MessageSummary>{m}), qint64(1));

        MessageListModel model(&m_store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFolders({m_folder, other});
        QCOMPARE(model.rowCount(), kCount + 1);
        QCOMPARE(model.headerData(MessageListModel::AccountColumn, Qt::Horizontal).toString(), QStringLiteral("Account"));
        QCOMPARE(model.index(0, MessageListModel::AccountColumn).data().toString(), QStringLiteral("A"));
        QCOMPARE(model.index(kCount, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("from B"));
        QCOMPARE(model.index(kCount, MessageListModel::AccountColumn).data().toString(), QStringLiteral("B"));
        QCOMPARE(model.index(kCount, 0).data(MessageListModel::AccountRole).toString(), QStringLiteral("B"));

        model.sort(MessageListModel::AccountColumn, Qt::DescendingOrder);
        QCOMPARE(model.rowCount(), kCount + 1);
        QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("from B"));
        QCOMPARE(model.index(1, MessageListModel::AccountColumn).data().toString(), QStringLiteral("A"));
        QCOMPARE(model.index(1, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("subject 0000"));
        model.sort(MessageListModel::AccountColumn, Qt::AscendingOrder);
        QCOMPARE(model.index(0, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("subject 0000"));
        QCOMPARE(model.index(kCount, MessageListModel::AccountColumn).data().toString(), QStringLiteral("B"));
        QCOMPARE(model.rowOf(model.index(kCount, 0).data(MessageListModel::MessageIdRole).toLongLong()), kCount);
    }

    void aMessageRemovedUnderTheViewIsAnEmptyRowNotACrash()
    {
        MessageListModel model(&m_store);
        model.setFolder(m_folder);
        const QList<qint64> gone{kCount}; // the newest: row 0
        QVERIFY(m_store.removeUids(m_folder, gone));
        QVERIFY(model.index(0, MessageListModel::SubjectColumn).data().toString().isEmpty());
        QCOMPARE(model.index(1, MessageListModel::SubjectColumn).data().toString(), QStringLiteral("subject 0001"));
        model.reload();
        QCOMPARE(model.rowCount(), kCount - 1);
    }
};

QTEST_GUILESS_MAIN(TestMessageListModel)
#include "tst_messagelistmodel.moc"
