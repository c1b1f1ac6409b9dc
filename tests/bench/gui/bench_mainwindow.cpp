// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 7's GUI latency benchmark (not a test): the main window over the 100k INBOX of tests/bench/imap
// (labmailbox.h, the mailbox bench_imapsync uses), synced into a fresh profile by Tern's own ImapSync, the
// window offscreen (or on $DISPLAY), IMAP IDLE running for the account as it does for a user. Medians of 5:
//   select   selectFolder() until the list's viewport has painted rows                  target < 200 ms
//   scroll   top to bottom in 500 scrollbar steps (each one a page the model has not read), one step per
//            timer tick through the event loop; a 2 ms probe timer measures the longest gap between its
//            ticks: the worst stall of the GUI thread                                     target < 50 ms
//   purity   during both: network system calls on the GUI thread (connect/read/write/send/recv on an IPv4/IPv6
//            socket, interposed here; the probe checked first against a real login) and SQLite write
//            statements or commits on the GUI thread (an authorizer and commit hook on every connection) target 0
//   ./tern.sh bench mainwindow     (a lab of its own), or with a running lab:
//   ./tern.sh shell -c 'build/tests/bench/gui/bench_mainwindow build/lab-manual/lab.env [messages]'
#include "labmailbox.h"

#include "accounts/accountstore.h"
#include "accounts/secretstore.h"
#include "mailpush.h"
#include "models/messagelistmodel.h"
#include "mainwindow.h"
#include "store/store.h"
#include "sync/imapsync.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QScrollBar>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QtCrypto>

#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdio>

using namespace tern::bench;

namespace {

const QByteArray kUser = "bench-fetch-100k@lab.test"; // the mailbox bench_imap_lab and bench_imapsync fill
const QString kAccount = QStringLiteral("bench");
const QByteArray kPrimary = "bench-gui-primary";

Qt::HANDLE g_guiThread = nullptr;
std::atomic<qint64> g_guiWrites{0};  // write statements prepared on the GUI thread
std::atomic<qint64> g_guiCommits{0}; // write transactions committed on the GUI thread
std::atomic<qint64> g_otherCommits{0};

int authorizer(void *, int action, const char *, const char *, const char *, const char *)
{
    switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_CREATE_TABLE:
    case SQLITE_DROP_TABLE:
        if (QThread::currentThreadId() == g_guiThread)
            ++g_guiWrites;
        break;
    default: break;
    }
    return SQLITE_OK;
}

int commitHook(void *)
{
    ++(QThread::currentThreadId() == g_guiThread ? g_guiCommits : g_otherCommits);
    return 0; // let it commit
}

// Runs for every SQLite connection the process opens (the window's, the sync threads', the writer's).
int watchConnection(sqlite3 *db, const char **, const sqlite3_api_routines *)
{
    sqlite3_set_authorizer(db, authorizer, nullptr);
    sqlite3_commit_hook(db, commitHook, nullptr);
    return SQLITE_OK;
}

// Network I/O on the GUI thread, at the system call: this executable's definitions of the socket calls come
// before libc's for every library (Qt's socket engine included), count calls made on the GUI thread on an
// IPv4/IPv6 socket (not a local one, such as an X server's), and pass them on.
pthread_t g_gui;
std::atomic<bool> g_watching{false};
std::atomic<qint64> g_guiNet{0};

void noteSocket(int fd)
{
    if (!g_watching.load(std::memory_order_relaxed) || !pthread_equal(pthread_self(), g_gui))
        return;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0
        && (address.ss_family == AF_INET || address.ss_family == AF_INET6))
        ++g_guiNet;
}

template<typename F>
F real(const char *name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Which event took the GUI thread longest while scrolling: each outermost event delivery is timed (the
// stall's cause, not only its length: a page read, a paint, a timer of the window's, a queued signal).
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool timing = false;
    double longestMs = 0;
    QByteArray longest;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!timing || m_depth > 0)
            return QApplication::notify(receiver, event);
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(t.nsecsElapsed()) / 1e6;
        if (ms > longestMs) {
            longestMs = ms;
            longest = QByteArray(receiver->metaObject()->className()) + " \"" + receiver->objectName().toUtf8()
                + "\" event " + QByteArray::number(int(event->type()));
        }
        return result;
    }

