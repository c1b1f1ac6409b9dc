// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: how an account's settings become protocol settings, and how a failed connection
// becomes the one line tern-cli and the UI show. Not installed with core's public headers.
#include "accounts/account.h"
#include "common/connection.h"
#include "imap/imapclient.h"
#include "pop3/session.h"
#include "smtp/session.h"

#include <QString>

namespace tern::sync {

// Session settings from the account: its security choice, user name and the stored secret. Cleartext
// logins run only because the user chose "none" for that server (SECURITY.md T8).
pop3::SessionConfig pop3Config(const accounts::Account &account, const QByteArray &secret);
smtp::SessionConfig smtpConfig(const accounts::Account &account, const QByteArray &secret);
imap::ImapClient::Config imapConfig(const accounts::Account &account, const QByteArray &secret);

// A client for the account's incoming IMAP server: imapConfig(), the server, tlsPolicy() and the time a reply
// may take (connecting and logging in included), owned by parent and not started.
imap::ImapClient *newImapClient(const accounts::Account &account, const QByteArray &secret, int timeoutMs,
                                QObject *parent);

// Validation always on; the account's --ca-file is trusted in addition to the system store.
protocols::TlsPolicy tlsPolicy(const accounts::Account &account);

// "TLS certificate not trusted: <subject>, SHA-256 <fp>" (SECURITY.md T6: the user sees what to pin).
QString certificateMessage(const protocols::CertificateInfo &certificate);

// "TLSv1.3 TLS_AES_256_GCM_SHA384" for reports and receipts.
QString tlsDescription(const protocols::TlsSessionInfo &tls);

} // namespace tern::sync
