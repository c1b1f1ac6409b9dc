// SPDX-License-Identifier: GPL-3.0-or-later
// tern: the desktop client.
#include "mainwindow.h"
#include "profile.h"
#include "sync/tlspreload.h"

#include <tern/version.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QtCrypto>

#include <cstdio>
#include <cstring>
#include <thread>

int main(int argc, char *argv[])
{
    // --version answers without a display: QApplication would first need a windowing system.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("tern %s\n", TERN_VERSION_STRING);
            return 0;
        }
    }
    QApplication app(argc, argv);
    QCA::Initializer qcaInit;
    // The accounts connect as soon as the window is up: Qt's CA store loads meanwhile, on another core.
    std::jthread tlsPreload(&tern::sync::preloadTls);
    QApplication::setApplicationName(QStringLiteral("tern"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tern"));
    QApplication::setApplicationVersion(QStringLiteral(TERN_VERSION_STRING));
    QApplication::setDesktopFileName(QStringLiteral("org.tern.Tern"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tern, a desktop email client"));
    parser.addHelpOption();
    QCommandLineOption profileOption(QStringLiteral("profile"),
                                     QStringLiteral("Use the profile in <dir> (accounts, mail store)."),
                                     QStringLiteral("dir"));
    parser.addOption(profileOption);
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("A mailto: link to open in a new message."),
                                 QStringLiteral("[mailto:...]"));
    parser.process(app);

    const tern::core::Profile profile(parser.isSet(profileOption) ? parser.value(profileOption)
                                                                  : tern::core::Profile::defaultDirectory());
    tern::ui::MainWindow window;
    window.openProfile(profile.directory());
    window.show();
    // Through the window, so that the composer has the profile's accounts to send and save with.
    for (const QString &arg : parser.positionalArguments())
        window.openMailtoLink(arg);
    return app.exec();
}
