// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 6's reliability runs for the pushing side, against the real lab's Postfix: 50+ `tern-cli send` runs
// whose submission connection is cut at a random byte, and 50+ whose process is SIGKILLed at a random byte
// (tests/support/CutProxy). After each fault the user's view of the outbox is taken and what a user would do
// is done: a temporary failure is sent again, a queued message is flushed, a delivery-uncertain one is left
// alone (never resent automatically). Then every message is sent or delivery-uncertain, the store passes
// PRAGMA integrity_check, and in the end the recipient holds every sent message exactly once and every
// uncertain one at most once: no message went out twice.
//
// TERN_FAULT_SEED replays a run (the seed is printed); TERN_FAULT_RUNS changes the count (default 50).
#include "clirunner.h"
#include "cutproxy.h"
#include "labenv.h"
#include "labmail.h"

#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using tern::test::CliRunner;
using tern::test::CutProxy;
using tern::test::LabEnv;
using tern::test::LabMail;

class TestFaultsSend : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;
    quint32 m_seed = 0;

    struct Sender
    {
        QTemporaryDir profile;
        LabEnv::User user;
        std::unique_ptr<CutProxy> proxy;
    };

    static CliRunner cli(const QTemporaryDir &profile) { return CliRunner(QStringLiteral(TERN_CLI), profile.path()); }

    bool setUp(Sender &s)
    {
        s.user = m_lab.createUser(QStringLiteral("faultsender"));
        s.proxy = std::make_unique<CutProxy>(m_lab.host(), m_lab.port(QStringLiteral("SUBMISSIONS")));
        if (!s.proxy->start())
            return false;
        const QByteArray err = LabMail::addAccount(QStringLiteral(TERN_CLI), s.profile.path(), m_lab,
                                                   QStringLiteral("out"), s.user, QStringLiteral("imap"),
                                                   m_lab.port(QStringLiteral("IMAPS")), s.proxy->port());
        if (!err.isEmpty())
            qWarning() << err;
        return err.isEmpty();
    }

    QStringList sendArgs(const LabEnv::User &to, const QString &subject) const
    {
        return {QStringLiteral("send"), QStringLiteral("out"), QStringLiteral("--to"), to.address,
                QStringLiteral("--subject"), subject, QStringLiteral("--body"),
                QStringLiteral("fault run body, long enough to span a TLS record: ") + QString(3000, QLatin1Char('x'))};
    }

    // The outbox as `tern-cli outbox --json` shows it: subject -> {id, state}.
    static QHash<QString, std::pair<qint64, QString>> outbox(const QTemporaryDir &profile)
    {
        const CliRunner::Result r = cli(profile).run({QStringLiteral("outbox"), QStringLiteral("out"), QStringLiteral("--json")});
        QHash<QString, std::pair<qint64, QString>> out;
        for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array()) {
            const QJsonObject o = v.toObject();
            out.insert(o.value(QStringLiteral("subject")).toString(),
                       {o.value(QStringLiteral("id")).toInteger(), o.value(QStringLiteral("state")).toString()});
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        m_seed = qEnvironmentVariableIsSet("TERN_FAULT_SEED") ? quint32(qEnvironmentVariableIntValue("TERN_FAULT_SEED"))
                                                              : QRandomGenerator::global()->generate();
        qInfo("fault seed %u (TERN_FAULT_SEED=%u replays it)", m_seed, m_seed);
    }

    void faultsAtRandomPoints_data()
    {
        QTest::addColumn<CutProxy::Mode>("mode");
        QTest::newRow("connection cut") << CutProxy::Mode::Cut;
        QTest::newRow("process killed") << CutProxy::Mode::Freeze;
    }

    void faultsAtRandomPoints()
    {
        QFETCH(CutProxy::Mode, mode);
        const int runs = qEnvironmentVariableIsSet("TERN_FAULT_RUNS") ? qEnvironmentVariableIntValue("TERN_FAULT_RUNS") : 50;
        QRandomGenerator rng(m_seed + quint32(mode));
        Sender s;
        QVERIFY(setUp(s));
        const LabEnv::User recipient = m_lab.createUser(QStringLiteral("faultrecipient"));

        // How long is a whole submission? One fault-free send through the proxy measures it.
        const qint64 before = s.proxy->forwarded();
        const CliRunner::Result first = cli(s.profile).run(sendArgs(recipient, QStringLiteral("calibration")));
        QVERIFY2(first.code == 0, first.err.constData());
        const qint64 sessionBytes = s.proxy->forwarded() - before;
        QVERIFY(sessionBytes > 3000);

        QStringList sent{QStringLiteral("calibration")}, uncertain;
        QHash<QString, int> statesAfterFault;
        for (int run = 0; run < runs; ++run) {
            const QString subject = QStringLiteral("fault run %1").arg(run);
            const qint64 at = rng.bounded(qint64(1), sessionBytes);
            s.proxy->setMode(mode, at);
            QProcess p;
            cli(s.profile).prepare(p, sendArgs(recipient, subject));
            QSignalSpy done(&p, &QProcess::finished);
            QMetaObject::Connection killer;
            if (mode == CutProxy::Mode::Freeze)
                killer = connect(s.proxy.get(), &CutProxy::cutReached, &p, &QProcess::kill);
            p.start();
            QVERIFY2(done.wait(120000), qPrintable(QStringLiteral("run %1 (byte %2) did not end").arg(run).arg(at)));
            disconnect(killer);
            if (mode == CutProxy::Mode::Cut) {
                QCOMPARE(p.exitStatus(), QProcess::NormalExit); // a lost connection never crashes tern-cli
                if (p.exitCode() != 0)
                    QCOMPARE(p.readAllStandardError().count('\n'), 1);
            }
            s.proxy->setMode(CutProxy::Mode::PassThrough);

            // What the user sees, and does: the listing also recovers what a killed run left "sending".
            auto item = outbox(s.profile).value(subject);
            statesAfterFault[item.second.isEmpty() ? QStringLiteral("(never queued)") : item.second] += 1;
            if (item.second == u"failed-temporary") {
                const CliRunner::Result r = cli(s.profile).run({QStringLiteral("outbox"), QStringLiteral("out"),
                                                               QStringLiteral("--send-again"), QString::number(item.first)});
                QVERIFY2(r.code == 0, r.err.constData());
            } else if (item.second == u"queued") {
                const CliRunner::Result r = cli(s.profile).run({QStringLiteral("outbox"), QStringLiteral("out"), QStringLiteral("--flush")});
                QVERIFY2(r.code == 0, r.err.constData());
            }
            item = outbox(s.profile).value(subject);
            if (item.second == u"sent")
                sent.append(subject);
            else if (item.second == u"delivery-uncertain")
                uncertain.append(subject);
            else
                QVERIFY2(item.second.isEmpty(), qPrintable(QStringLiteral("run %1 (byte %2): %3").arg(run).arg(at).arg(item.second)));

            tern::store::Store store;
            QVERIFY(store.open(s.profile.filePath(QStringLiteral("store.sqlite"))));
            QString integrity;
            QVERIFY2(store.integrityCheck(&integrity), qPrintable(integrity));
        }
        qInfo() << "states right after the faults:" << statesAfterFault << "- finally sent" << sent.size()
                << "uncertain" << uncertain.size();

        // The recipient's side, read over POP3 by a second profile: a marker submitted last shows that
        // Postfix has delivered what it accepted before it.
        const LabEnv::User other = m_lab.createUser(QStringLiteral("marker"));
        QVERIFY(LabMail(m_lab).submit(other, recipient.address,
                                      {LabMail::message(other, recipient, "marker", "\r\nlast\r\n")}));
        QTemporaryDir inbox;
        const QByteArray err = LabMail::addAccount(QStringLiteral(TERN_CLI), inbox.path(), m_lab, QStringLiteral("in"),
                                                   recipient, QStringLiteral("pop3"), m_lab.port(QStringLiteral("POP3S")));
        QVERIFY2(err.isEmpty(), err.constData());
        QHash<QString, int> received;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (cli(inbox).run({QStringLiteral("sync"), QStringLiteral("in")}).code != 0)
                    return false;
                received.clear();
                const CliRunner::Result r = cli(inbox).run({QStringLiteral("list"), QStringLiteral("in"), QStringLiteral("--json")});
                for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
                    received[v.toObject().value(QStringLiteral("subject")).toString()] += 1;
                return received.contains(QStringLiteral("marker"))
                       && std::all_of(sent.cbegin(), sent.cend(), [&](const QString &x) { return received.contains(x); });
            }(),
            60000);
        for (const QString &subject : std::as_const(sent))
            QVERIFY2(received.value(subject) == 1, qPrintable(QStringLiteral("%1 arrived %2 times").arg(subject).arg(received.value(subject))));
        for (auto it = received.cbegin(); it != received.cend(); ++it) {
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 arrived %2 times").arg(it.key()).arg(it.value())));
            QVERIFY2(it.key() == u"marker" || sent.contains(it.key()) || uncertain.contains(it.key()),
                     qPrintable(it.key() + QStringLiteral(" arrived, but the outbox does not say it was sent")));
        }
    }
};

QTEST_GUILESS_MAIN(TestFaultsSend)
#include "tst_faults_send.moc"
