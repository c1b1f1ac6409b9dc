// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/account.h"

#include <QJsonArray>

namespace tern::accounts {

QString securityName(Security security)
{
    switch (security) {
    case Security::Tls: return QStringLiteral("tls");
    case Security::StartTls: return QStringLiteral("starttls");
    case Security::None: return QStringLiteral("none");
    }
    return {};
}

bool parseSecurity(const QString &text, Security *security)
{
    for (Security s : {Security::Tls, Security::StartTls, Security::None}) {
        if (text == securityName(s)) {
            *security = s;
            return true;
        }
    }
    return false;
}

QString protocolName(IncomingProtocol protocol)
{
    return protocol == IncomingProtocol::Imap ? QStringLiteral("imap") : QStringLiteral("pop3");
}

bool parseProtocol(const QString &text, IncomingProtocol *protocol)
{
    if (text == QLatin1StringView("imap"))
        *protocol = IncomingProtocol::Imap;
    else if (text == QLatin1StringView("pop3"))
        *protocol = IncomingProtocol::Pop3;
    else
        return false;
    return true;
}

namespace {

QJsonObject serverToJson(const Server &server)
{
    return {{QStringLiteral("host"), server.host},
            {QStringLiteral("port"), int(server.port)},
            {QStringLiteral("security"), securityName(server.security)},
            {QStringLiteral("auth"), server.authMechanism},
            {QStringLiteral("user"), server.user}};
}

Server serverFromJson(const QJsonObject &json)
{
    Server server;
    server.host = json.value(QStringLiteral("host")).toString();
    server.port = quint16(json.value(QStringLiteral("port")).toInt());
    if (!parseSecurity(json.value(QStringLiteral("security")).toString(), &server.security))
        server.security = Security::Tls; // an unreadable value never weakens security
    server.authMechanism = json.value(QStringLiteral("auth")).toString();
    server.user = json.value(QStringLiteral("user")).toString();
    return server;
}

bool isPlausibleHost(const QString &host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    for (QChar c : host) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c == QLatin1Char('/'))
            return false;
    }
    return true;
}

} // namespace

QStringList Account::validate() const
{
    QStringList problems;
    if (name.trimmed().isEmpty())
        problems << QStringLiteral("the account has no name");
    if (name.contains(QLatin1Char('/')))
        problems << QStringLiteral("the account name must not contain '/'");
    if (identities.isEmpty() || !identities.first().address.contains(QLatin1Char('@')))
        problems << QStringLiteral("the account needs an e-mail address");
    if (!isPlausibleHost(incoming.host))
        problems << QStringLiteral("the incoming server's host name is not valid");
    if (incoming.port == 0)
        problems << QStringLiteral("the incoming server's port is not valid");
    if (!isPlausibleHost(smtp.host))
        problems << QStringLiteral("the SMTP server's host name is not valid");
    if (smtp.port == 0)
        problems << QStringLiteral("the SMTP server's port is not valid");
    return problems;
}

void Account::pinCertificate(const CertificatePin &pin)
{
    pinnedCertificates.removeIf([&](const CertificatePin &p) {
        return p.host.compare(pin.host, Qt::CaseInsensitive) == 0 && p.port == pin.port;
    });
    pinnedCertificates.append(pin);
}

QJsonObject Account::toJson() const
{
    QJsonArray ids;
    for (const Identity &id : identities) {
        ids.append(QJsonObject{{QStringLiteral("name"), id.name},
                               {QStringLiteral("address"), id.address},
                               {QStringLiteral("signature"), id.signature}});
    }
    QJsonArray pins;
    for (const CertificatePin &pin : pinnedCertificates) {
        pins.append(QJsonObject{{QStringLiteral("host"), pin.host},
                                {QStringLiteral("port"), int(pin.port)},
                                {QStringLiteral("sha256"), QString::fromLatin1(pin.sha256.toHex())}});
    }
    QJsonObject incomingJson = serverToJson(incoming);
    incomingJson.insert(QStringLiteral("protocol"), protocolName(incomingProtocol));
    return {{QStringLiteral("name"), name},
            {QStringLiteral("identities"), ids},
            {QStringLiteral("incoming"), incomingJson},
            {QStringLiteral("smtp"), serverToJson(smtp)},
            {QStringLiteral("caFile"), caFile},
            {QStringLiteral("pinnedCertificates"), pins},
            {QStringLiteral("options"),
             QJsonObject{{QStringLiteral("pop3LeaveOnServer"), options.pop3LeaveOnServer},
                         {QStringLiteral("pop3DeleteAfterDays"), options.pop3DeleteAfterDays},
                         {QStringLiteral("imapIdle"), options.imapIdle},
                         {QStringLiteral("offlineFolders"), QJsonArray::fromStringList(options.offlineFolders)},
                         {QStringLiteral("checkIntervalMinutes"), options.checkIntervalMinutes}}}};
}

Account Account::fromJson(const QJsonObject &json)
{
    Account account;
    account.name = json.value(QStringLiteral("name")).toString();
    for (const QJsonValue &v : json.value(QStringLiteral("identities")).toArray()) {
        const QJsonObject id = v.toObject();
        account.identities.append({id.value(QStringLiteral("name")).toString(),
                                   id.value(QStringLiteral("address")).toString(),
                                   id.value(QStringLiteral("signature")).toString()});
    }
    const QJsonObject incomingJson = json.value(QStringLiteral("incoming")).toObject();
    account.incoming = serverFromJson(incomingJson);
    if (!parseProtocol(incomingJson.value(QStringLiteral("protocol")).toString(), &account.incomingProtocol))
        account.incomingProtocol = IncomingProtocol::Imap;
    account.smtp = serverFromJson(json.value(QStringLiteral("smtp")).toObject());
    account.caFile = json.value(QStringLiteral("caFile")).toString();
    for (const QJsonValue &v : json.value(QStringLiteral("pinnedCertificates")).toArray()) {
        const QJsonObject pin = v.toObject();
        const QByteArray sha256 = QByteArray::fromHex(pin.value(QStringLiteral("sha256")).toString().toLatin1());
        const int port = pin.value(QStringLiteral("port")).toInt();
        if (sha256.size() != 32 || port <= 0 || port > 65535)
            continue; // a damaged pin trusts nothing
        account.pinnedCertificates.append({pin.value(QStringLiteral("host")).toString(), quint16(port), sha256});
    }
    const QJsonObject o = json.value(QStringLiteral("options")).toObject();
    account.options.pop3LeaveOnServer = o.value(QStringLiteral("pop3LeaveOnServer")).toBool(true);
    account.options.pop3DeleteAfterDays = o.value(QStringLiteral("pop3DeleteAfterDays")).toInt(0);
    account.options.imapIdle = o.value(QStringLiteral("imapIdle")).toBool(true);
    if (o.contains(QStringLiteral("offlineFolders"))) {
        account.options.offlineFolders.clear();
        for (const QJsonValue &f : o.value(QStringLiteral("offlineFolders")).toArray())
            account.options.offlineFolders << f.toString();
    }
    account.options.checkIntervalMinutes = o.value(QStringLiteral("checkIntervalMinutes")).toInt(10);
    return account;
}

} // namespace tern::accounts
