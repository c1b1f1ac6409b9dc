// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// tern-cli's outbox runs, shared by `send` and `outbox`: lock, recover, send what is due, make Sent copies.
#include "accounts/account.h"
#include "outbox/outboxsender.h"

#include <QLockFile>
#include <QString>

#include <memory>

namespace tern::store {
class Store;
}

namespace tern::cli {

// One sending process per profile: the lock file is what tells recovery that a message in `sending` was
// left by a crashed process, not by one still at work. Qt removes the lock of a process that died.
std::unique_ptr<QLockFile> outboxLock(const QString &profileDirectory, int waitMs);

struct OutboxRun
{
    QList<outbox::OutboxSender::Outcome> outcomes;
    QString storeError;
    QString copyError; // the Sent copy failed (the mail itself was sent)
};

// Under the lock: recover interrupted messages, send every due message of the account (unless copiesOnly),
// then make the pending Sent copies.
OutboxRun runOutbox(const accounts::Account &account, const QByteArray &incomingSecret,
                    const QByteArray &smtpSecret, store::Store &store, bool copiesOnly = false);

} // namespace tern::cli
