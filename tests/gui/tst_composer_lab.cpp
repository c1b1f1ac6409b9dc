// SPDX-License-Identifier: GPL-3.0-or-later
// The composer end to end on the lab: a message with an attachment written to another lab user, Send
// (Ctrl+Return) queues it in the outbox and sends it off the GUI thread (its SMTP session in the inspector's
// log); the outbox entry reaches `sent`, and the recipient's mailbox holds the same text and attachment bytes.
#include "accountoperations.h"
#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "composer/attachmentlist.h"
#include "composer/composerwindow.h"
#include "diagnostics/tracelog.h"
#include "labenv.h"
#include "labmail.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "outbox/outboxstore.h"
#include "store/store.h"
#include "sync/pop3fetch.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using namespace tern;

namespace {

accounts::Account labAccount(const test::LabEnv &lab, const QString &name, const test::LabEnv::User &user)
{
    accounts::Account a;
    a.name = name;
    a.identities = {{QStringLiteral("Composer Test"), user.address, QStringLiteral("Sent from the lab")}};
    a.incomingProtocol = accounts::IncomingProtocol::Pop3;
    a.incoming = {lab.host(), lab.port(QStringLiteral("POP3S")), accounts::Security::Tls, QString(), user.address};
    a.smtp = {lab.host(), lab.port(QStringLiteral("SUBMISSIONS")), accounts::Security::Tls, QString(), user.address};
    a.caFile = lab.caFile();
    return a;
}

} // namespace

class TestComposerLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    test::LabEnv m_lab;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", "composer-lab-primary");
    }

    void sendWithAttachmentArrives()
    {
        QTemporaryDir profile;
        const test::LabEnv::User sender = m_lab.createUser(QStringLiteral("composersend"));
        const test::LabEnv::User recipient = m_lab.createUser(QStringLiteral("composerrcpt"));
        const accounts::Account account = labAccount(m_lab, QStringLiteral("Lab Sender"), sender);
        {
            accounts::AccountStore accounts(profile.path());
            QVERIFY(accounts.add(account));
            QVERIFY(accounts.save());
            accounts::SecretStore secrets(profile.path(), "composer-lab-primary");
            QVERIFY(secrets.store(account.incomingSecretKey(), sender.password.toUtf8()));
            QVERIFY(secrets.store(account.smtpSecretKey(), sender.password.toUtf8()));
        }
        QByteArray payload(300 * 1024, Qt::Uninitialized);
        for (char &c : payload)
            c = char(QRandomGenerator::global()->bounded(256));
        const QString file = profile.filePath(QStringLiteral("engine-plans.bin"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(out.write(payload), payload.size());
        out.close();

        diagnostics::TraceLog log;
        ui::AccountOperations operations(profile.path(), &log);
        auto *composer = new ui::ComposerWindow;
        composer->setContext(ui::ComposerContext{profile.path(), {account}, &operations});
        composer->show();
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        composer->toField()->setFocus();
        QTest::keyClicks(composer->toField(), recipient.address);
        composer->subjectField()->setText(QStringLiteral("Plans from the composer"));
        composer->bodyEdit()->setFocus();
        QTest::keyClicks(composer->bodyEdit(), QStringLiteral("Dear colleague, the plans are in the file."));
        composer->bodyEdit()->insertPlainText(QStringLiteral(" Ünïcode too.")); // QTest types ASCII only
        QVERIFY(composer->attachments()->addFile(file));
        const QString text = composer->bodyEdit()->toPlainText();

        QSignalSpy queued(composer, &ui::ComposerWindow::queued);
        QSignalSpy finished(&operations, &ui::AccountOperations::sendFinished);
        QSignalSpy traced(&log, &diagnostics::TraceLog::sessionEnded);
        QTest::keyClick(composer->bodyEdit(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(queued.wait()); // durably queued (on the composer's writer thread) before anything went on the wire
        QCOMPARE(queued.size(), 1);
        const qint64 outboxId = queued.first().first().toLongLong();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QVERIFY(!traced.isEmpty()); // the SMTP session, in the inspector's log

        store::Store store;
        QVERIFY(store.open(profile.filePath(QStringLiteral("store.sqlite"))));
        const auto item = outbox::OutboxStore(store.database()).item(outboxId);
        QVERIFY(item);
        QCOMPARE(item->state, outbox::State::Sent);
        QCOMPARE(item->sentCopy, outbox::SentCopyState::Done);

        test::LabMail mail(m_lab);
        QTRY_COMPARE_WITH_TIMEOUT(mail.pop3Count(recipient), qint64(1), 30000);
        QTemporaryDir inboxProfile;
        store::Store inbox;
        QVERIFY(inbox.open(inboxProfile.filePath(QStringLiteral("store.sqlite"))));
        auto *fetch = new sync::Pop3Fetch(labAccount(m_lab, QStringLiteral("Lab Recipient"), recipient),
                                          recipient.password.toUtf8(), &inbox, this);
        QSignalSpy fetched(fetch, &sync::Pop3Fetch::finished);
        fetch->start();
        QVERIFY(fetched.wait(60000));
        QCOMPARE(fetch->error(), sync::Pop3Fetch::Error::None);
        const auto folder = inbox.folder(QStringLiteral("Lab Recipient"), QStringLiteral("INBOX"));
        QVERIFY(folder);
        const auto summaries = inbox.summaries(folder->id);
        QCOMPARE(summaries.size(), 1);
        const auto raw = inbox.body(summaries.first().id);
        QVERIFY(raw);
        const mime::Message message(*raw);
        QCOMPARE(message.headerText(0, "subject"), QStringLiteral("Plans from the composer"));
        const mime::BodyModel body(message);
        QCOMPARE(body.plainText().trimmed(), text.trimmed());
        QCOMPARE(body.attachments().size(), size_t(1));
        QCOMPARE(body.attachments().front().fileName, QStringLiteral("engine-plans.bin"));
        QCOMPARE(mime::BodyModel::sha256(body.content(body.attachments().front().part)).toHex(),
                 QCryptographicHash::hash(payload, QCryptographicHash::Sha256).toHex());
    }
};

QTEST_MAIN(TestComposerLab)
#include "tst_composer_lab.moc"
