// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the account tests share: the lab's autoconfig document, and the local servers discovery talks to.
#include "helperprocess.h"
#include "labenv.h"

#include <QDir>
#include <QFile>
#include <QString>

namespace tern::test {

// A clientConfig document for the lab, as a provider would publish it.
inline QByteArray labAutoconfig(const LabEnv &lab, const QString &displayName)
{
    const QByteArray host = lab.host().toLatin1();
    auto server = [&](const char *kind, const char *type, quint16 port, const char *socketType) -> QByteArray {
        return QByteArray("<") + kind + " type=\"" + type + "\"><hostname>" + host + "</hostname><port>"
               + QByteArray::number(port) + "</port><socketType>" + socketType
               + "</socketType><authentication>password-cleartext</authentication>"
                 "<username>%EMAILADDRESS%</username></" + kind + ">";
    };
    return "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\"><emailProvider id=\"lab.test\">"
           "<domain>lab.test</domain><displayName>" + displayName.toUtf8() + "</displayName>"
           + server("incomingServer", "imap", lab.port(QStringLiteral("IMAP")), "STARTTLS")
           + server("incomingServer", "imap", lab.port(QStringLiteral("IMAPS")), "SSL")
           + server("incomingServer", "pop3", lab.port(QStringLiteral("POP3S")), "SSL")
           + server("outgoingServer", "smtp", lab.port(QStringLiteral("SUBMISSIONS")), "SSL")
           + "</emailProvider></clientConfig>\n";
}

// Writes the document where both autoconfig URLs find it and starts the HTTPS server with a certificate
// for autoconfig.<domain> and <domain> issued by the lab's CA.
inline bool startAutoconfigServer(const LabEnv &lab, const QString &root, const QByteArray &document,
                                  HelperProcess *server)
{
    for (const QString &dir : {QStringLiteral("/mail"), QStringLiteral("/.well-known/autoconfig/mail")}) {
        QDir().mkpath(root + dir);
        QFile file(root + dir + QStringLiteral("/config-v1.1.xml"));
        if (!file.open(QIODevice::WriteOnly) || file.write(document) != document.size())
            return false;
    }
    const QString tls = lab.value(QStringLiteral("TERN_LAB_DIR")) + QStringLiteral("/tls/");
    QDir().mkpath(root + QStringLiteral("/../work"));
    return server->startScript(QStringLiteral("autoconfig_server.py"),
                               {QStringLiteral("--ca-cert"), lab.caFile(), QStringLiteral("--ca-key"),
                                tls + QStringLiteral("ca.key"), QStringLiteral("--names"),
                                QStringLiteral("autoconfig.%1,%1").arg(lab.domain()), QStringLiteral("--root"), root,
                                QStringLiteral("--work"), root + QStringLiteral("/../work")});
}

} // namespace tern::test
