// SPDX-License-Identifier: GPL-3.0-or-later
#include "outboxrun.h"

#include "profile.h"

#include "outbox/outboxstore.h"
#include "outbox/sentcopier.h"
#include "store/store.h"

#include <QDateTime>
#include <QEventLoop>

namespace tern::cli {

std::unique_ptr<QLockFile> outboxLock(const QString &profileDirectory, int waitMs)
{
    auto lock = std::make_unique<QLockFile>(core::Profile(profileDirectory).filePath(QStringLiteral("outbox.lock")));
    lock->setStaleLockTime(0); // a long send is not stale; a dead owner is detected by its process id
    if (!lock->tryLock(waitMs))
        return nullptr;
    return lock;
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
