// SPDX-License-Identifier: GPL-3.0-or-later
// The server copy of a draft (sync::ImapDraft) against scripted IMAP servers (tests/data/scripts/imap/draft-*):
// the Drafts folder found by \Drafts or by name or created, the new version appended with \Draft \Seen before
// any older copy goes, UID EXPUNGE with UIDPLUS and EXPUNGE without, and a refused APPEND that deletes nothing.
#include "fakeserver.h"
#include "labenv.h"

#include "sync/imapdraft.h"

#include <QSignalSpy>
#include <QTest>
#include <QtCrypto>

using tern::sync::ImapDraft;
using tern::test::FakeServer;

class TestImapDraft : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    tern::test::LabEnv m_lab;

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void scripted_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<bool>("remove");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("removed");
        QTest::newRow("creates Drafts") << "draft-create.script" << false << true << "Drafts" << 0;
        QTest::newRow("no UIDPLUS: EXPUNGE") << "draft-replace-no-uidplus.script" << false << true << "Entw&APw-rfe" << 1;
        QTest::newRow("UIDPLUS: UID EXPUNGE") << "draft-replace-uidplus.script" << false << true << "Drafts" << 2;
        QTest::newRow("APPEND refused") << "draft-append-refused.script" << false << false << "Drafts" << 0;
        QTest::newRow("remove") << "draft-remove.script" << true << true << "Drafts" << 1;
    }

    void scripted()
    {
        QFETCH(QString, script);
        QFETCH(bool, remove);
        QFETCH(bool, ok);
        QFETCH(QString, folder);
        QFETCH(int, removed);
        FakeServer server;
        const QString path = qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/scripts/imap/") + script;
        QVERIFY(server.loadScript(path) && server.useLabCertificate(m_lab) && server.start());
        server.setImplicitTls(true);
        tern::accounts::Account a;
        a.name = QStringLiteral("acct");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = tern::accounts::Server{m_lab.host(), server.port(), tern::accounts::Security::Tls, {}, QStringLiteral("u")};
        a.caFile = m_lab.caFile();

        ImapDraft draft(a, "p");
        QSignalSpy finished(&draft, &ImapDraft::finished);
        if (remove)
            draft.remove("<d1@test>");
        else
            draft.save("<d1@test>", "Subject: x\r\n\r\nhi\r\n");
        QVERIFY(finished.wait(30000));
        QTRY_VERIFY2(server.isScriptDone(), qPrintable(server.failure()));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(draft.error() == ImapDraft::Error::None, ok);
        QCOMPARE(draft.folder(), folder);
        QCOMPARE(draft.removedCount(), removed);
        if (!ok) {
            QCOMPARE(draft.error(), ImapDraft::Error::Refused);
            QVERIFY2(draft.errorString().contains(QLatin1String("Quota exceeded")), qPrintable(draft.errorString()));
        }
    }

    void unreachableServerIsAnError()
    {
        FakeServer server; // listening, then gone: nothing accepts the connection
        QVERIFY(server.start());
        const quint16 port = server.port();
        server.close();
        tern::accounts::Account a;
        a.name = QStringLiteral("acct");
        a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
        a.incoming = tern::accounts::Server{m_lab.host(), port, tern::accounts::Security::Tls, {}, QStringLiteral("u")};
        ImapDraft draft(a, "p");
        QSignalSpy finished(&draft, &ImapDraft::finished);
        draft.save("<d1@test>", "Subject: x\r\n\r\nhi\r\n");
        QVERIFY(finished.wait(30000));
        QCOMPARE(draft.error(), ImapDraft::Error::Connection);
        QVERIFY(!draft.errorString().isEmpty());
    }
};

QTEST_MAIN(TestImapDraft)
#include "tst_imapdraft.moc"
