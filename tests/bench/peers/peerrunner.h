// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the peer clients (and tern-cli) for bench_peers: writes their configurations for the lab, gives
// each timed run a fresh cache or target, times the process and reads its peak RSS from wait4().
#include "labmailbox.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace tern::bench {

struct ProcessResult
{
    double seconds = -1;
    int exitCode = -1;   // -1: did not start or was killed by a signal
    long maxRssKiB = 0;  // the process and the children it waited for (ru_maxrss)
};

// Runs argv[0] (looked up in PATH) with `environment` added, stdout and stderr into `logFile`, and
// `input` on stdin.
ProcessResult runProcess(const QStringList &argv, const QStringList &environment, const QString &logFile,
                         const QByteArray &input = {});

class PeerRunner
{
public:
    PeerRunner(Lab lab, QString workDir);

    // neomutt opens INBOX with an empty header cache, fills it and quits; false and `note` on failure.
    bool neomuttColdOpen(const QByteArray &user, int messages, double &seconds, long &rss, QByteArray &note);
    // mbsync pulls INBOX into an empty maildir; `fsync` false adds "FSync No".
    bool mbsyncMirror(const QByteArray &user, int messages, bool fsync, double &seconds, long &rss, QByteArray &note);
    // tern-cli: a fresh profile with an IMAP account for `user` (implicit TLS, or plain IMAP when `tls` is
    // false), then a timed `sync --folder INBOX`.
    bool ternSync(const QByteArray &user, const QString &ternCli, bool tls, double &seconds, long &rss,
                  QByteArray &note);

private:
    QString path(const QString &name) const { return m_work + QLatin1Char('/') + name; }
    static QByteArray lastLine(const QString &logFile);

    Lab m_lab;
    QString m_work;
    int m_runs = 0;
};

} // namespace tern::bench
