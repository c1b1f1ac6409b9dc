// SPDX-License-Identifier: GPL-3.0-or-later
#include "labenv.h"

#include <QFile>
#include <QUuid>

namespace tern::test {

LabEnv::LabEnv()
{
    const QString path = qEnvironmentVariable("TERN_LAB_ENV");
    if (path.isEmpty()) {
        m_error = QStringLiteral("TERN_LAB_ENV is not set: integration tests run through ctest's lab fixture");
        return;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_error = QStringLiteral("cannot read %1: is the lab running?").arg(path);
        return;
    }
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq > 0)
            m_values.insert(line.left(eq), line.mid(eq + 1));
    }
}

quint16 LabEnv::port(const QString &name) const
{
    return quint16(value(QStringLiteral("TERN_LAB_%1_PORT").arg(name.toUpper())).toUInt());
}

QList<QSslCertificate> LabEnv::caCertificates() const
{
    return QSslCertificate::fromPath(caFile(), QSsl::Pem);
}

LabEnv::User LabEnv::createUser(const QString &prefix) const
{
    // Every name@lab.test that is not in the lab's passwd-file logs in with the lab password (a static
    // passdb), and Dovecot creates its mailbox on first use: a new name is a new, empty mailbox.
    const QString id = QUuid::createUuid().toString(QUuid::Id128).left(12);
    return User{prefix + QLatin1Char('-') + id + QLatin1Char('@') + domain(),
                value(QStringLiteral("TERN_LAB_PASSWORD"))};
}

} // namespace tern::test
