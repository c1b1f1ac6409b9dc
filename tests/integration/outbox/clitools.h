// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// tern-cli runs for the outbox tests, without blocking the event loop (a server in the test process must
// keep answering while tern-cli talks to it).
#include "clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>

namespace tern::test {

struct CliRun
{
    int code = -1;
    bool crashed = false; // ended by a signal (the crash hook's SIGKILL)
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QString &profile, const QStringList &args, const QByteArray &input = {},
                     const QString &crashAt = {})
{
    QProcess p;
    CliRunner(QStringLiteral(TERN_CLI), profile).prepare(p, args);
    if (!crashAt.isEmpty()) {
        QProcessEnvironment env = p.processEnvironment();
        env.insert(QStringLiteral("TERN_OUTBOX_CRASH_AT"), crashAt);
        p.setProcessEnvironment(env);
    }
    QSignalSpy done(&p, &QProcess::finished);
    p.start();
    p.write(input);
    p.closeWriteChannel();
    if (!done.wait(120000)) {
        p.kill();
        p.waitForFinished();
        return {-1, false, {}, "timeout"};
    }
    return {p.exitCode(), p.exitStatus() == QProcess::CrashExit, p.readAllStandardOutput(), p.readAllStandardError()};
}

inline QJsonArray outboxJson(const QString &profile, const QString &name, const QStringList &extra = {})
{
    const CliRun r = runCli(profile, QStringList{QStringLiteral("outbox"), name, QStringLiteral("--json")} + extra);
    return QJsonDocument::fromJson(r.out).array();
}

} // namespace tern::test
