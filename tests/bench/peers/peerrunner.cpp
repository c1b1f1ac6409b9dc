// SPDX-License-Identifier: GPL-3.0-or-later
#include "peerrunner.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <vector>

#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace tern::bench {

ProcessResult runProcess(const QStringList &argv, const QStringList &environment, const QString &logFile,
                         const QByteArray &input)
{
    ProcessResult r;
    std::vector<QByteArray> storage;
    for (const QString &a : argv)
        storage.push_back(a.toLocal8Bit());
    const size_t argc = storage.size();
    // Our additions before the inherited environment: getenv() takes the first match.
    for (const QString &e : environment)
        storage.push_back(e.toLocal8Bit());
    for (char **e = environ; *e; ++e)
        storage.emplace_back(*e);
    std::vector<char *> args, env;
    for (size_t i = 0; i < storage.size(); ++i)
        (i < argc ? args : env).push_back(storage[i].data());
    args.push_back(nullptr);
    env.push_back(nullptr);
    const QByteArray log = QFile::encodeName(logFile);

    int pipeFds[2];
    if (::pipe(pipeFds) != 0)
        return r;
    std::signal(SIGPIPE, SIG_IGN); // a child that never reads its stdin must not kill us
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipeFds[0], 0);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        const int fd = ::open(log.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::close(fd);
        }
        ::execvpe(args[0], args.data(), env.data());
        ::_exit(127);
    }
    ::close(pipeFds[0]);
    if (pid < 0) {
        ::close(pipeFds[1]);
        return r;
    }
    if (!input.isEmpty() && ::write(pipeFds[1], input.constData(), size_t(input.size())) < 0) { /* reported by the child */ }
    ::close(pipeFds[1]);
    int status = 0;
    struct rusage usage{};
    if (::wait4(pid, &status, 0, &usage) != pid)
        return r;
    r.seconds = double(timer.nsecsElapsed()) / 1e9;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.maxRssKiB = usage.ru_maxrss;
    return r;
}

PeerRunner::PeerRunner(Lab lab, QString workDir) : m_lab(std::move(lab)), m_work(std::move(workDir)) { }

QByteArray PeerRunner::lastLine(const QString &logFile)
{
    QFile f(logFile);
    if (!f.open(QIODevice::ReadOnly))
        return "no output";
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    return lines.isEmpty() ? QByteArray("no output") : lines.last().trimmed();
}

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

qint64 treeSize(const QString &dir)
{
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        total += it.nextFileInfo().size();
    return total;
}

qsizetype fileCount(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files).size();
}

bool fresh(const QString &dir)
{
    return QDir(dir).removeRecursively() && QDir().mkpath(dir);
}

} // namespace

bool PeerRunner::neomuttColdOpen(const QByteArray &user, int messages, double &seconds, long &rss, QByteArray &note)
{
    const QString cache = path(QStringLiteral("neomutt-hcache"));
    const QString rc = path(QStringLiteral("neomuttrc"));
    const QString log = path(QStringLiteral("neomutt.log"));
    const QByteArray rcText = "set imap_user = \"" + user + "\"\n"
        "set imap_pass = \"" + m_lab.password + "\"\n"
        "set folder = \"imaps://127.0.0.1:" + QByteArray::number(m_lab.imapsPort) + "/\"\n"
        "set spool_file = \"+INBOX\"\n"
        "set ssl_ca_certificates_file = \"" + QFile::encodeName(m_lab.caFile) + "\"\n"
        "set header_cache = \"" + QFile::encodeName(cache) + "/\"\n"
        "set header_cache_backend = \"lmdb\"\n"
        "set imap_check_subscribed = no\n"
        "set mail_check_stats = no\n"
        "set quit = yes\n"
        "set sleep_time = 0\n"; // else each informational message holds the screen for a second
    if (!fresh(cache) || !writeFile(rc, rcText)) {
        note = "cannot write neomutt's configuration";
        return false;
    }
    // neomutt is a curses program: `script` gives it a terminal; <quit> runs once the index is loaded.
    const QString command = QStringLiteral("neomutt -n -F '%1' -e 'push <quit>'").arg(rc);
    const ProcessResult r = runProcess({QStringLiteral("script"), QStringLiteral("-qec"), command, QStringLiteral("/dev/null")},
                                       {QStringLiteral("TERM=dumb"), QStringLiteral("HOME=") + m_work}, log);
    const qint64 cached = treeSize(cache);
    if (r.exitCode != 0 || cached < qint64(messages) * 100) {
        note = "neomutt exited " + QByteArray::number(r.exitCode) + " with a " + QByteArray::number(cached)
            + "-byte header cache (see " + QFile::encodeName(log) + ")";
        return false;
    }
    seconds = r.seconds;
    rss = r.maxRssKiB;
    return true;
}

