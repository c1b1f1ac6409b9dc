// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace tern::test {

// tern-cli as a script runs it: a process with `--profile DIR`, its own vault unlocked by a fixed primary
// password (no keyring in tests), standard input, and what it printed.
class CliRunner
{
public:
    CliRunner(QString program, QString profile)
        : m_program(std::move(program))
        , m_profile(std::move(profile))
    {
    }

    struct Result
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    // Runs to completion (60 s at most; a hang is code -1 with "timeout" on err).
    Result run(const QStringList &args, const QByteArray &input = {}) const;
    // Sets up a process for the caller to start and watch itself (to kill it mid-operation, say).
    void prepare(QProcess &process, const QStringList &args) const;

    QString profile() const { return m_profile; }

private:
    QString m_program;
    QString m_profile;
};

} // namespace tern::test
