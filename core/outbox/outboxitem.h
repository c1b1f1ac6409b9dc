// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::outbox {

// Where a message stands (issue 6, "Outbox"). The text forms are what the store keeps and what
// `tern-cli outbox --json` prints.
enum class State {
    Queued,             // waiting to be sent (new, or put back by recovery or by the user)
    Sending,            // committed before MAIL FROM: a run owns it; nothing of the message is on the wire yet
    DataSent,           // committed just before the DATA terminator: the server may queue it from now on
    Sent,               // the server's final 2xx: see the receipt
    FailedTemporary,    // 4xx or a connection/login problem before the terminator: retried after nextAttempt
    FailedPermanent,    // 5xx or refused before sending: error() holds the reason, per recipient
    DeliveryUncertain,  // the terminator may have left and no reply came: never resent automatically (L1)
};

enum class SentCopyState {
    None,      // not sent yet: no copy to make
    Pending,   // sent; the copy to the Sent folder is still to be made (retried on every run)
    Done,
    Failed,    // the last attempt failed (sentCopyError); retried on the next run, never re-sending the mail
};

QString stateName(State state);
std::optional<State> stateFromName(const QString &name);
QString sentCopyStateName(SentCopyState state);
std::optional<SentCopyState> sentCopyStateFromName(const QString &name);

// The SMTP envelope and the few header fields a queue listing shows. Bcc addresses are in rcpt (and in bcc
// for the listing) but never in the message bytes (SECURITY.md D6).
struct Envelope
{
    QString from;
    QStringList to, cc, bcc;
    QStringList rcpt; // RCPT TO, in order: To, Cc, Bcc without duplicates
    QString subject;

    QJsonObject toJson() const;
    static Envelope fromJson(const QJsonObject &json);
};

// What the server said when it took the message (issue 6: server, final reply text, TLS version and cipher).
struct Receipt
{
    QString server; // "host:port"
    QString reply;  // "250 2.0.0 Ok: queued as 4Xyz"
    QString tls;    // "TLSv1.3 TLS_AES_256_GCM_SHA384", or "no TLS"

    bool isEmpty() const { return server.isEmpty() && reply.isEmpty(); }
    QJsonObject toJson() const;
    static Receipt fromJson(const QJsonObject &json);
};

struct OutboxItem
{
    qint64 id = 0;
    QString account;
    State state = State::Queued;
    Envelope envelope;
    QByteArray messageId; // "<...>", assigned at queue time and kept by a re-send
    QByteArray raw;       // the RFC 5322 bytes, exactly as they go out and into the Sent folder
    int attempts = 0;
    qint64 nextAttempt = 0; // seconds since the epoch; 0: as soon as possible
    Receipt receipt;
    QString error;          // the last sending failure, one line (per recipient when the server said why)
    SentCopyState sentCopy = SentCopyState::None;
    QString sentCopyError;
    qint64 created = 0;
    qint64 updated = 0;
};

} // namespace tern::outbox