bool PeerRunner::mbsyncMirror(const QByteArray &user, int messages, bool fsync, double &seconds, long &rss,
                              QByteArray &note)
{
    const QString local = path(QStringLiteral("mbsync-maildir"));
    const QString trust = path(QStringLiteral("mbsync-trust.pem"));
    const QString rc = path(QStringLiteral("mbsyncrc"));
    const QString log = path(QStringLiteral("mbsync.log"));
    // mbsync matches the host name against DNS names only, not the certificate's IP address: it trusts a
    // certificate listed in CertificateFile as such, so the lab's own server certificate goes in with the CA.
    QFile ca(m_lab.caFile), server(m_lab.dir + QStringLiteral("/tls/server.pem"));
    if (!ca.open(QIODevice::ReadOnly) || !server.open(QIODevice::ReadOnly) || !writeFile(trust, ca.readAll() + server.readAll())) {
        note = "cannot read the lab's certificates";
        return false;
    }
    const QByteArray l = QFile::encodeName(local);
    const QByteArray rcText = QByteArray(fsync ? "" : "FSync No\n\n")
        + "IMAPAccount lab\nHost 127.0.0.1\nPort " + QByteArray::number(m_lab.imapsPort) + "\nUser " + user
        + "\nPass " + m_lab.password + "\nTLSType IMAPS\nCertificateFile " + QFile::encodeName(trust) + "\n\n"
        + "IMAPStore remote\nAccount lab\n\n"
        + "MaildirStore local\nPath " + l + "/\nInbox " + l + "/INBOX\n\n"
        + "Channel mirror\nFar :remote:\nNear :local:\nPatterns INBOX\nCreate Near\nSync Pull\nSyncState *\n";
    if (!fresh(local) || !writeFile(rc, rcText)) {
        note = "cannot write mbsync's configuration";
        return false;
    }
    const ProcessResult r = runProcess({QStringLiteral("mbsync"), QStringLiteral("-q"), QStringLiteral("-c"), rc,
                                        QStringLiteral("mirror")},
                                       {QStringLiteral("HOME=") + m_work}, log);
    const qsizetype mirrored = fileCount(local + QStringLiteral("/INBOX/new")) + fileCount(local + QStringLiteral("/INBOX/cur"));
    if (r.exitCode != 0 || mirrored != messages) {
        note = "mbsync exited " + QByteArray::number(r.exitCode) + " with " + QByteArray::number(mirrored)
            + " messages mirrored: " + lastLine(log);
        return false;
    }
    seconds = r.seconds;
    rss = r.maxRssKiB;
    return true;
}

bool PeerRunner::ternSync(const QByteArray &user, const QString &ternCli, bool tls, double &seconds, long &rss,
                          QByteArray &note)
{
    if (!QFileInfo(ternCli).isExecutable()) {
        note = "tern-cli is not built";
        return false;
    }
    const QString profile = path(QStringLiteral("tern-profile-") + QString::number(++m_runs));
    const QString log = path(QStringLiteral("tern-cli.log"));
    const QStringList env{QStringLiteral("TERN_PRIMARY_PASSWORD=bench-primary"), QStringLiteral("TERN_SECRETS=vault"),
                          QStringLiteral("HOME=") + m_work};
    const QString u = QString::fromLatin1(user);
    const ProcessResult added = runProcess(
        {ternCli, QStringLiteral("--profile"), profile, QStringLiteral("account"), QStringLiteral("add"), QStringLiteral("bench"),
         QStringLiteral("--email"), u, QStringLiteral("--incoming"), QStringLiteral("imap"),
         QStringLiteral("--incoming-host"), m_lab.host, QStringLiteral("--incoming-port"),
         QString::number(tls ? m_lab.imapsPort : m_lab.imapPort), QStringLiteral("--incoming-security"),
         tls ? QStringLiteral("tls") : QStringLiteral("none"), QStringLiteral("--smtp-host"), m_lab.host,
         QStringLiteral("--smtp-port"), QString::number(m_lab.submissionsPort), QStringLiteral("--smtp-security"),
         QStringLiteral("tls"), QStringLiteral("--user"), u, QStringLiteral("--password-stdin"), QStringLiteral("--ca-file"),
         m_lab.caFile},
        env, log, m_lab.password + '\n');
    if (added.exitCode != 0) {
        note = "tern-cli account add: " + lastLine(log);
        return false;
    }
    const ProcessResult r = runProcess({ternCli, QStringLiteral("--profile"), profile, QStringLiteral("sync"),
                                        QStringLiteral("bench"), QStringLiteral("--folder"), QStringLiteral("INBOX")},
                                       env, log);
    QDir(profile).removeRecursively();
    if (r.exitCode != 0) {
        note = "tern-cli sync: " + lastLine(log);
        return false;
    }
    seconds = r.seconds;
    rss = r.maxRssKiB;
    return true;
}

} // namespace tern::bench
