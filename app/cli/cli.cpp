// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include <QFile>
#include <QTextStream>

#include <cstdio>

namespace tern::cli {

int fail(const QString &message, int code)
{
    QTextStream(stderr) << "tern-cli: " << message << '\n';
    return code;
}

void printOut(const QString &text)
{
    QTextStream out(stdout);
    out << text;
    if (!text.endsWith(QLatin1Char('\n')))
        out << '\n';
}

QByteArray readAllStdin()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
    return in.readAll();
}

bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &usage)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList{QStringLiteral("tern-cli")} + args)) {
        fail(parser.errorText() + QStringLiteral(" (usage: tern-cli ") + usage + QLatin1Char(')'), Usage);
        return false;
    }
    return true;
}

} // namespace tern::cli
