// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace tern::test {

// The running lab as tests see it: ports, the lab's CA, and fresh users. Reads $TERN_LAB_ENV
// (written by tests/lab/lab.sh start).
class LabEnv
{
public:
    // Loads the lab description; isValid() is false (and error() says why) when there is no lab.
    LabEnv();

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    QString host() const { return value(QStringLiteral("TERN_LAB_HOST")); }
    QString domain() const { return value(QStringLiteral("TERN_LAB_DOMAIN")); }
    quint16 port(const QString &name) const; // "IMAP", "IMAPS", "POP3", "POP3S", "SMTP", "SUBMISSION", ...
    QString caFile() const { return value(QStringLiteral("TERN_LAB_CA")); }
    QList<QSslCertificate> caCertificates() const;
    QString value(const QString &key) const { return m_values.value(key); }

    struct User
    {
        QString address;
        QString password;
    };
    // A mailbox nobody else uses: tests never share state through the lab.
    User createUser(const QString &prefix = QStringLiteral("user")) const;

private:
    QHash<QString, QString> m_values;
    QString m_error;
};

} // namespace tern::test
