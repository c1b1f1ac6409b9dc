// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli on an IMAP account, end to end against the lab's Dovecot: `account test` reports the IMAP server,
// `sync` brings folders and summaries, `list --json` shows them, `show --json|--raw` fetches the body on
// demand, a second `sync` sees another client's changes, and `--offline-bodies` keeps the offline folders'
// bodies in the store.
#include "clirunner.h"
#include "labenv.h"
#include "labimap.h"
#include "profile.h"
#include "store/journal.h"
#include "store/store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using tern::test::CliRunner;
using tern::test::LabEnv;
using tern::test::LabImap;
namespace cmd = tern::imap::commands;

class TestCliImapSync : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;

    bool addAccount(const CliRunner &cli, const LabEnv::User &user, const QString &password)
    {
        const auto r = cli.run({QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("work"),
                                QStringLiteral("--email"), user.address, QStringLiteral("--incoming"), QStringLiteral("imap"),
                                QStringLiteral("--incoming-host"), m_lab.host(), QStringLiteral("--incoming-port"),
                                QString::number(m_lab.port(QStringLiteral("IMAPS"))), QStringLiteral("--incoming-security"),
                                QStringLiteral("tls"), QStringLiteral("--smtp-host"), m_lab.host(), QStringLiteral("--smtp-port"),
                                QString::number(m_lab.port(QStringLiteral("SUBMISSIONS"))), QStringLiteral("--smtp-security"),
                                QStringLiteral("tls"), QStringLiteral("--user"), user.address, QStringLiteral("--password-stdin"),
                                QStringLiteral("--ca-file"), m_lab.caFile()},
                               password.toUtf8() + '\n');
        if (r.code != 0)
            qWarning() << r.err;
        return r.code == 0;
    }

