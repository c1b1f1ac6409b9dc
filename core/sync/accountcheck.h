// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "accounts/account.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

namespace tern::pop3 {
class Pop3Client;
}
namespace tern::smtp {
class SmtpClient;
}
namespace tern::diagnostics {
class TraceLog;
}

namespace tern::sync {

// "Test account" as an operation: connect and authenticate to the incoming server (POP3 for now), log out,
// then the same for SMTP submission (QUIT after AUTH, nothing sent). Reports what each server negotiated.
class AccountCheck : public QObject
{
    Q_OBJECT

public:
    enum class Error { None, Unsupported, Certificate, Tls, Connection, Authentication, Protocol, Timeout };
    Q_ENUM(Error)

    struct ServerReport
    {
        QString role;          // "incoming" or "smtp"
        QString address;       // host:port
        QString tls;           // "TLSv1.3 TLS_AES_256_GCM_SHA384", or "no TLS"
        QStringList capabilities;
        QStringList mechanisms; // SASL mechanisms offered
        QString login;          // how we logged in: a SASL mechanism name, or "USER/PASS"
    };

    AccountCheck(accounts::Account account, QByteArray incomingSecret, QByteArray smtpSecret,
                 QObject *parent = nullptr);
    ~AccountCheck() override;

    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    // The protocol inspector's log: one session per server checked. Must outlive the operation.
    void setTraceLog(diagnostics::TraceLog *log) { m_traceLog = log; }
    void start();

    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    QString serverText() const { return m_serverText; }
    QList<ServerReport> reports() const { return m_reports; }

Q_SIGNALS:
    void finished();

private:
    void startIncoming();
    void incomingFinished();
    void startSmtp();
    void smtpFinished();
    void fail(Error error, const QString &message, const QString &serverText = {});
    void finish();

    accounts::Account m_account;
    QByteArray m_incomingSecret;
    QByteArray m_smtpSecret;
    int m_timeoutMs = 60 * 1000;
    pop3::Pop3Client *m_pop3 = nullptr;
    smtp::SmtpClient *m_smtp = nullptr;
    ServerReport m_current;
    QList<ServerReport> m_reports;
    Error m_error = Error::None;
    QString m_errorString;
    QString m_serverText;
    bool m_finished = false;
    diagnostics::TraceLog *m_traceLog = nullptr;
    quint64 m_traceSession = 0;

    void beginTrace(const QString &protocol, const QString &server);
    void endTrace(const QString &tls, const QStringList &capabilities, const QString &outcome);
};

} // namespace tern::sync
