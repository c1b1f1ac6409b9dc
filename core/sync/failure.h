// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: a finished protocol client's typed error as the one line tern-cli and the UI show
// ("TLS certificate not trusted: <subject>, SHA-256 <fp>", "authentication failed: server said <text>").
#include "accounts/account.h"

#include <QString>

#include <optional>
#include <utility>

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

// The operation's own error for a failure: each operation's Error enum names these kinds alike. Nothing for
// Kind::None, where the session ended without a fault and the operation judges whether that was early.
template<typename Error>
std::optional<Error> errorFor(Failure::Kind kind)
{
    switch (kind) {
    case Failure::Kind::None: return std::nullopt;
    case Failure::Kind::Certificate: return Error::Certificate;
    case Failure::Kind::Tls: return Error::Tls;
    case Failure::Kind::Connection: return Error::Connection;
    case Failure::Kind::Authentication: return Error::Authentication;
    case Failure::Kind::Protocol: return Error::Protocol;
    case Failure::Kind::Timeout: return Error::Timeout;
    }
    return std::nullopt;
}

// where: "host:port", named in messages that have no server text.
Failure pop3Failure(const pop3::Pop3Client &client, const QString &where);
Failure smtpFailure(const smtp::SmtpClient &client, const QString &where);
Failure imapFailure(const imap::ImapClient &client, const QString &where);

// How an IMAP operation's session ended, as the operation's error and its line: the session's own fault, else,
// when the operation had not got to its end (reachedEnd false), "connection to host:port ended <before>".
// Nothing when the session ended where the operation ended it.
template<typename Error>
std::optional<std::pair<Error, QString>> imapSessionEnd(const imap::ImapClient &client, const accounts::Account &account,
                                                        bool reachedEnd, const QString &before)
{
    const QString where = QStringLiteral("%1:%2").arg(account.incoming.host).arg(account.incoming.port);
    const Failure failure = imapFailure(client, where);
    if (const auto error = errorFor<Error>(failure.kind))
        return std::pair{*error, failure.message};
    if (!reachedEnd)
        return std::pair{Error::Connection, QStringLiteral("connection to %1 ended %2").arg(where, before)};
    return std::nullopt;
}

} // namespace tern::sync