private:
    int m_depth = 0;
};

} // namespace

extern "C" {
ssize_t read(int fd, void *buf, size_t n)
{
    static const auto next = real<ssize_t (*)(int, void *, size_t)>("read");
    noteSocket(fd);
    return next(fd, buf, n);
}
ssize_t write(int fd, const void *buf, size_t n)
{
    static const auto next = real<ssize_t (*)(int, const void *, size_t)>("write");
    noteSocket(fd);
    return next(fd, buf, n);
}
ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    static const auto next = real<ssize_t (*)(int, const void *, size_t, int)>("send");
    noteSocket(fd);
    return next(fd, buf, n, flags);
}
ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    static const auto next = real<ssize_t (*)(int, void *, size_t, int)>("recv");
    noteSocket(fd);
    return next(fd, buf, n, flags);
}
ssize_t sendmsg(int fd, const msghdr *m, int flags)
{
    static const auto next = real<ssize_t (*)(int, const msghdr *, int)>("sendmsg");
    noteSocket(fd);
    return next(fd, m, flags);
}
ssize_t recvmsg(int fd, msghdr *m, int flags)
{
    static const auto next = real<ssize_t (*)(int, msghdr *, int)>("recvmsg");
    noteSocket(fd);
    return next(fd, m, flags);
}
int connect(int fd, const sockaddr *address, socklen_t length)
{
    static const auto next = real<int (*)(int, const sockaddr *, socklen_t)>("connect");
    if (g_watching.load(std::memory_order_relaxed) && pthread_equal(pthread_self(), g_gui)
        && (address->sa_family == AF_INET || address->sa_family == AF_INET6))
        ++g_guiNet;
    return next(fd, address, length);
}
}

namespace {

tern::accounts::Account account(const Lab &lab)
{
    tern::accounts::Account a;
    a.name = kAccount;
    a.identities = {{QStringLiteral("Bench"), QString::fromLatin1(kUser), QString()}};
    a.incomingProtocol = tern::accounts::IncomingProtocol::Imap;
    a.incoming.host = lab.host;
    a.incoming.port = lab.imapPort;
    a.incoming.security = tern::accounts::Security::None;
    a.incoming.user = QString::fromLatin1(kUser);
    a.incoming.authMechanism = QStringLiteral("PLAIN");
    a.smtp = a.incoming;
    return a;
}

bool makeProfile(const Lab &lab, const QString &dir)
{
    tern::accounts::AccountStore accounts(dir);
    tern::accounts::SecretStore secrets(dir, kPrimary);
    const tern::accounts::Account a = account(lab);
    if (!accounts.add(a) || !accounts.save()) {
        std::fprintf(stderr, "cannot write the profile: %s\n", qPrintable(accounts.error()));
        return false;
    }
    if (!secrets.store(a.incomingSecretKey(), lab.password) || !secrets.store(a.smtpSecretKey(), lab.password)) {
        std::fprintf(stderr, "cannot store the password: %s\n", qPrintable(secrets.error()));
        return false;
    }
    tern::sync::ImapSync sync(a, lab.password, dir + QStringLiteral("/store.sqlite"));
    QEventLoop loop;
    QObject::connect(&sync, &tern::sync::ImapSync::finished, &loop, &QEventLoop::quit);
    QElapsedTimer t;
    t.start();
    sync.start();
    loop.exec();
    if (sync.error() != tern::sync::ImapSync::Error::None) {
        std::fprintf(stderr, "sync failed: %s\n", qPrintable(sync.errorString()));
        return false;
    }
    std::printf("profile: %lld messages synced in %.2f s\n", (long long)sync.addedCount(), double(t.elapsed()) / 1000);
    return true;
}

// Waits (through the event loop) until the viewport has painted with rows in the model.
class PaintWatch : public QObject
{
public:
    explicit PaintWatch(QTreeView *view) : m_view(view) { view->viewport()->installEventFilter(this); }
    bool painted = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_view->model() && m_view->model()->rowCount() > 0)
            painted = true;
        return false;
    }

