// SPDX-License-Identifier: GPL-3.0-or-later
// Discovery's order of trust, the bundled provider list, and the guessing of host names, on loopback only.
#include "accounts/account.h"
#include "accounts/discovery/discovery.h"
#include "accounts/discovery/portprobe.h"
#include "accounts/discovery/providerlist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace tern::accounts;

namespace {

DiscoveredConfig config(DiscoverySource source, const QString &origin)
{
    DiscoveredConfig c;
    c.source = source;
    c.origin = origin;
    return c;
}

ServerSetting server(ServerProtocol protocol, const QString &host, quint16 port, Security security)
{
    return ServerSetting{protocol, host, port, security, QStringLiteral("u"), {}};
}

// Nothing leaves the machine: every name the test uses maps to 127.0.0.1, DNS and autoconfig are off
// unless a test turns them on against a local port.
DiscoverySettings loopbackSettings(const QString &domain)
{
    DiscoverySettings s;
    for (const char *prefix : {"imap.", "mail.", "pop.", "pop3.", "smtp.", "autoconfig.", ""})
        s.hostOverrides.insert(QLatin1StringView(prefix) + domain, QStringLiteral("127.0.0.1"));
    s.useAutoconfig = false;
    s.useDns = false;
    s.timeoutMs = 5000;
    return s;
}

} // namespace

class TestDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ordersBySourceThenSecurity()
    {
        DiscoveredConfig guess = config(DiscoverySource::Guess, QStringLiteral("g"));
        DiscoveredConfig srv = config(DiscoverySource::Srv, QStringLiteral("s"));
        srv.incoming = {server(ServerProtocol::Imap, QStringLiteral("a"), 143, Security::StartTls),
                        server(ServerProtocol::Imap, QStringLiteral("b"), 993, Security::Tls)};
        const QList<DiscoveredConfig> ordered = orderedBySource(
            {guess, srv, config(DiscoverySource::AutoconfigWellKnown, QStringLiteral("w1")),
             config(DiscoverySource::ProviderList, QStringLiteral("p")), config(DiscoverySource::Mx, QStringLiteral("m")),
             config(DiscoverySource::AutoconfigHost, QStringLiteral("h")),
             config(DiscoverySource::AutoconfigWellKnown, QStringLiteral("w2"))});
        QStringList origins;
        for (const DiscoveredConfig &c : ordered)
            origins << c.origin;
        QCOMPARE(origins, QStringList({QStringLiteral("p"), QStringLiteral("h"), QStringLiteral("w1"), QStringLiteral("w2"),
                                       QStringLiteral("s"), QStringLiteral("m"), QStringLiteral("g")}));
        // RFC 8314 §5.1: implicit TLS first.
        QCOMPARE(ordered.at(4).incoming.first().host, QStringLiteral("b"));
        QCOMPARE(ordered.at(4).bestIncoming(IncomingProtocol::Imap)->port, quint16(993));
        QVERIFY(!ordered.at(4).offers(IncomingProtocol::Pop3));
    }

    void splitsAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("domain");
        QTest::newRow("plain") << QStringLiteral("jane@Example.ORG") << true << QStringLiteral("example.org");
        QTest::newRow("quoted @ in local part") << QStringLiteral("\"a@b\"@example.org") << true << QStringLiteral("example.org");
        QTest::newRow("spaces") << QStringLiteral("  jane@example.org ") << true << QStringLiteral("example.org");
        QTest::newRow("no at") << QStringLiteral("jane.example.org") << false << QString();
        QTest::newRow("no domain") << QStringLiteral("jane@") << false << QString();
        QTest::newRow("no local") << QStringLiteral("@example.org") << false << QString();
        QTest::newRow("single label") << QStringLiteral("jane@localhost") << false << QString();
        QTest::newRow("url in domain") << QStringLiteral("jane@evil.example/x") << false << QString();
        QTest::newRow("port in domain") << QStringLiteral("jane@example.org:25") << false << QString();
    }
    void splitsAddresses()
    {
        QFETCH(QString, address);
        QFETCH(bool, valid);
        QFETCH(QString, domain);
        QString local;
        QString d;
        QCOMPARE(splitAddress(address, &local, &d), valid);
        if (valid)
            QCOMPARE(d, domain);
    }

    void bundledProvidersArePublishedSettings()
    {
        const ProviderList list = ProviderList::bundled(QStringLiteral("jane@hotmail.com"));
        QVERIFY(list.providers().size() >= 8);
        for (const QString &domain : {QStringLiteral("gmail.com"), QStringLiteral("outlook.com"), QStringLiteral("hotmail.com"),
                                      QStringLiteral("yahoo.com"), QStringLiteral("icloud.com"), QStringLiteral("fastmail.com"),
                                      QStringLiteral("gmx.net"), QStringLiteral("posteo.de"), QStringLiteral("mailbox.org")}) {
            const auto p = list.forDomain(domain);
            QVERIFY2(p, qPrintable(domain));
            QVERIFY2(!p->incoming.isEmpty() && !p->outgoing.isEmpty(), qPrintable(domain));
            for (const ServerSetting &s : p->incoming + p->outgoing)
                QVERIFY2(s.security != Security::None, qPrintable(domain)); // no cleartext ever shipped
        }
        const auto outlook = list.forDomain(QStringLiteral("HOTMAIL.com"));
        QCOMPARE(outlook->incoming.first().user, QStringLiteral("jane@hotmail.com"));
        QVERIFY(!list.forDomain(QStringLiteral("lab.test")));
    }

    void mxMatchesWholeLabels()
    {
        const ProviderList list = ProviderList::bundled(QStringLiteral("a@corp.example"));
        QCOMPARE(list.forMxHost(QStringLiteral("aspmx.l.google.com."))->id, QStringLiteral("gmail.com"));
        QCOMPARE(list.forMxHost(QStringLiteral("in1-smtp.messagingengine.com"))->id, QStringLiteral("fastmail.com"));
        QVERIFY(!list.forMxHost(QStringLiteral("mx.evilgoogle.com")));
        QVERIFY(!list.forMxHost(QStringLiteral("google.com.evil.example")));
    }

    void guessesImplicitTlsFirst()
    {
        DiscoverySettings s;
        const QList<PortProbe::Attempt> attempts = PortProbe::attemptsFor(QStringLiteral("example.org"), s);
        QCOMPARE(attempts.first().host, QStringLiteral("imap.example.org"));
        QCOMPARE(attempts.first().port, quint16(993));
        bool seenStartTls = false;
        for (const PortProbe::Attempt &a : attempts) {
            QVERIFY(a.security != Security::None);
            if (a.protocol != ServerProtocol::Imap)
                continue;
            if (a.security == Security::StartTls)
                seenStartTls = true;
            else
                QVERIFY(!seenStartTls); // every implicit-TLS attempt of a protocol before its STARTTLS ones
        }
    }

    void providerListAnswersAtOnceAndStopsTheGuess()
    {
        Discovery discovery(QStringLiteral("jane@fastmail.com"), loopbackSettings(QStringLiteral("fastmail.com")));
        QSignalSpy done(&discovery, &Discovery::finished);
        discovery.start();
        QVERIFY(done.wait(10000));
        QCOMPARE(discovery.configs().size(), 1);
        QCOMPARE(discovery.configs().first().source, DiscoverySource::ProviderList);
        QVERIFY(discovery.configs().first().verified);
        QCOMPARE(discovery.steps().size(), 1); // nothing usable was missing, so nothing was guessed
    }

    void guessFindsListeningPortsAndPrefersImplicitTls()
    {
        QTcpServer imaps, imap, submission;
        QVERIFY(imaps.listen(QHostAddress::LocalHost));
        QVERIFY(imap.listen(QHostAddress::LocalHost));
        QVERIFY(submission.listen(QHostAddress::LocalHost));
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 closedPort = closed.serverPort();
        closed.close();

        DiscoverySettings s = loopbackSettings(QStringLiteral("guess.test"));
        s.imapTlsPort = imaps.serverPort();
        s.imapStartTlsPort = imap.serverPort();
        s.pop3TlsPort = closedPort;
        s.pop3StartTlsPort = closedPort;
        s.smtpTlsPort = closedPort;
        s.smtpStartTlsPort = submission.serverPort();
        Discovery discovery(QStringLiteral("joe@guess.test"), s);
        QSignalSpy done(&discovery, &Discovery::finished);
        discovery.start();
        QVERIFY(done.wait(20000));
        QCOMPARE(discovery.configs().size(), 1);
        const DiscoveredConfig c = discovery.configs().first();
        QCOMPARE(c.source, DiscoverySource::Guess);
        QVERIFY(!c.verified);
        QCOMPARE(c.bestIncoming(IncomingProtocol::Imap)->host, QStringLiteral("imap.guess.test"));
        QCOMPARE(c.bestIncoming(IncomingProtocol::Imap)->port, imaps.serverPort());
        QCOMPARE(c.bestIncoming(IncomingProtocol::Imap)->security, Security::Tls);
        QVERIFY(!c.offers(IncomingProtocol::Pop3));
        QCOMPARE(c.bestOutgoing()->port, submission.serverPort());
        QCOMPARE(c.bestOutgoing()->security, Security::StartTls);
        QCOMPARE(c.bestOutgoing()->user, QStringLiteral("joe@guess.test"));
        QCOMPARE(discovery.steps().first().source, DiscoverySource::ProviderList);
        QVERIFY(!discovery.steps().first().found);
    }

    void autoconfigFailureIsAStepNotAnAnswer()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        DiscoverySettings s = loopbackSettings(QStringLiteral("nothing.test"));
        s.httpsPort = closed.serverPort();
        closed.close();
        s.useAutoconfig = true;
        s.guessWhenNothingFound = false;
        Discovery discovery(QStringLiteral("joe@nothing.test"), s);
        QSignalSpy done(&discovery, &Discovery::finished);
        discovery.start();
        QVERIFY(done.wait(20000));
        QVERIFY(discovery.configs().isEmpty());
        QCOMPARE(discovery.steps().size(), 3);
        for (const DiscoveryStep &step : discovery.steps()) {
            QVERIFY(!step.found);
            QVERIFY(!step.detail.isEmpty());
        }
    }

    void pinsSurviveTheAccountsFile()
    {
        Account a;
        a.name = QStringLiteral("x");
        a.pinCertificate({QStringLiteral("mail.example.org"), 993, QByteArray(32, '\x01')});
        a.pinCertificate({QStringLiteral("MAIL.example.org"), 993, QByteArray(32, '\x02')}); // replaces
        a.pinCertificate({QStringLiteral("mail.example.org"), 465, QByteArray(32, '\x03')});
        QJsonObject json = a.toJson();
        const Account b = Account::fromJson(json);
        QCOMPARE(b.pinnedCertificates.size(), 2);
        QCOMPARE(b.pinnedCertificates.at(0).sha256, QByteArray(32, '\x02'));
        QCOMPARE(b.pinnedCertificates.at(1).port, quint16(465));
        // A damaged pin trusts nothing rather than something else.
        QJsonArray pins = json.value(QStringLiteral("pinnedCertificates")).toArray();
        QJsonObject bad = pins.at(0).toObject();
        bad.insert(QStringLiteral("sha256"), QStringLiteral("abcd"));
        pins.replace(0, bad);
        json.insert(QStringLiteral("pinnedCertificates"), pins);
        QCOMPARE(Account::fromJson(json).pinnedCertificates.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
