// SPDX-License-Identifier: GPL-3.0-or-later
// The clientConfig parser reads documents from servers we do not control: every row is either a usable
// configuration or a clear error, never a crash and never a guessed server.
#include "accounts/discovery/autoconfigparser.h"

#include <QFile>
#include <QTest>

using namespace tern::accounts;

class TestAutoconfigParser : public QObject
{
    Q_OBJECT

private:
    static QByteArray wrap(const QByteArray &servers)
    {
        return "<clientConfig version=\"1.1\"><emailProvider id=\"x\"><domain>example.org</domain>" + servers
               + "</emailProvider></clientConfig>";
    }
    static QByteArray imap(const QByteArray &host, const QByteArray &port, const QByteArray &socketType)
    {
        return "<incomingServer type=\"imap\"><hostname>" + host + "</hostname><port>" + port + "</port><socketType>"
               + socketType + "</socketType><username>%EMAILADDRESS%</username></incomingServer>";
    }

private Q_SLOTS:
    void parsesThunderbirdDocument()
    {
        QFile file(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/autoconfig/example.xml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        AutoconfigParser parser(QStringLiteral("jane.doe@example.org"));
        QVERIFY2(parser.parse(file.readAll()), qPrintable(parser.error()));
        QCOMPARE(parser.providers().size(), 1);
        const ProviderConfig p = parser.providers().first();
        QCOMPARE(p.id, QStringLiteral("example.org"));
        QCOMPARE(p.domains, QStringList({QStringLiteral("example.org"), QStringLiteral("example.net")}));
        QCOMPARE(p.displayName, QStringLiteral("Example Mail"));
        // exchange is skipped; implicit TLS sorts before STARTTLS (RFC 8314), document order otherwise.
        QCOMPARE(p.incoming.size(), 3);
        QCOMPARE(p.incoming.at(0).host, QStringLiteral("imap.example.org"));
        QCOMPARE(p.incoming.at(0).port, quint16(993));
        QCOMPARE(p.incoming.at(0).security, Security::Tls);
        QCOMPARE(p.incoming.at(0).user, QStringLiteral("jane.doe@example.org"));
        QCOMPARE(p.incoming.at(1).protocol, ServerProtocol::Pop3);
        QCOMPARE(p.incoming.at(2).host, QStringLiteral("imap.example.org")); // %EMAILDOMAIN%
        QCOMPARE(p.incoming.at(2).security, Security::StartTls);
        QCOMPARE(p.incoming.at(2).user, QStringLiteral("jane.doe"));     // %EMAILLOCALPART%
        QCOMPARE(p.incoming.at(2).authentication, QStringLiteral("password-encrypted"));
        QCOMPARE(p.outgoing.size(), 1);
        QCOMPARE(p.outgoing.at(0).protocol, ServerProtocol::Smtp);
        QCOMPARE(p.outgoing.at(0).port, quint16(587));
    }

    void rejects_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not xml") << QByteArray("HTTP/1.1 200 OK\r\n\r\nhello");
        QTest::newRow("wrong root") << QByteArray("<html><body>clientConfig</body></html>");
        QTest::newRow("truncated") << wrap(imap("imap.example.org", "993", "SSL")).left(120);
        QTest::newRow("no provider") << QByteArray("<clientConfig version=\"1.1\"></clientConfig>");
        QTest::newRow("dtd") << QByteArray("<?xml version=\"1.0\"?><!DOCTYPE clientConfig [<!ENTITY a \"aaaa\">]>"
                                           "<clientConfig><emailProvider id=\"&a;\"/></clientConfig>");
        QByteArray laughs = "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY l0 \"lol\">";
        for (int i = 1; i < 10; ++i)
            laughs += "<!ENTITY l" + QByteArray::number(i) + " \"" + QByteArray("&l").append(QByteArray::number(i - 1)).append(';').repeated(10) + "\">";
        laughs += "]><clientConfig><emailProvider><domain>&l9;</domain></emailProvider></clientConfig>";
        QTest::newRow("billion laughs") << laughs;
        QTest::newRow("external entity")
            << QByteArray("<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                          "<clientConfig><emailProvider><domain>&x;</domain></emailProvider></clientConfig>");
        QTest::newRow("too deep") << QByteArray("<clientConfig><emailProvider>" + QByteArray("<a>").repeated(50)
                                                + QByteArray("</a>").repeated(50) + "</emailProvider></clientConfig>");
        QTest::newRow("oversized") << wrap(QByteArray("<!-- ") + QByteArray(70 * 1024, 'x') + " -->"
                                           + imap("imap.example.org", "993", "SSL"));
        QTest::newRow("long text") << wrap(imap(QByteArray(5000, 'a'), "993", "SSL"));
        QTest::newRow("server flood") << wrap(imap("imap.example.org", "993", "SSL").repeated(40));
    }
    void rejects()
    {
        QFETCH(QByteArray, xml);
        AutoconfigParser parser(QStringLiteral("a@example.org"));
        QVERIFY(!parser.parse(xml));
        QVERIFY(!parser.error().isEmpty());
        QVERIFY(parser.providers().isEmpty());
    }

    // Servers that cannot be used exactly as written are dropped, the rest of the document kept.
    void dropsUnusableServers_data()
    {
        QTest::addColumn<QByteArray>("server");
        QTest::newRow("port zero") << imap("imap.example.org", "0", "SSL");
        QTest::newRow("port too big") << imap("imap.example.org", "70000", "SSL");
        QTest::newRow("port text") << imap("imap.example.org", "993abc", "SSL");
        QTest::newRow("unknown socket type") << imap("imap.example.org", "993", "QUANTUM");
        QTest::newRow("url as host") << imap("https://evil.example/", "993", "SSL");
        QTest::newRow("space in host") << imap("imap example.org", "993", "SSL");
        QTest::newRow("empty host") << imap("", "993", "SSL");
        QTest::newRow("host with NUL") << imap("imap.example.org&#0;", "993", "SSL");
        QTest::newRow("placeholder makes an invalid host")
            << QByteArray("<incomingServer type=\"imap\"><hostname>%EMAILLOCALPART%.example.org</hostname><port>993</port>"
                          "<socketType>SSL</socketType></incomingServer>");
    }
    void dropsUnusableServers()
    {
        QFETCH(QByteArray, server);
        AutoconfigParser parser(QStringLiteral("bad/name@example.org"));
        const QByteArray xml = wrap(server + imap("imap.example.org", "993", "SSL"));
        if (!parser.parse(xml)) {
            QVERIFY(!parser.error().isEmpty()); // a malformed character reference may end the document instead
            return;
        }
        QCOMPARE(parser.providers().first().incoming.size(), 1);
        QCOMPARE(parser.providers().first().incoming.first().host, QStringLiteral("imap.example.org"));
    }

    void ignoresUnknownElementsAndPredefinedEntities()
    {
        const QByteArray xml = wrap("<future><nested attr=\"1\"><deeper/></nested></future>"
                                    "<incomingServer type=\"imap\"><hostname>imap.example.org</hostname>"
                                    "<port>993</port><socketType>SSL</socketType><extra>x</extra>"
                                    "<username>a&amp;b</username></incomingServer>");
        AutoconfigParser parser(QStringLiteral("a@example.org"));
        QVERIFY2(parser.parse(xml), qPrintable(parser.error()));
        QCOMPARE(parser.providers().first().incoming.first().user, QStringLiteral("a&b"));
    }

    void eachByteBoundaryOfAValidDocumentFailsCleanly()
    {
        const QByteArray xml = wrap(imap("imap.example.org", "993", "SSL"));
        for (qsizetype n = 0; n < xml.size(); ++n) {
            AutoconfigParser parser(QStringLiteral("a@example.org"));
            QVERIFY(!parser.parse(xml.left(n)));
        }
    }
};

QTEST_GUILESS_MAIN(TestAutoconfigParser)
#include "tst_autoconfigparser.moc"
