// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/sync: a finished protocol client's typed error as the one line tern-cli and the UI show
// ("TLS certificate not trusted: <subject>, SHA-256 <fp>", "authentication failed: server said <text>").
#include <QString>

#include <optional>

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

} // namespace tern::sync
