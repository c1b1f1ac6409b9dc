// SPDX-License-Identifier: GPL-3.0-or-later
#include "outboxrun.h"

#include "profile.h"

#include "outbox/outboxstore.h"
#include "outbox/sentcopier.h"
#include "store/store.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QThread>
#include <QEventLoop>

namespace tern::cli {

std::unique_ptr<QLockFile> outboxLock(const QString &profileDirectory, int waitMs)
{
    const QString path = core::Profile(profileDirectory).filePath(QStringLiteral("outbox.lock"));
    auto lock = std::make_unique<QLockFile>(path);
    lock->setStaleLockTime(0); // a long send is not stale; a dead owner is detected by its process id
    QDeadlineTimer deadline(waitMs);
    forever {
        if (lock->tryLock(0))
            return lock;
        // A process killed between creating the lock file and writing its id into it leaves an empty file:
        // no owner to ask, and with no stale time Qt would wait for it forever. A live owner writes its id
        // right after creating the file, so an empty file a second old is a crash's leftover.
        qint64 pid = 0;
        QString host, app;
        const QDateTime modified = QFileInfo(path).lastModified();
        if (!lock->getLockInfo(&pid, &host, &app) && modified.isValid()
            && modified.msecsTo(QDateTime::currentDateTime()) > 1000)
            lock->removeStaleLockFile();
        if (deadline.hasExpired())
            return nullptr;
        QThread::msleep(50);
    }
}

OutboxRun runOutbox(const accounts::Account &account, const QByteArray &incomingSecret,
                    const QByteArray &smtpSecret, store::Store &store, bool copiesOnly)
{
    OutboxRun run;
    outbox::OutboxStore queue(store.database());
    if (queue.recover(QDateTime::currentSecsSinceEpoch()) < 0) {
        run.storeError = queue.error();
        return run;
    }
    QEventLoop loop;
    if (!copiesOnly) {
        outbox::OutboxSender sender(account, smtpSecret, &store);
        QObject::connect(&sender, &outbox::OutboxSender::finished, &loop, &QEventLoop::quit);
        sender.start();
        loop.exec();
        run.outcomes = sender.outcomes();
        run.storeError = sender.storeError();
    }

    outbox::SentCopier copier(account, incomingSecret, &store);
    QObject::connect(&copier, &outbox::SentCopier::finished, &loop, &QEventLoop::quit);
    copier.start();
    loop.exec();
    run.copyError = copier.errorString();
    return run;
}

} // namespace tern::cli
