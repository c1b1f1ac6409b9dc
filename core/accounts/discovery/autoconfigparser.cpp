// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/discovery/autoconfigparser.h"

#include <QXmlStreamReader>

#include <optional>

namespace tern::accounts {

namespace {

std::optional<Security> securityFromSocketType(const QString &socketType)
{
    // clientConfig's socketType: SSL (implicit TLS), STARTTLS, plain.
    if (socketType.compare(QLatin1StringView("SSL"), Qt::CaseInsensitive) == 0
        || socketType.compare(QLatin1StringView("TLS"), Qt::CaseInsensitive) == 0)
        return Security::Tls;
    if (socketType.compare(QLatin1StringView("STARTTLS"), Qt::CaseInsensitive) == 0)
        return Security::StartTls;
    if (socketType.compare(QLatin1StringView("plain"), Qt::CaseInsensitive) == 0)
        return Security::None;
    return std::nullopt;
}

std::optional<ServerProtocol> protocolFromType(const QString &type, bool incoming)
{
    if (incoming && type == QLatin1StringView("imap"))
        return ServerProtocol::Imap;
    if (incoming && type == QLatin1StringView("pop3"))
        return ServerProtocol::Pop3;
    if (!incoming && type == QLatin1StringView("smtp"))
        return ServerProtocol::Smtp;
    return std::nullopt;
}

// The reader over one document, with the limits checked at every element.
class Reader
{
public:
    Reader(const AutoconfigParser &parser, const AutoconfigParser::Limits &limits, const QByteArray &xml)
        : m_parser(parser), m_limits(limits), m_xml(xml)
    {
        m_xml.setEntityExpansionLimit(0);
    }

    bool run(QList<ProviderConfig> *providers, QString *error);

private:
    bool next();
    bool skipElement();
    bool readText(QString *text);
    bool readProvider(ProviderConfig *provider);
    bool readServer(bool incoming, ProviderConfig *provider);
    bool fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = why;
        return false;
    }

