// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composerwindow.h"
#include "compose/mailto.h"
#include "mainwindow.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

using tern::ui::ComposerWindow;

class TestComposer : public QObject
{
    Q_OBJECT

private slots:
    void mailtoLinkPrefillsTheComposer()
    {
        const auto draft = tern::compose::parseMailto(
            QStringLiteral("mailto:ada@example.org?cc=bob@example.org&subject=Engines&body=Dear%20Ada%2C%0D%0Ahello"));
        QVERIFY(draft);
        ComposerWindow composer;
        composer.setDraft(*draft);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QCOMPARE(composer.toField()->text(), QStringLiteral("ada@example.org"));
        QCOMPARE(composer.ccField()->text(), QStringLiteral("bob@example.org"));
        QCOMPARE(composer.subjectField()->text(), QStringLiteral("Engines"));
        QCOMPARE(composer.bodyEdit()->toPlainText(), QStringLiteral("Dear Ada,\nhello"));
        QCOMPARE(composer.windowTitle(), QStringLiteral("Engines — New Message"));
        QVERIFY(!composer.noticeBar()->isVisible());
    }

    void attachRequestIsRefusedVisibly()
    {
        const auto draft = tern::compose::parseMailto(QStringLiteral("mailto:x@evil.example?attach=/etc/passwd"));
        ComposerWindow composer;
        composer.setDraft(*draft);
        composer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&composer));
        QVERIFY(composer.noticeBar()->isVisible());
        QVERIFY(composer.noticeBar()->text().contains(QStringLiteral("attach")));
        QVERIFY(composer.bodyEdit()->toPlainText().isEmpty());
    }

    void newMessageActionOpensAComposer()
    {
        tern::ui::MainWindow window;
        window.show();
        QAction *action = window.findChild<QAction *>(QStringLiteral("newMessageAction"));
        QVERIFY(action && action->isEnabled());
        action->trigger();
        auto *composer = window.findChild<ComposerWindow *>();
        QVERIFY(composer);
        QVERIFY(QTest::qWaitForWindowExposed(composer));
        QVERIFY(composer->toField()->text().isEmpty());
    }
};

QTEST_MAIN(TestComposer)
#include "tst_composer.moc"
