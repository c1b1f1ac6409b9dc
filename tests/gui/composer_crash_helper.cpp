// SPDX-License-Identifier: GPL-3.0-or-later
// A composer in a process of its own, for the crash test: opens a ComposerWindow on the profile given, types
// the text given into it, and prints "saved <id>" each time a draft reaches the store. The test SIGKILLs it.
//   composer_crash_helper PROFILE AUTOSAVE_MS TEXT
#include "composer/composerwindow.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QTest>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: composer_crash_helper PROFILE AUTOSAVE_MS TEXT\n");
        return 2;
    }
    tern::accounts::Account account;
    account.name = QStringLiteral("Crash");
    account.identities = {{QStringLiteral("Crash Test"), QStringLiteral("crash@example.org"), QString()}};
    tern::ui::ComposerWindow composer;
    composer.setAttribute(Qt::WA_DeleteOnClose, false);
    composer.setContext({QString::fromLocal8Bit(argv[1]), {account}, nullptr});
    composer.setAutosaveInterval(QByteArray(argv[2]).toInt());
    QObject::connect(&composer, &tern::ui::ComposerWindow::draftSaved, [](qint64 id) {
        std::printf("saved %lld\n", static_cast<long long>(id));
        std::fflush(stdout);
    });
    composer.show();
    const QString text = QString::fromUtf8(argv[3]);
    QTimer::singleShot(0, &composer, [&composer, text] {
        composer.bodyEdit()->setFocus();
        QTest::keyClicks(composer.bodyEdit(), text); // typed, as a user would
        std::printf("typed\n");
        std::fflush(stdout);
    });
    return app.exec();
}
