// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::cli {

// Exit codes: 0 success, 1 the operation failed (network, server, data), 2 the command line is wrong.
enum Exit { Ok = 0, Failed = 1, Usage = 2 };

struct Context
{
    QString profileDirectory;
    QStringList args; // the command's own words and options, after the command name(s)
};

// Prints "tern-cli: <message>" on stderr, one line, and returns the exit code.
int fail(const QString &message, int code = Failed);
void printOut(const QString &text);
QByteArray readAllStdin();

// Parses ctx.args with parser (the command's options); on error prints it and returns false.
bool parseArgs(QCommandLineParser &parser, const QStringList &args, const QString &usage);

// Loads account NAME and the secrets asked for (a null pointer: not needed); on failure prints the error,
// sets *code and returns nullopt.
std::optional<accounts::Account> loadAccount(const Context &ctx, const QString &name, QByteArray *incomingSecret,
                                             QByteArray *smtpSecret, int *code);

int accountCommand(const Context &ctx);
int foldersCommand(const Context &ctx);
int listCommand(const Context &ctx);
int searchCommand(const Context &ctx);
int showCommand(const Context &ctx);
int parseCommand(const Context &ctx);
int syncCommand(const Context &ctx);
int sendCommand(const Context &ctx);
int outboxCommand(const Context &ctx);

} // namespace tern::cli