private slots:
    void initTestCase() { QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error())); }

    void accountTestReportsImap()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("cliimaptest"));
        QTemporaryDir profile;
        const CliRunner cli(QStringLiteral(TERN_CLI), profile.path());
        QVERIFY(addAccount(cli, user, user.password));
        const auto r = cli.run({QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("work")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("incoming %1:%2: ok").arg(m_lab.host()).arg(m_lab.port(QStringLiteral("IMAPS")))),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("  tls: TLSv1.3")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("  login: SCRAM-SHA-256")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("IMAP4REV1")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("smtp ")), qPrintable(out));

        QTemporaryDir wrong;
        const CliRunner cli2(QStringLiteral(TERN_CLI), wrong.path());
        QVERIFY(addAccount(cli2, user, QStringLiteral("not-the-password")));
        const auto bad = cli2.run({QStringLiteral("account"), QStringLiteral("test"), QStringLiteral("work")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.startsWith("tern-cli: authentication failed: server said "), bad.err.constData());
        QCOMPARE(bad.err.count('\n'), qsizetype(1));
    }

    void syncListShow()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("cliimapsync"));
        const QByteArray attachment = QByteArray("%PDF-1.4 not really\n").repeated(20);
        const QByteArray mixed =
            "From: Ann Example <ann@example.com>\r\nTo: Fred <fred@lab.test>\r\nSubject: Report with attachment\r\n"
            "Date: Wed, 17 Jul 2024 02:23:25 +0200\r\nMessage-ID: <report@lab.test>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Here is the report.\r\n--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
            "filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + attachment.toBase64() + "\r\n--b1--\r\n";
        const QByteArray plain = "From: bob@example.com\r\nTo: fred@lab.test\r\nSubject: Plain note\r\n"
                                 "Date: Thu, 18 Jul 2024 10:00:00 +0000\r\n\r\nJust text.\r\n";
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        const quint32 reportUid = other.append("INBOX", mixed, {"\\Seen"});
        QVERIFY(reportUid);
        const quint32 plainUid = other.append("INBOX", plain);
        QVERIFY(plainUid);

        QTemporaryDir profile;
        const CliRunner cli(QStringLiteral(TERN_CLI), profile.path());
        QVERIFY(addAccount(cli, user, user.password));
        const auto synced = cli.run({QStringLiteral("sync"), QStringLiteral("work")});
        QVERIFY2(synced.code == 0, synced.err.constData());
        QVERIFY2(synced.out.startsWith("work: 5 folders synced, 2 new"), synced.out.constData());

        const auto folders = cli.run({QStringLiteral("folders"), QStringLiteral("work"), QStringLiteral("--json")});
        QCOMPARE(folders.code, 0);
        QVERIFY2(folders.out.contains("Sent") && folders.out.contains("Trash"), folders.out.constData());

        const auto listed = cli.run({QStringLiteral("list"), QStringLiteral("work"), QStringLiteral("--folder"),
                                     QStringLiteral("INBOX"), QStringLiteral("--json")});
        QCOMPARE(listed.code, 0);
        const QJsonArray list = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(list.size(), qsizetype(2));
        QJsonObject report, note;
        for (const QJsonValue &v : list) {
            const QJsonObject o = v.toObject();
            (o.value(QStringLiteral("uid")).toInteger() == qint64(reportUid) ? report : note) = o;
        }
        QCOMPARE(report.value(QStringLiteral("subject")).toString(), QStringLiteral("Report with attachment"));
        QCOMPARE(report.value(QStringLiteral("from")).toString(), QStringLiteral("Ann Example <ann@example.com>"));
        QCOMPARE(report.value(QStringLiteral("to")).toString(), QStringLiteral("Fred <fred@lab.test>"));
        QCOMPARE(report.value(QStringLiteral("date")).toString(), QStringLiteral("2024-07-17T00:23:25Z"));
        QCOMPARE(report.value(QStringLiteral("flags")).toArray(), QJsonArray{QStringLiteral("\\Seen")});
        QCOMPARE(report.value(QStringLiteral("size")).toInteger(), qint64(mixed.size()));
        QCOMPARE(report.value(QStringLiteral("has_attachments")).toBool(), true);
        QCOMPARE(note.value(QStringLiteral("subject")).toString(), QStringLiteral("Plain note"));
        QCOMPARE(note.value(QStringLiteral("uid")).toInteger(), qint64(plainUid));
        QCOMPARE(note.value(QStringLiteral("has_attachments")).toBool(), false);
        QCOMPARE(note.value(QStringLiteral("flags")).toArray(), QJsonArray());

        // Right after the sync, before any body is fetched: the sync stores summaries only, and search indexes
        // what it has not indexed yet before it answers.
        const auto early = cli.run({QStringLiteral("search"), QStringLiteral("work"), QStringLiteral("plain"),
                                    QStringLiteral("--json")});
        QVERIFY2(early.code == 0, early.err.constData());
        const QJsonArray earlyHits = QJsonDocument::fromJson(early.out).array();
        QCOMPARE(earlyHits.size(), qsizetype(1));
        QCOMPARE(earlyHits[0].toObject().value(QStringLiteral("subject")).toString(), QStringLiteral("Plain note"));

        // The body is not stored by sync: show fetches it on demand (BODY.PEEK: still unread on the server).
        const QString id = QString::number(report.value(QStringLiteral("id")).toInteger());
        const auto shown = cli.run({QStringLiteral("show"), QStringLiteral("work"), QStringLiteral("--folder"),
                                    QStringLiteral("INBOX"), QStringLiteral("--id"), id, QStringLiteral("--json")});
        QVERIFY2(shown.code == 0, shown.err.constData());
        const QJsonObject message = QJsonDocument::fromJson(shown.out).object();
        QCOMPARE(message.value(QStringLiteral("subject")).toString(), QStringLiteral("Report with attachment"));
        QVERIFY(message.value(QStringLiteral("text")).toString().contains(QStringLiteral("Here is the report.")));
        const QJsonArray attachments = message.value(QStringLiteral("attachments")).toArray();
        QCOMPARE(attachments.size(), qsizetype(1));
        QCOMPARE(attachments[0].toObject().value(QStringLiteral("filename")).toString(), QStringLiteral("report.pdf"));
        QCOMPARE(attachments[0].toObject().value(QStringLiteral("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(attachment, QCryptographicHash::Sha256).toHex()));
        const QString noteId = QString::number(note.value(QStringLiteral("id")).toInteger());
        const auto raw = cli.run({QStringLiteral("show"), QStringLiteral("work"), QStringLiteral("--folder"),
                                  QStringLiteral("INBOX"), QStringLiteral("--id"), noteId, QStringLiteral("--raw")});
        QCOMPARE(raw.code, 0);
        QCOMPARE(raw.out, plain);
        const auto search = cli.run({QStringLiteral("search"), QStringLiteral("work"), QStringLiteral("report"),
                                     QStringLiteral("--json")});
        QCOMPARE(search.code, 0);
        QCOMPARE(QJsonDocument::fromJson(search.out).array().size(), qsizetype(1));

        // Another client flags the note and deletes the report; the next sync shows both.
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidStore({{plainUid, plainUid}}, cmd::StoreMode::Add, {"\\Flagged"})));
        QVERIFY(other.run(cmd::uidStore({{reportUid, reportUid}}, cmd::StoreMode::Add, {"\\Deleted"})));
        QVERIFY(other.run(cmd::uidExpunge({{reportUid, reportUid}})));
        const auto again = cli.run({QStringLiteral("sync"), QStringLiteral("work"), QStringLiteral("--folder"),
                                    QStringLiteral("INBOX")});
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(again.out.startsWith("work: 1 folders synced, 0 new, 1 flags updated, 1 removed"), again.out.constData());
        const QJsonArray after = QJsonDocument::fromJson(cli.run({QStringLiteral("list"), QStringLiteral("work"),
                                                                  QStringLiteral("--folder"), QStringLiteral("INBOX"),
                                                                  QStringLiteral("--json")}).out).array();
        QCOMPARE(after.size(), qsizetype(1));
        QCOMPARE(after[0].toObject().value(QStringLiteral("flags")).toArray(), QJsonArray{QStringLiteral("\\Flagged")});

        const auto missing = cli.run({QStringLiteral("sync"), QStringLiteral("work"), QStringLiteral("--folder"),
                                      QStringLiteral("Nope")});
        QCOMPARE(missing.code, 1);
        QCOMPARE(missing.err, QByteArray("tern-cli: no folder \"Nope\" on the server\n"));
    }

    // INBOX is an offline folder by default: its bodies are downloaded after the summaries, without marking
    // anything read, and only once; a folder that is not offline keeps summaries only.
    void offlineBodies()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("cliimapoffline"));
        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.isLoggedIn());
        QVERIFY(other.run(cmd::create("Archive", other.options())));
        QVERIFY(other.run(cmd::subscribe("Archive", other.options()))); // sync reads subscribed folders
        QList<QByteArray> inbox;
        QList<quint32> uids;
        for (int i = 0; i < 3; ++i) {
            inbox << "From: ann@example.com\r\nTo: " + user.address.toUtf8() + "\r\nSubject: offline " + QByteArray::number(i)
                         + "\r\nDate: Thu, 18 Jul 2024 10:00:0" + QByteArray::number(i) + " +0000\r\n\r\nBody number "
                         + QByteArray::number(i) + ".\r\n";
            uids << other.append("INBOX", inbox.last());
            QVERIFY(uids.last());
        }
        QVERIFY(other.append("Archive", "From: ann@example.com\r\nSubject: archived\r\n\r\nOld.\r\n"));

        QTemporaryDir profile;
        const CliRunner cli(QStringLiteral(TERN_CLI), profile.path());
        QVERIFY(addAccount(cli, user, user.password));
        const auto synced = cli.run({QStringLiteral("sync"), QStringLiteral("work"), QStringLiteral("--offline-bodies")});
        QVERIFY2(synced.code == 0, synced.err.constData());
        QVERIFY2(synced.out.contains("work: 3 messages kept for offline reading"), synced.out.constData());

        tern::store::Store store;
        QVERIFY(store.open(tern::core::Profile(profile.path()).filePath(QStringLiteral("store.sqlite"))));
        const auto inboxFolder = store.folder(QStringLiteral("work"), QStringLiteral("INBOX"));
        const auto archive = store.folder(QStringLiteral("work"), QStringLiteral("Archive"));
        QVERIFY(inboxFolder && archive);
        QVERIFY(store.messagesWithoutBody(inboxFolder->id).isEmpty());
        QCOMPARE(store.messagesWithoutBody(archive->id).size(), 1);
        for (const tern::store::MessageSummary &m : store.summaries(inboxFolder->id)) {
            const qsizetype i = uids.indexOf(quint32(m.uid));
            QVERIFY(i >= 0);
            QCOMPARE(store.body(m.id), std::optional<QByteArray>(inbox[i]));
        }
        // The bodies are searchable.
        const auto found = cli.run({QStringLiteral("search"), QStringLiteral("work"), QStringLiteral("number"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(found.out).array().size(), qsizetype(3));

        // BODY.PEEK: still unread on the server.
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidSearch({{"SEEN", {}}}, other.options())));
        int searches = 0;
        for (const tern::imap::Response &r : other.untagged()) {
            if (const auto *hits = r.get<tern::imap::SearchData>()) {
                ++searches;
                QVERIFY(hits->numbers.isEmpty());
            }
        }
        QCOMPARE(searches, 1);

        const auto again = cli.run({QStringLiteral("sync"), QStringLiteral("work"), QStringLiteral("--offline-bodies")});
        QVERIFY2(again.code == 0, again.err.constData());
        QVERIFY2(again.out.contains("work: 0 messages kept for offline reading"), again.out.constData());
    }

    // Two tern-cli processes sync the same profile at once: the journal's per-account lock lets one replay
    // the offline changes while the other waits, and the other then finds nothing left to send. Each APPEND
    // reaches the server once (replayed twice, it would be two messages).
    void twoSyncsReplayEachChangeOnce()
    {
        const LabEnv::User user = m_lab.createUser(QStringLiteral("clijournaltwo"));
        QTemporaryDir profile;
        const CliRunner cli(QStringLiteral(TERN_CLI), profile.path());
        QVERIFY(addAccount(cli, user, user.password));
        const auto first = cli.run({QStringLiteral("sync"), QStringLiteral("work")});
        QVERIFY2(first.code == 0, first.err.constData());
        constexpr int Changes = 30;
        {
            tern::store::Store store;
            QVERIFY(store.open(tern::core::Profile(profile.path()).filePath(QStringLiteral("store.sqlite"))));
            tern::store::Journal journal(store);
            for (int i = 0; i < Changes; ++i) {
                const QByteArray raw = "From: ann@example.com\r\nSubject: once " + QByteArray::number(i)
                    + "\r\nMessage-ID: <once" + QByteArray::number(i) + "@lab.test>\r\n\r\nx\r\n";
                QVERIFY(journal.append(QStringLiteral("work"), QStringLiteral("INBOX"), raw, 0) > 0);
            }
        }
        QProcess a, b;
        cli.prepare(a, {QStringLiteral("sync"), QStringLiteral("work")});
        cli.prepare(b, {QStringLiteral("sync"), QStringLiteral("work")});
        QSignalSpy aDone(&a, &QProcess::finished), bDone(&b, &QProcess::finished);
        a.start();
        b.start();
        QTRY_COMPARE_WITH_TIMEOUT(aDone.size(), 1, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(bDone.size(), 1, 60000);
        QVERIFY2(a.exitCode() == 0, a.readAllStandardError().constData());
        QVERIFY2(b.exitCode() == 0, b.readAllStandardError().constData());

        LabImap other(m_lab, user.address, user.password);
        QVERIFY(other.select("INBOX"));
        QVERIFY(other.run(cmd::uidFetch({{1, tern::imap::SequenceSet::Star}}, {"ENVELOPE"})));
        QHash<QByteArray, int> copies;
        for (const tern::imap::Response &r : other.untagged()) {
            if (const auto *f = r.get<tern::imap::FetchData>(); f && f->envelope)
                ++copies[f->envelope->subject];
        }
        QCOMPARE(copies.size(), Changes);
        for (auto it = copies.cbegin(); it != copies.cend(); ++it)
            QVERIFY2(it.value() == 1, it.key().constData());
    }
};

QTEST_GUILESS_MAIN(TestCliImapSync)
#include "tst_cli_imapsync.moc"
