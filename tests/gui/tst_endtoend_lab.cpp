// SPDX-License-Identifier: GPL-3.0-or-later
// The whole chain a new user goes through, in one profile, through real widgets against the lab (issue 7):
// the main window's Add Account… wizard sets up an IMAP account found by autoconfig (a local HTTPS server)
// and a POP3 account found by SRV records (a local dnsmasq); the window pushes the IMAP INBOX by IDLE; the
// composer opened by New Message sends from one account to the other with an attachment; the message shows
// up in the IMAP account's list without a click, and in the POP3 account's list after Get Messages; opened,
// it shows the text typed and the attachment saves with the bytes of the file sent. Nothing leaves 127.0.0.1.
#include "windowtesting.h"
#include "wizardlab.h"

#include "accountoperations.h"
#include "accounts/accountwizard.h"
#include "accounts/connectiontestpanel.h"
#include "accounts/servereditor.h"
#include "accounts/wizardpages.h"
#include "composer/attachmentlist.h"
#include "composer/composerwindow.h"
#include "foldermodel.h"
#include "labmail.h"
#include "mailpush.h"
#include "mainwindow.h"
#include "messageview.h"

#include "accounts/accountstore.h"
#include "models/messagelistmodel.h"
#include "outbox/outboxstore.h"
#include "store/store.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QCryptographicHash>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeView>
#include <QTreeWidget>
#include <QtCrypto>

using namespace tern;
using test::Note;
using test::rowWithSubject;
using test::StubNotifier;
using test::HelperProcess;
using test::LabEnv;

namespace {

const QByteArray kPrimary = "end-to-end-primary";
constexpr int kNetwork = 60000; // generous: the lab shares two cores with the rest of the suite

void saveScreenshot(QWidget *widget, const QString &name)
{
    QVERIFY(QDir().mkpath(QStringLiteral(TERN_SCREENSHOT_DIR)));
    widget->repaint();
    QVERIFY(widget->grab().save(QDir(QStringLiteral(TERN_SCREENSHOT_DIR)).filePath(name + QStringLiteral(".png"))));
}

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &c : bytes)
        c = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

// The folder tree's row for an account's folder, once a sync has put it in the store.
QModelIndex folderIndex(const QAbstractItemModel *model, const QString &account, const QString &path)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex accountIndex = model->index(row, 0);
        for (int child = 0; child < model->rowCount(accountIndex); ++child) {
            const QModelIndex folder = model->index(child, 0, accountIndex);
            if (folder.data(ui::FolderModel::AccountRole).toString() == account
                && folder.data(ui::FolderModel::FolderPathRole).toString() == path)
                return folder;
        }
    }
    return {};
}

// Whether the account's row in the folder tree has a child shown as name (a folder or a placeholder).
bool childNamed(const QAbstractItemModel *model, const QString &account, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex accountIndex = model->index(row, 0);
        if (accountIndex.data().toString() != account)
            continue;
        for (int child = 0; child < model->rowCount(accountIndex); ++child) {
            if (model->index(child, 0, accountIndex).data().toString() == name)
                return true;
        }
    }
    return false;
}

void click(QTreeView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(index).center());
}

// What one account is set up with, typed into the wizard as a user would.
struct NewAccount
{
    QString displayName;
    LabEnv::User user;
};

} // namespace

