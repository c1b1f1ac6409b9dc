// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"
#include "store/store.h"
#include "sync/imapofflinebodies.h"

#include <QObject>

namespace tern::ui {

// Downloads the bodies of an IMAP account's offline folders (sync/imapofflinebodies.h) after a sync, in a
// thread of its own with its own store connection, as AccountOperations' other workers do.
class OfflineBodiesWorker : public QObject
{
    Q_OBJECT

public:
    OfflineBodiesWorker(accounts::Account account, QByteArray password, QString storePath, diagnostics::TraceLog *log)
        : m_account(std::move(account))
        , m_password(std::move(password))
        , m_storePath(std::move(storePath))
        , m_log(log)
    {
    }

    void run()
    {
        if (!m_store.open(m_storePath)) {
            Q_EMIT done(false, tr("cannot open the mail store: %1").arg(m_store.error()));
            return;
        }
        auto *bodies = new sync::ImapOfflineBodies(m_account, m_password, &m_store, this);
        m_password.fill('\0');
        bodies->setTraceLog(m_log);
        connect(bodies, &sync::ImapOfflineBodies::progress, this, [this](qint64 done, qint64 total) {
            Q_EMIT progress(int(done), int(total));
        });
        connect(bodies, &sync::ImapOfflineBodies::finished, this, [this, bodies] {
            const bool ok = bodies->error() == sync::ImapOfflineBodies::Error::None;
            Q_EMIT done(ok, ok ? tr("%n message(s) kept for offline reading", nullptr, int(bodies->downloadedCount()))
                               : bodies->errorString());
        });
        bodies->start();
    }

Q_SIGNALS:
    void progress(int done, int total);
    void done(bool ok, const QString &message);

private:
    accounts::Account m_account;
    QByteArray m_password;
    QString m_storePath;
    diagnostics::TraceLog *m_log;
    store::Store m_store;
};

} // namespace tern::ui
