// SPDX-License-Identifier: GPL-3.0-or-later
// Discovery against servers on 127.0.0.1 only: dnsmasq for SRV and MX, an HTTPS server for autoconfig.
#include "wizardlab.h"

#include "accounts/discovery/discovery.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tern::accounts;
using tern::test::HelperProcess;
using tern::test::LabEnv;

namespace {

DiscoverySettings nothing()
{
    DiscoverySettings s;
    s.useProviderList = false;
    s.useAutoconfig = false;
    s.useDns = false;
    s.guessWhenNothingFound = false;
    s.timeoutMs = 10000;
    return s;
}

QList<DiscoveredConfig> run(const QString &address, const DiscoverySettings &settings, QList<DiscoveryStep> *steps = nullptr)
{
    Discovery discovery(address, settings);
    QSignalSpy done(&discovery, &Discovery::finished);
    discovery.start();
    if (!done.wait(30000))
        return {};
    if (steps)
        *steps = discovery.steps();
    return discovery.configs();
}

} // namespace

class TestDiscoveryLocal : public QObject
{
    Q_OBJECT

private:
    LabEnv m_lab;

    DiscoverySettings autoconfigAt(const HelperProcess &server, const QString &domain)
    {
        DiscoverySettings s = nothing();
        s.useAutoconfig = true;
        s.hostOverrides.insert(QStringLiteral("autoconfig.") + domain, QStringLiteral("127.0.0.1"));
        s.hostOverrides.insert(domain, QStringLiteral("127.0.0.1"));
        s.httpsPort = server.port();
        s.caCertificates = m_lab.caCertificates();
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_lab.isValid(), qPrintable(m_lab.error()));
    }

    void srvRecordsInRfc6186AndRfc8314Order()
    {
        HelperProcess dns;
        QVERIFY2(dns.startDnsmasq({QStringLiteral("--srv-host=_imap._tcp.srv.test,imap-a.srv.test,143,0,1"),
                                   QStringLiteral("--srv-host=_imaps._tcp.srv.test,imap-b.srv.test,993,20,1"),
                                   QStringLiteral("--srv-host=_imaps._tcp.srv.test,imap-c.srv.test,993,10,1"),
                                   QStringLiteral("--srv-host=_pop3s._tcp.srv.test"), // "." : not offered
                                   QStringLiteral("--srv-host=_submission._tcp.srv.test,smtp.srv.test,587,0,1")}),
                 qPrintable(dns.error()));
        DiscoverySettings s = nothing();
        s.useDns = true;
        s.nameserver = dns.address();
        s.nameserverPort = dns.port();
        QList<DiscoveryStep> steps;
        const QList<DiscoveredConfig> configs = run(QStringLiteral("ann@srv.test"), s, &steps);
        QCOMPARE(configs.size(), 1);
        const DiscoveredConfig c = configs.first();
        QCOMPARE(c.source, DiscoverySource::Srv);
        QVERIFY(!c.verified);
        QStringList incoming;
        for (const ServerSetting &server : c.incoming)
            incoming << QStringLiteral("%1:%2").arg(server.host).arg(server.port);
        QCOMPARE(incoming, QStringList({QStringLiteral("imap-c.srv.test:993"), QStringLiteral("imap-b.srv.test:993"),
                                        QStringLiteral("imap-a.srv.test:143")}));
        QVERIFY(!c.offers(IncomingProtocol::Pop3));
        QCOMPARE(c.bestOutgoing()->security, Security::StartTls);
        QCOMPARE(c.bestOutgoing()->user, QStringLiteral("ann@srv.test"));
        // The MX step asked the same server and found nothing it knows.
        QCOMPARE(steps.size(), 2);
    }

    void mxOfAKnownProvider()
    {
        HelperProcess dns;
        QVERIFY2(dns.startDnsmasq({QStringLiteral("--mx-host=corp.test,alt1.aspmx.l.google.com,20"),
                                   QStringLiteral("--mx-host=corp.test,mx.unknown.test,30")}),
                 qPrintable(dns.error()));
        DiscoverySettings s = nothing();
        s.useDns = true;
        s.nameserver = dns.address();
        s.nameserverPort = dns.port();
        const QList<DiscoveredConfig> configs = run(QStringLiteral("bob@corp.test"), s);
        QCOMPARE(configs.size(), 1);
        QCOMPARE(configs.first().source, DiscoverySource::Mx);
        QVERIFY(!configs.first().verified);
        QCOMPARE(configs.first().bestIncoming(IncomingProtocol::Imap)->host, QStringLiteral("imap.gmail.com"));
        QCOMPARE(configs.first().bestIncoming(IncomingProtocol::Imap)->user, QStringLiteral("bob@corp.test"));
    }

    void autoconfigOverHttps()
    {
        QTemporaryDir web;
        HelperProcess server;
        QVERIFY2(tern::test::startAutoconfigServer(m_lab, web.path() + QStringLiteral("/root"),
                                                   tern::test::labAutoconfig(m_lab, QStringLiteral("Lab")), &server),
                 qPrintable(server.error()));
        const QList<DiscoveredConfig> configs = run(QStringLiteral("cat@lab.test"), autoconfigAt(server, QStringLiteral("lab.test")));
        QCOMPARE(configs.size(), 2);
        QCOMPARE(configs.at(0).source, DiscoverySource::AutoconfigHost);
        QCOMPARE(configs.at(1).source, DiscoverySource::AutoconfigWellKnown);
        QVERIFY(configs.at(0).verified);
        QCOMPARE(configs.at(0).bestIncoming(IncomingProtocol::Imap)->port, m_lab.port(QStringLiteral("IMAPS")));
        QCOMPARE(configs.at(0).bestIncoming(IncomingProtocol::Imap)->user, QStringLiteral("cat@lab.test"));
        QCOMPARE(configs.at(0).providerName, QStringLiteral("Lab"));
    }

    // The certificate names other hosts: the document is not used, however good it looks.
    void autoconfigWithTheWrongCertificateIsRefused()
    {
        QTemporaryDir web;
        HelperProcess server;
        QVERIFY2(tern::test::startAutoconfigServer(m_lab, web.path() + QStringLiteral("/root"),
                                                   tern::test::labAutoconfig(m_lab, QStringLiteral("Lab")), &server),
                 qPrintable(server.error()));
        QList<DiscoveryStep> steps;
        // The server's certificate is for autoconfig.lab.test and lab.test; we ask for other.test.
        const QList<DiscoveredConfig> configs = run(QStringLiteral("cat@other.test"), autoconfigAt(server, QStringLiteral("other.test")), &steps);
        QVERIFY(configs.isEmpty());
        QCOMPARE(steps.size(), 2);
        for (const DiscoveryStep &step : steps)
            QVERIFY2(!step.found && !step.detail.isEmpty(), qPrintable(step.detail));
    }

    void oversizedAutoconfigIsRefused()
    {
        QTemporaryDir web;
        HelperProcess server;
        QByteArray huge = tern::test::labAutoconfig(m_lab, QStringLiteral("Lab"));
        huge.insert(huge.indexOf("<emailProvider"), "<!-- " + QByteArray(200 * 1024, 'x') + " -->");
        QVERIFY2(tern::test::startAutoconfigServer(m_lab, web.path() + QStringLiteral("/root"), huge, &server),
                 qPrintable(server.error()));
        QList<DiscoveryStep> steps;
        const QList<DiscoveredConfig> configs = run(QStringLiteral("cat@lab.test"), autoconfigAt(server, QStringLiteral("lab.test")), &steps);
        QVERIFY(configs.isEmpty());
        for (const DiscoveryStep &step : steps)
            QVERIFY2(step.detail.contains(QStringLiteral("larger")), qPrintable(step.detail));
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryLocal)
#include "tst_discovery_local.moc"