class TestEndToEndLab : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;
    LabEnv m_lab;
    QTemporaryDir m_profile;
    QTemporaryDir m_scratch; // the autoconfig server's files, the files attached, the attachments saved
    NewAccount m_imap;       // account A
    NewAccount m_pop;        // account B
    std::unique_ptr<ui::MainWindow> m_window;

    ui::AccountOperations *operations() const { return m_window->findChild<ui::AccountOperations *>(); }

    // File > Add Account…: the wizard the window opens, pointed at the lab. Discovery would ask the
    // internet and TLS would trust the system's CAs; here both are the lab's (all on 127.0.0.1).
    void openWizard(const accounts::DiscoverySettings &settings, QPointer<ui::AccountWizard> *out)
    {
        QAction *add = m_window->action(QStringLiteral("addAccountAction"));
        QVERIFY(add);
        add->trigger();
        QPointer<ui::AccountWizard> wizard = m_window->findChild<ui::AccountWizard *>();
        QVERIFY(wizard);
        QVERIFY(QTest::qWaitForWindowExposed(wizard));
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::IdentityPageId));
        wizard->setDiscoverySettings(settings);
        wizard->setCaFile(m_lab.caFile());
        *out = wizard;
    }

    void fillIdentityAndDiscover(ui::AccountWizard *wizard, const NewAccount &account)
    {
        ui::IdentityPage *page = wizard->identityPage();
        QTest::keyClicks(page->nameEdit(), account.displayName);
        QTest::keyClicks(page->addressEdit(), account.user.address);
        QTest::keyClicks(page->passwordEdit(), account.user.password);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::DiscoveryPageId));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->discoveryPageWidget()->isDiscoveryFinished(), 30000);
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());
    }

    static QList<accounts::DiscoverySource> foundSources(ui::AccountWizard *wizard)
    {
        QList<accounts::DiscoverySource> sources;
        QTreeWidget *steps = wizard->discoveryPageWidget()->stepsView();
        for (int i = 0; i < steps->topLevelItemCount(); ++i) {
            if (steps->topLevelItem(i)->text(1) == QStringLiteral("found"))
                sources << accounts::DiscoverySource(steps->topLevelItem(i)->data(0, Qt::UserRole).toInt());
        }
        std::sort(sources.begin(), sources.end()); // steps are listed as they finish
        return sources;
    }

    // Servers as discovered -> Test Connection passes -> Finish: the account is in the profile and the window.
    void testAndFinish(QPointer<ui::AccountWizard> wizard, const NewAccount &account)
    {
        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        QCOMPARE(wizard->currentId(), int(ui::AccountWizard::TestPageId));
        ui::ConnectionTestPanel *panel = wizard->testPage()->panel();
        QSignalSpy tested(panel, &ui::ConnectionTestPanel::testFinished);
        QTest::mouseClick(panel->testButton(), Qt::LeftButton);
        QVERIFY(!tested.isEmpty() || tested.wait(kNetwork));
        QVERIFY2(tested.first().first().toBool(), qPrintable(panel->detailsView()->toPlainText()));
        QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
        QTRY_VERIFY(!wizard); // closed and deleted, as the window's wizard is
        accounts::AccountStore saved(m_profile.path());
        QVERIFY(saved.load());
        QVERIFY(saved.find(account.user.address));
        bool shown = false; // the window re-read the profile: the new account is in the folder tree
        for (int row = 0; row < m_window->folderView()->model()->rowCount(); ++row)
            shown = shown || m_window->folderView()->model()->index(row, 0).data().toString() == account.user.address;
        QVERIFY(shown);
    }

    // File > New Message, From the account's identity, To, Subject, text, a file dropped on the text, and
    // the Send button; returns once the outbox says the message was sent.
    void compose(const NewAccount &from, const NewAccount &to, const QString &subject, const QStringList &lines,
                 const QString &file)
    {
        QAction *newMessage = m_window->action(QStringLiteral("newMessageAction"));
        QVERIFY(newMessage);
        newMessage->trigger();
        QPointer<ui::ComposerWindow> composer = m_window->findChild<ui::ComposerWindow *>();
        QVERIFY(composer);
        QVERIFY(QTest::qWaitForWindowExposed(composer));

        // The wizard names an account by its address; each From entry is (account, address).
        const int identity = composer->identityBox()->findData(QStringList{from.user.address, from.user.address});
        QVERIFY2(identity >= 0, qPrintable(from.user.address + QStringLiteral(" is not offered in From")));
        composer->identityBox()->setCurrentIndex(identity);
        QVERIFY(composer->identityBox()->currentText().contains(from.displayName));
        composer->toField()->setFocus();
        QTest::keyClicks(composer->toField(), to.user.address);
        composer->subjectField()->setFocus();
        QTest::keyClicks(composer->subjectField(), subject);
        composer->bodyEdit()->setFocus();
        for (const QString &line : lines) {
            QTest::keyClicks(composer->bodyEdit(), line);
            QTest::keyClick(composer->bodyEdit(), Qt::Key_Return);
        }

        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(file)});
        QWidget *target = composer->bodyEdit()->viewport();
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &drop);
        QCOMPARE(composer->attachments()->count(), 1);

        QSignalSpy queued(composer.data(), &ui::ComposerWindow::queued);
        QSignalSpy sent(operations(), &ui::AccountOperations::sendFinished);
        auto *bar = composer->findChild<QToolBar *>(QStringLiteral("composeToolBar"));
        QVERIFY(bar);
        QTest::mouseClick(bar->widgetForAction(composer->sendAction()), Qt::LeftButton);
        QVERIFY2(!queued.isEmpty() || queued.wait(kNetwork),
                 qPrintable(composer ? composer->noticeBar()->text() : QString()));
        const qint64 outboxId = queued.first().first().toLongLong();
        QTRY_VERIFY(!composer); // the composer closes once the message is queued
        QVERIFY(!sent.isEmpty() || sent.wait(kNetwork)); // may have come while the composer closed
        QCOMPARE(sent.first().at(0).toString(), from.user.address);
        QVERIFY2(sent.first().at(1).toBool(), qPrintable(sent.first().at(2).toString()));

        store::Store store;
        QVERIFY(store.open(m_profile.filePath(QStringLiteral("store.sqlite"))));
        const auto item = outbox::OutboxStore(store.database()).item(outboxId);
        QVERIFY(item);
        QCOMPARE(item->state, outbox::State::Sent);
        QCOMPARE(item->sentCopy, outbox::SentCopyState::Done); // the user's copy: IMAP Sent, or local for POP3
        QCOMPARE(item->account, from.user.address);
        QCOMPARE(item->envelope.from, from.user.address);
    }

    // The row as the list shows it before it is opened: the sender typed in the wizard, and the paperclip.
    static void checkListRow(const QAbstractItemModel *model, int row, const NewAccount &from)
    {
        using Model = models::MessageListModel;
        QCOMPARE(model->index(row, Model::CorrespondentColumn).data().toString(), from.displayName);
        const QString tip = model->index(row, Model::CorrespondentColumn).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(from.user.address), qPrintable(tip)); // the real address, not only the name
        QCOMPARE(model->index(row, Model::AttachmentColumn).data(Qt::AccessibleTextRole).toString(),
                 QStringLiteral("Has attachments"));
    }

    // The open message: what was typed, from whom, and the attachment saved through the view has the bytes
    // of the file that was attached.
    void checkOpenMessage(const NewAccount &from, const QString &subject, const QStringList &lines,
                          const QString &fileName, const QByteArray &bytes)
    {
        ui::MessageView *view = m_window->messageView();
        QTRY_VERIFY_WITH_TIMEOUT(view->toPlainText().contains(lines.first()), kNetwork); // IMAP: downloaded on demand
        const QString shown = view->toPlainText();
        for (const QString &line : lines)
            QVERIFY2(shown.contains(line), qPrintable(shown));
        QVERIFY2(shown.contains(subject), qPrintable(shown));
        QVERIFY2(shown.contains(from.user.address), qPrintable(shown));
        QVERIFY2(shown.contains(from.displayName), qPrintable(shown));
        QCOMPARE(view->attachmentList()->count(), 1);
        QVERIFY(view->attachmentList()->isVisible());
        QVERIFY2(view->attachmentList()->item(0)->text().startsWith(fileName + QStringLiteral(" (")),
                 qPrintable(view->attachmentList()->item(0)->text()));
        QTemporaryDir downloads(m_scratch.filePath(QStringLiteral("downloads-XXXXXX")));
        const QString saved = view->saveAttachment(0, downloads.path());
        QCOMPARE(QFileInfo(saved).fileName(), fileName);
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QCOMPARE(content.size(), bytes.size());
        QCOMPARE(sha256Hex(content), sha256Hex(bytes));
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_scratch.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
        QVERIFY(m_profile.isValid());
        QVERIFY(m_scratch.isValid());
        // As a desktop without a keyring: the vault, its password from the environment (tern-cli does the same).
        qputenv("TERN_SECRETS", "vault");
        qputenv("TERN_PRIMARY_PASSWORD", kPrimary);
        m_imap = {QStringLiteral("Ada Imap"), m_lab.createUser(QStringLiteral("e2eimap"))};
        m_pop = {QStringLiteral("Bob Pop"), m_lab.createUser(QStringLiteral("e2epop"))};

        // A new user's first start: an empty profile.
        m_window = std::make_unique<ui::MainWindow>();
        QVERIFY(m_window->openProfile(m_profile.path()));
        m_window->resize(1200, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    // Account A: the provider publishes an autoconfig document over HTTPS; IMAP is what it offers first.
    void addImapAccountFoundByAutoconfig()
    {
        HelperProcess server;
        QVERIFY2(test::startAutoconfigServer(m_lab, m_scratch.filePath(QStringLiteral("web/root")),
                                             test::labAutoconfig(m_lab, QStringLiteral("Lab Mail")), &server),
                 qPrintable(server.error()));
        accounts::DiscoverySettings settings;
        settings.useProviderList = false;
        settings.useDns = false;
        settings.guessWhenNothingFound = false;
        settings.hostOverrides.insert(QStringLiteral("autoconfig.lab.test"), m_lab.host());
        settings.hostOverrides.insert(QStringLiteral("lab.test"), m_lab.host());
        settings.httpsPort = server.port();
        settings.caCertificates = m_lab.caCertificates();

        QPointer<ui::AccountWizard> wizard;
        openWizard(settings, &wizard);
        QVERIFY(wizard);
        fillIdentityAndDiscover(wizard, m_imap);
        ui::DiscoveryPage *page = wizard->discoveryPageWidget();
        QCOMPARE(foundSources(wizard), QList({accounts::DiscoverySource::AutoconfigHost,
                                              accounts::DiscoverySource::AutoconfigWellKnown}));
        QVERIFY(page->imapButton()->isVisible());
        QVERIFY(page->imapButton()->isChecked());
        saveScreenshot(wizard, QStringLiteral("endtoend-wizard-discovery-autoconfig"));

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        QCOMPARE(servers->incomingEditor()->protocol(), accounts::IncomingProtocol::Imap);
        QCOMPARE(servers->incomingEditor()->server().host, m_lab.host());
        QCOMPARE(servers->incomingEditor()->server().port, m_lab.port(QStringLiteral("IMAPS")));
        QCOMPARE(servers->outgoingEditor()->server().port, m_lab.port(QStringLiteral("SUBMISSIONS")));
        testAndFinish(wizard, m_imap);
        // The window watches the new account's INBOX at once: no restart, no click.
        QVERIFY(m_window->mailPush()->isWatching(m_imap.user.address));
    }

    // Account B: the domain publishes RFC 6186 SRV records for POP3 and submission only.
    void addPop3AccountFoundBySrv()
    {
        const QString domain = m_lab.domain();
        const auto srv = [&](const char *service, const char *port, int priority) {
            return QStringLiteral("--srv-host=%1.%2,%3,%4,%5,1")
                .arg(QLatin1StringView(service), domain, m_lab.host())
                .arg(m_lab.port(QLatin1StringView(port)))
                .arg(priority);
        };
        HelperProcess dns;
        QVERIFY2(dns.startDnsmasq({srv("_pop3s._tcp", "POP3S", 0), srv("_submissions._tcp", "SUBMISSIONS", 0),
                                   // RFC 6186 §4: "." says there is no IMAP here.
                                   QStringLiteral("--srv-host=_imaps._tcp.%1").arg(domain),
                                   QStringLiteral("--srv-host=_imap._tcp.%1").arg(domain)}),
                 qPrintable(dns.error()));
        accounts::DiscoverySettings settings;
        settings.useProviderList = false;
        settings.useAutoconfig = false;
        settings.guessWhenNothingFound = false;
        settings.nameserver = dns.address();
        settings.nameserverPort = dns.port();

        QPointer<ui::AccountWizard> wizard;
        openWizard(settings, &wizard);
        QVERIFY(wizard);
        fillIdentityAndDiscover(wizard, m_pop);
        ui::DiscoveryPage *page = wizard->discoveryPageWidget();
        QCOMPARE(foundSources(wizard), QList({accounts::DiscoverySource::Srv}));
        QVERIFY(!page->imapButton()->isVisible());
        QVERIFY(page->pop3Button()->isChecked());
        saveScreenshot(wizard, QStringLiteral("endtoend-wizard-discovery-srv"));

        QTest::mouseClick(wizard->button(QWizard::NextButton), Qt::LeftButton);
        ui::ServerPage *servers = wizard->serverPage();
        QCOMPARE(servers->incomingEditor()->protocol(), accounts::IncomingProtocol::Pop3);
        QCOMPARE(servers->incomingEditor()->server().port, m_lab.port(QStringLiteral("POP3S")));
        QCOMPARE(servers->outgoingEditor()->server().port, m_lab.port(QStringLiteral("SUBMISSIONS")));
        testAndFinish(wizard, m_pop);
        QVERIFY(!m_window->mailPush()->isWatching(m_pop.user.address)); // POP3 has no push
    }

    // A's INBOX is pushed: IDLE runs, and its first sync put the INBOX in the folder tree; the user opens it.
    void imapInboxIsPushed()
    {
        ui::MailPush *push = m_window->mailPush();
        QTRY_VERIFY_WITH_TIMEOUT(push->isIdling(m_imap.user.address), kNetwork);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->pushIndicator()->text().contains(m_imap.user.address), kNetwork);
        QAbstractItemModel *folders = m_window->folderView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(folderIndex(folders, m_imap.user.address, QStringLiteral("INBOX")).isValid(),
                                 kNetwork);
        click(m_window->folderView(), folderIndex(folders, m_imap.user.address, QStringLiteral("INBOX")));
        QCOMPARE(m_window->messageListView()->model()->rowCount(), 0); // a new mailbox
    }

    // B -> A: the message appears in A's open INBOX by IDLE, with no Get Messages and no click.
    void sentFromPopArrivesInImapByPush()
    {
        const QString subject = QStringLiteral("Plans for the tern colony");
        const QStringList lines = {QStringLiteral("Hello Ada, the nesting plans are in the file."),
                                   QStringLiteral("Bring the map on Tuesday.")};
        const QByteArray bytes = randomBytes(120 * 1024);
        const QString file = writeFile(QStringLiteral("nesting-plans.bin"), bytes);
        QVERIFY(!file.isEmpty());

        QSignalSpy fetches(operations(), &ui::AccountOperations::started);
        compose(m_pop, m_imap, subject, lines, file);
        // B's local Sent copy is its first folder: its Inbox is still shown, to be filled by Get Messages.
        QVERIFY(folderIndex(m_window->folderView()->model(), m_pop.user.address, QStringLiteral("Sent")).isValid());
        QVERIFY(childNamed(m_window->folderView()->model(), m_pop.user.address, QStringLiteral("Inbox")));

        QTreeView *list = m_window->messageListView();
        QTRY_VERIFY_WITH_TIMEOUT(rowWithSubject(list->model(), subject) >= 0, kNetwork);
        QVERIFY(fetches.isEmpty()); // pushed: nothing asked the server for new mail
        const int row = rowWithSubject(list->model(), subject);
        const QModelIndex subjectIndex = list->model()->index(row, models::MessageListModel::SubjectColumn);
        QVERIFY(subjectIndex.data(Qt::FontRole).value<QFont>().bold()); // unread
        checkListRow(list->model(), row, m_pop);

        click(list, subjectIndex);
        checkOpenMessage(m_pop, subject, lines, QStringLiteral("nesting-plans.bin"), bytes);
        // The header block replaces the one-line "Downloading…" notice: let the layout catch up before the shot.
        auto *headers = m_window->messageView()->findChild<QLabel *>(QStringLiteral("messageHeaders"));
        QVERIFY(headers);
        QTRY_VERIFY(headers->height() >= headers->heightForWidth(headers->width()));
        saveScreenshot(m_window.get(), QStringLiteral("endtoend-main-window-pushed"));
    }

    // A -> B: B's POP3 inbox has it after File > Get Messages.
    void sentFromImapArrivesInPopByGetMessages()
    {
        const QString subject = QStringLiteral("Re: Plans for the tern colony");
        const QStringList lines = {QStringLiteral("Thanks Bob, here is the survey of the shore."),
                                   QStringLiteral("Tuesday suits me.")};
        const QByteArray bytes = randomBytes(80 * 1024);
        const QString file = writeFile(QStringLiteral("shore-survey.bin"), bytes);
        QVERIFY(!file.isEmpty());

        compose(m_imap, m_pop, subject, lines, file);
        // Postfix delivers after it accepted: wait for the mailbox, as a user waits before clicking.
        QTRY_COMPARE_WITH_TIMEOUT(test::LabMail(m_lab).pop3Count(m_pop.user), qint64(1), kNetwork);

        QSignalSpy finished(operations(), &ui::AccountOperations::finished);
        QAction *getMessages = m_window->action(QStringLiteral("getMessagesAction"));
        QVERIFY(getMessages);
        getMessages->trigger();
        // Get Messages asks every account: B downloads by POP3, A syncs by IMAP.
        const auto finishedFor = [&](const QString &account) {
            for (const QList<QVariant> &f : std::as_const(finished)) {
                if (f.at(0).toString() == account)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(finishedFor(m_pop.user.address) && finishedFor(m_imap.user.address), kNetwork);
        for (const QList<QVariant> &f : std::as_const(finished))
            QVERIFY2(f.at(1).toBool(), qPrintable(f.at(0).toString() + QStringLiteral(": ") + f.at(2).toString()));

        QAbstractItemModel *folders = m_window->folderView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(folderIndex(folders, m_pop.user.address, QStringLiteral("INBOX")).isValid(), kNetwork);
        click(m_window->folderView(), folderIndex(folders, m_pop.user.address, QStringLiteral("INBOX")));
        QTreeView *list = m_window->messageListView();
        QTRY_VERIFY(rowWithSubject(list->model(), subject) >= 0);
        const int row = rowWithSubject(list->model(), subject);
        checkListRow(list->model(), row, m_imap);
        click(list, list->model()->index(row, models::MessageListModel::SubjectColumn));
        checkOpenMessage(m_imap, subject, lines, QStringLiteral("shore-survey.bin"), bytes);
        saveScreenshot(m_window.get(), QStringLiteral("endtoend-main-window-pop3"));
    }

    void cleanupTestCase()
    {
        m_window.reset(); // IDLE ends: DONE, LOGOUT, threads joined
    }
};

QTEST_MAIN(TestEndToEndLab)
#include "tst_endtoend_lab.moc"
