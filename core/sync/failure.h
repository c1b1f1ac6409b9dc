// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: a finished protocol client's typed error as the one line tern-cli and the UI show
// ("TLS certificate not trusted: <subject>, SHA-256 <fp>", "authentication failed: server said <text>").
#include <QString>

namespace tern::imap {
class ImapClient;
}
namespace tern::pop3 {
class Pop3Client;
}
namespace tern::smtp {
class SmtpClient;
}

namespace tern::sync {

struct Failure
{
    enum class Kind { None, Certificate, Tls, Connection, Authentication, Protocol, Timeout };
    Kind kind = Kind::None;
    QString message;
    QString serverText;
};

// where: "host:port", named in messages that have no server text.
Failure pop3Failure(const pop3::Pop3Client &client, const QString &where);
Failure smtpFailure(const smtp::SmtpClient &client, const QString &where);
Failure imapFailure(const imap::ImapClient &client, const QString &where);

} // namespace tern::sync