private:
    QTreeView *m_view;
};

double selectMs(tern::ui::MainWindow &window, qint64 folderId, qint64 otherId)
{
    window.selectFolder(otherId); // somewhere else first: the measured select reads the folder anew
    QCoreApplication::processEvents();
    PaintWatch watch(window.messageListView());
    QElapsedTimer t;
    t.start();
    window.selectFolder(folderId);
    std::printf("  selectFolder() returned after %.1f ms\n", double(t.nsecsElapsed()) / 1e6);
    while (!watch.painted)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    return double(t.nsecsElapsed()) / 1e6;
}

struct ScrollRun
{
    double maxStallMs = 0;
    double p99Ms = 0;
    double seconds = 0;
};

ScrollRun scroll(QTreeView *list, int steps)
{
    QScrollBar *bar = list->verticalScrollBar();
    bar->setValue(0);
    QCoreApplication::processEvents();
    QList<double> gaps;
    QElapsedTimer since;
    QTimer probe;
    probe.setInterval(2);
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        gaps.append(double(since.nsecsElapsed()) / 1e6);
        since.restart();
    });
    QEventLoop loop;
    int step = 0;
    QTimer driver;
    driver.setInterval(8);
    driver.setTimerType(Qt::PreciseTimer);
    QObject::connect(&driver, &QTimer::timeout, [&] {
        ++step;
        bar->setValue(int(qint64(bar->maximum()) * step / steps));
        if (step >= steps)
            loop.quit();
    });
    QElapsedTimer total;
    total.start();
    since.start();
    probe.start();
    driver.start();
    loop.exec();
    QCoreApplication::processEvents(); // the last step's paint
    gaps.append(double(since.nsecsElapsed()) / 1e6);
    ScrollRun r;
    r.seconds = double(total.nsecsElapsed()) / 1e9;
    std::sort(gaps.begin(), gaps.end());
    r.maxStallMs = gaps.last();
    r.p99Ms = gaps[qsizetype(double(gaps.size() - 1) * 0.99)];
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("TERN_SECRETS", "vault");
    qputenv("TERN_PRIMARY_PASSWORD", kPrimary);
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(watchConnection));
    TimedApplication app(argc, argv);
    QCA::Initializer qca; // the profile's password vault
    g_guiThread = QThread::currentThreadId();

    OwnLab ownLab(QStringLiteral(TERN_BINARY_DIR "/lab-bench-mainwindow"));
    Lab lab;
    int messages = 0;
    if (!openBenchLab(argc, argv, ownLab, kUser, &lab, &messages))
        return 1;
    QTemporaryDir profile;
    if (!makeProfile(lab, profile.path()))
        return 1;

    g_gui = pthread_self();
    g_watching = true;
    { // The probe must see a socket on the GUI thread when there is one.
        QSslSocket s;
        loginRaw(s, lab, kUser, false);
        s.write("z LOGOUT\r\n");
        readUntilTagged(s, "z");
        if (g_guiNet == 0) {
            std::fprintf(stderr, "the socket probe saw nothing of a GUI-thread socket: it cannot vouch for anything\n");
            return 1;
        }
        std::printf("socket probe checked: a GUI-thread IMAP login made %lld socket calls\n", (long long)g_guiNet.load());
    }

    tern::ui::MainWindow window;
    window.resize(1100, 700);
    if (!window.openProfile(profile.path())) {
        std::fprintf(stderr, "the window cannot open the profile\n");
        return 1;
    }
    window.show();
    tern::store::Store store;
    if (!store.open(profile.filePath(QStringLiteral("store.sqlite"))))
        return 1;
    const auto inbox = store.folder(kAccount, QStringLiteral("INBOX"));
    const auto other = store.folder(kAccount, QStringLiteral("Sent"));
    if (!inbox || !other) {
        std::fprintf(stderr, "the synced profile lacks INBOX or Sent\n");
        return 1;
    }
    const qint64 inboxCount = store.messageCount(inbox->id);
    // IDLE up (and its catch-up sync done) before measuring: the push threads run throughout, as for a user.
    QElapsedTimer wait;
    wait.start();
    while (!window.mailPush()->isIdling(kAccount) && wait.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    std::printf("IMAP IDLE %s while measuring\n", window.mailPush()->isIdling(kAccount) ? "running" : "NOT running");

    g_guiNet = 0;
    g_guiWrites = 0;
    g_guiCommits = 0;
    g_otherCommits = 0;
    QList<double> selects, stalls, p99s, queries;
    for (int run = 0; run < 6; ++run) { // run 0 warms caches and is not counted
        const double s = selectMs(window, inbox->id, other->id);
        app.timing = true;
        app.longestMs = 0;
        const ScrollRun r = scroll(window.messageListView(), 500);
        app.timing = false;
        std::printf("run %d: select %.1f ms (%d rows); scroll 500 steps in %.2f s, longest stall %.1f ms, p99 gap %.1f ms\n",
                    run, s, window.messageListView()->model()->rowCount(), r.seconds, r.maxStallMs, r.p99Ms);
        std::printf("run %d: longest event delivery while scrolling %.1f ms: %s\n", run, app.longestMs,
                    app.longest.constData());
        std::fflush(stdout);
        QElapsedTimer q; // the select's floor: the one query that reads the folder's ids in display order
        q.start();
        const qsizetype ids = store.messageIds(inbox->id).size();
        const double queryMs = double(q.nsecsElapsed()) / 1e6;
        std::printf("run %d: Store::messageIds alone %.1f ms (%lld ids)\n", run, queryMs, (long long)ids);
        if (run > 0) {
            queries.append(queryMs);
            selects.append(s);
            stalls.append(r.maxStallMs);
            p99s.append(r.p99Ms);
        }
    }
    std::printf("%lld messages in INBOX: select until rows painted %.1f ms (median; target < 200); longest event-loop "
                "stall while scrolling %.1f ms (median of per-run maxima; target < 50), p99 gap %.1f ms\n",
                (long long)inboxCount, median(selects), median(stalls), median(p99s));
    { // Where a select's time goes: the model alone, then the model under a bare QTreeView.
        tern::models::MessageListModel model(&store);
        QList<double> bare, viewed;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer m;
            m.start();
            model.setFolder(inbox->id);
            bare.append(double(m.nsecsElapsed()) / 1e6);
            model.setFolder(0);
        }
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setRootIsDecorated(false);
        view.setModel(&model);
        view.resize(800, 400);
        view.show();
        for (int i = 0; i < 5; ++i) {
            model.setFolder(0);
            QCoreApplication::processEvents();
            PaintWatch watch(&view);
            QElapsedTimer m;
            m.start();
            model.setFolder(inbox->id);
            while (!watch.painted)
                QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
            viewed.append(double(m.nsecsElapsed()) / 1e6);
        }
        std::printf("MessageListModel::setFolder alone %.1f ms; under a bare QTreeView until painted %.1f ms (medians)\n",
                    median(bare), median(viewed));
    }
    std::printf("of which the folder's id query alone: %.1f ms (median)\n", median(queries));
    std::printf("GUI thread during the runs: %lld network socket calls, %lld SQLite write statements, %lld commits "
                "(target 0 each); other threads committed %lld transactions\n",
                (long long)g_guiNet.load(), (long long)g_guiWrites.load(), (long long)g_guiCommits.load(),
                (long long)g_otherCommits.load());
    return g_guiNet == 0 && g_guiWrites == 0 && g_guiCommits == 0 ? 0 : 1;
}
