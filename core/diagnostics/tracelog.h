// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

namespace tern::diagnostics {

// One line of a session: a command sent, a reply received, or an event (TLS established, timeout ...).
// The text was redacted where the protocol built it (STYLE.md, VMime's getTraceText()); nothing here ever
// sees a secret to hide.
struct TraceRecord
{
    enum class Kind { Sent, Received, Event };
    Kind kind = Kind::Event;
    qint64 msecsSinceEpoch = 0;
    QString text;
};

// One connection of one account: a POP3 download, an account check's SMTP half, an IMAP IDLE ...
struct TraceSession
{
    quint64 id = 0;
    QString account;
    QString protocol; // "POP3", "IMAP", "SMTP"
    QString server;   // host:port
    qint64 startedMsecs = 0;
    qint64 endedMsecs = 0; // 0 while live
    QString tls;           // "TLSv1.3 TLS_AES_256_GCM_SHA384", "no TLS", or empty when not known yet
    QStringList capabilities;
    QString outcome;       // empty on success, else the operation's error line
    QList<TraceRecord> records;
    qint64 droppedRecords = 0; // beyond the per-session bound, oldest first

    bool isLive() const { return endedMsecs == 0; }
};

// Collects protocol traces for the inspector. Thread-safe: protocol clients may run in sync threads while the
// GUI reads snapshots. Bounded: at most Limits::maxSessions sessions (the oldest ended ones go first), each
// keeping its last maxRecordsPerSession records, each record at most maxTextChars characters (a 10 MB
// FETCH reply is not kept whole, only its first line matters to a reader).
class TraceLog : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxSessions = 200;
        int maxRecordsPerSession = 5000;
        int maxTextChars = 4096;
    };

    explicit TraceLog(QObject *parent = nullptr);
    explicit TraceLog(const Limits &limits, QObject *parent = nullptr);

    quint64 beginSession(const QString &account, const QString &protocol, const QString &server);
    void append(quint64 session, TraceRecord::Kind kind, qint64 msecsSinceEpoch, const QByteArray &text);
    void setTls(quint64 session, const QString &tls);
    void setCapabilities(quint64 session, const QStringList &capabilities);
    void endSession(quint64 session, const QString &outcome = {});

    // Snapshots. sessions() leaves records out (the list view needs only the headers).
    QList<TraceSession> sessions() const;
    std::optional<TraceSession> session(quint64 id) const;
    void clear();

    // The sessions as text for a bug report: what the inspector shows, already redacted. All sessions when
    // ids is empty.
    QString exportText(const QList<quint64> &ids = {}) const;
    static QString formatSession(const TraceSession &session);

Q_SIGNALS:
    // Emitted from the thread that changed the log; connect with the default (auto) connection.
    void sessionStarted(quint64 id);
    void sessionChanged(quint64 id);
    void sessionEnded(quint64 id);

private:
    TraceSession *find(quint64 id);
    const TraceSession *find(quint64 id) const;
    void trim();

    Limits m_limits;
    mutable QMutex m_mutex;
    std::deque<TraceSession> m_sessions;
    quint64 m_nextId = 1;
};

} // namespace tern::diagnostics
