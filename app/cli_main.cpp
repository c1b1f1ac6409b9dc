// SPDX-License-Identifier: GPL-3.0-or-later
// tern-cli: the headless front on the same core.
#include "profile.h"

#include <tern/version.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tern-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TERN_VERSION_STRING));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tern's command-line front end"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);

    QTextStream(stderr) << "tern-cli: no command given (see --help)\n";
    return 2;
}