    const AutoconfigParser &m_parser;
    AutoconfigParser::Limits m_limits;
    QXmlStreamReader m_xml;
    int m_depth = 0;
    QString m_error;
};

bool Reader::next()
{
    m_xml.readNext();
    switch (m_xml.tokenType()) {
    case QXmlStreamReader::DTD:
        return fail(QStringLiteral("document type declarations are not accepted"));
    case QXmlStreamReader::EntityReference:
        return fail(QStringLiteral("entity references are not accepted"));
    case QXmlStreamReader::StartElement:
        if (++m_depth > m_limits.maxDepth)
            return fail(QStringLiteral("elements nested too deeply"));
        return true;
    case QXmlStreamReader::EndElement:
        --m_depth;
        return true;
    case QXmlStreamReader::Invalid:
        return fail(QStringLiteral("malformed XML: %1").arg(m_xml.errorString()));
    default:
        return true;
    }
}

// Skips the current element and everything inside it.
bool Reader::skipElement()
{
    const int depth = m_depth;
    while (m_depth >= depth) {
        if (!next())
            return false;
    }
    return true;
}

// The text of the current element; child elements are an error (the format has none where text is read).
bool Reader::readText(QString *text)
{
    text->clear();
    const int depth = m_depth;
    while (true) {
        if (!next())
            return false;
        if (m_xml.isCharacters()) {
            text->append(m_xml.text());
            if (text->size() > m_limits.maxText)
                return fail(QStringLiteral("text longer than %1 characters").arg(m_limits.maxText));
        } else if (m_xml.isStartElement()) {
            if (!skipElement())
                return false;
        } else if (m_xml.isEndElement() && m_depth < depth) {
            *text = text->trimmed();
            return true;
        } else if (m_xml.atEnd()) {
            return fail(QStringLiteral("document ends inside an element"));
        }
    }
}

bool Reader::readServer(bool incoming, ProviderConfig *provider)
{
    const auto protocol = protocolFromType(m_xml.attributes().value(QLatin1StringView("type")).toString(), incoming);
    ServerSetting server;
    QString socketType;
    QString portText;
    const int depth = m_depth;
    while (true) {
        if (!next())
            return false;
        if (m_xml.isEndElement() && m_depth < depth)
            break;
        if (!m_xml.isStartElement())
            continue;
        const QStringView name = m_xml.name();
        QString text;
        if (name == QLatin1StringView("hostname") || name == QLatin1StringView("port")
            || name == QLatin1StringView("socketType") || name == QLatin1StringView("username")
            || name == QLatin1StringView("authentication")) {
            if (!readText(&text))
                return false;
        } else if (!skipElement()) {
            return false;
        }
        if (name == QLatin1StringView("hostname"))
            server.host = m_parser.substitute(text).toLower();
        else if (name == QLatin1StringView("port"))
            portText = text;
        else if (name == QLatin1StringView("socketType"))
            socketType = text;
        else if (name == QLatin1StringView("username"))
            server.user = m_parser.substitute(text);
        else if (name == QLatin1StringView("authentication") && server.authentication.isEmpty())
            server.authentication = text; // the first is the provider's preference
    }
    bool portOk = false;
    const uint port = portText.toUInt(&portOk);
    const auto security = securityFromSocketType(socketType);
    // A server we cannot use exactly as described is dropped, never repaired by guessing.
    if (!protocol || !portOk || port == 0 || port > 65535 || !security || !isValidHostName(server.host))
        return true;
    server.protocol = *protocol;
    server.port = quint16(port);
    server.security = *security;
    QList<ServerSetting> &list = incoming ? provider->incoming : provider->outgoing;
    if (list.size() >= m_limits.maxServers)
        return fail(QStringLiteral("more than %1 servers").arg(m_limits.maxServers));
    list.append(server);
    return true;
}

bool Reader::readProvider(ProviderConfig *provider)
{
    provider->id = m_xml.attributes().value(QLatin1StringView("id")).toString().left(m_limits.maxText);
    const int depth = m_depth;
    while (true) {
        if (!next())
            return false;
        if (m_xml.isEndElement() && m_depth < depth)
            return true;
        if (!m_xml.isStartElement())
            continue;
        const QStringView name = m_xml.name();
        QString text;
        if (name == QLatin1StringView("incomingServer") || name == QLatin1StringView("outgoingServer")) {
            if (!readServer(name == QLatin1StringView("incomingServer"), provider))
                return false;
        } else if (name == QLatin1StringView("domain") || name == QLatin1StringView("displayName")
                   || name == QLatin1StringView("mxSuffix")) {
            if (!readText(&text))
                return false;
            if (name == QLatin1StringView("domain") && provider->domains.size() < m_limits.maxServers * 4)
                provider->domains << text.toLower();
            else if (name == QLatin1StringView("displayName") && provider->displayName.isEmpty())
                provider->displayName = text;
            else if (name == QLatin1StringView("mxSuffix") && provider->mxSuffixes.size() < m_limits.maxServers)
                provider->mxSuffixes << text.toLower();
        } else if (!skipElement()) {
            return false;
        }
    }
}

bool Reader::run(QList<ProviderConfig> *providers, QString *error)
{
    bool sawRoot = false;
    while (!m_xml.atEnd()) {
        if (!next())
            break;
        if (!m_xml.isStartElement())
            continue;
        if (m_depth == 1) {
            if (m_xml.name() != QLatin1StringView("clientConfig")) {
                fail(QStringLiteral("not a clientConfig document"));
                break;
            }
            sawRoot = true;
        } else if (m_depth == 2 && m_xml.name() == QLatin1StringView("emailProvider")) {
            if (providers->size() >= m_limits.maxProviders) {
                fail(QStringLiteral("more than %1 providers").arg(m_limits.maxProviders));
                break;
            }
            ProviderConfig provider;
            if (!readProvider(&provider))
                break;
            sortBySecurity(&provider.incoming);
            sortBySecurity(&provider.outgoing);
            providers->append(provider);
        } else if (!skipElement()) {
            break;
        }
    }
    if (m_error.isEmpty() && !sawRoot)
        m_error = QStringLiteral("not a clientConfig document");
    *error = m_error;
    return m_error.isEmpty();
}

} // namespace

AutoconfigParser::AutoconfigParser(QString address)
    : m_address(std::move(address))
{
    if (!splitAddress(m_address, &m_localPart, &m_domain)) {
        m_localPart.clear();
        m_domain.clear();
    }
}

QString AutoconfigParser::substitute(QString text) const
{
    text.replace(QLatin1StringView("%EMAILADDRESS%"), m_address);
    text.replace(QLatin1StringView("%EMAILLOCALPART%"), m_localPart);
    text.replace(QLatin1StringView("%EMAILDOMAIN%"), m_domain);
    return text;
}

bool AutoconfigParser::parse(const QByteArray &xml)
{
    m_providers.clear();
    m_error.clear();
    if (xml.size() > m_limits.maxBytes) {
        m_error = QStringLiteral("document larger than %1 bytes").arg(m_limits.maxBytes);
        return false;
    }
    Reader reader(*this, m_limits, xml);
    QList<ProviderConfig> providers;
    if (!reader.run(&providers, &m_error))
        return false;
    if (providers.isEmpty()) {
        m_error = QStringLiteral("the document names no e-mail provider");
        return false;
    }
    m_providers = providers;
    return true;
}

} // namespace tern::accounts
