// SPDX-License-Identifier: GPL-3.0-or-later
#include "clirunner.h"

#include <QSignalSpy>

namespace tern::test {

void CliRunner::prepare(QProcess &process, const QStringList &args) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TERN_PRIMARY_PASSWORD"), QStringLiteral("test-primary"));
    env.insert(QStringLiteral("TERN_SECRETS"), QStringLiteral("vault"));
    process.setProcessEnvironment(env);
    process.setProgram(m_program);
    process.setArguments(QStringList{QStringLiteral("--profile"), m_profile} + args);
}

CliRunner::Result CliRunner::run(const QStringList &args, const QByteArray &input) const
{
    QProcess p;
    prepare(p, args);
    // Waits in the event loop, so servers and relays living in the test process keep serving meanwhile.
    QSignalSpy finished(&p, &QProcess::finished);
    p.start();
    p.write(input);
    p.closeWriteChannel();
    if (!finished.wait(60000)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, QByteArrayLiteral("timeout")};
    }
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace tern::test
