// SPDX-License-Identifier: GPL-3.0-or-later
// Received chains (RFC 5321 4.4, RFC 3848), dates (RFC 5322 3.3/4.3), Authentication-Results (RFC 8601).
#include "mime/received.h"

#include <QTest>
#include <QTimeZone>

using namespace tern::mime;

class TestMimeReceived : public QObject
{
    Q_OBJECT

private slots:
    void dates_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("utc"); // ISO 8601 in UTC, or empty for invalid
        QTest::newRow("RFC 5322 A.1.1") << QByteArray("Fri, 21 Nov 1997 09:55:06 -0600") << QStringLiteral("1997-11-21T15:55:06Z");
        QTest::newRow("no day name") << QByteArray("21 Nov 1997 09:55:06 +0100") << QStringLiteral("1997-11-21T08:55:06Z");
        QTest::newRow("obsolete zone") << QByteArray("Thu, 13 Feb 1969 23:32 EST") << QStringLiteral("1969-02-14T04:32:00Z");
        QTest::newRow("two-digit year") << QByteArray("1 Jan 05 00:00:00 GMT") << QStringLiteral("2005-01-01T00:00:00Z");
        QTest::newRow("old two-digit year") << QByteArray("1 Jan 99 00:00:00 +0000") << QStringLiteral("1999-01-01T00:00:00Z");
        QTest::newRow("comment") << QByteArray("Mon, 4 Mar 2024 10:15:00 +0100 (CET)") << QStringLiteral("2024-03-04T09:15:00Z");
        QTest::newRow("military zone is +0000") << QByteArray("4 Mar 2024 10:15:00 J") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("garbage") << QByteArray("yesterday") << QString();
        QTest::newRow("bad date") << QByteArray("31 Feb 2024 10:00:00 +0000") << QString();
        QTest::newRow("folded, tabs, lower case") << QByteArray("tue,\t5 mar\r\n 2024 23:59:59 -0130")
                                                  << QStringLiteral("2024-03-06T01:29:59Z");
        QTest::newRow("comment inside a token") << QByteArray("4 Mar 20(x)24 10:15:00 +0000") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("nested comment") << QByteArray("4 Mar (a (b) c) 2024 10:15:00 +0000") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("three-digit year") << QByteArray("4 Mar 124 10:15:00 +0000") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("extra clock field ignored") << QByteArray("4 Mar 2024 10:15:00:99 +0000") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("no minutes") << QByteArray("4 Mar 2024 10 +0000") << QString();
        QTest::newRow("hour 24") << QByteArray("4 Mar 2024 24:00:00 +0000") << QString();
        QTest::newRow("bad zone is +0000") << QByteArray("4 Mar 2024 10:15:00 +0099") << QStringLiteral("2024-03-04T10:15:00Z");
        QTest::newRow("too many tokens") << QByteArray("4 Mar 2024 10:15:00 +0000 a b c d e f g h i j k l m") << QString();
        QTest::newRow("empty") << QByteArray() << QString();
    }
    void dates()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, utc);
        const QDateTime dt = parseDateTime(text);
        QCOMPARE(dt.isValid() ? dt.toUTC().toString(Qt::ISODate) : QString(), utc);
    }

    void postfixHop()
    {
        const Hop hop = parseReceived("from mail.example.org (mail.example.org [192.0.2.7]) (using TLSv1.3 with cipher "
                                      "TLS_AES_256_GCM_SHA384 (256/256 bits)) (No client certificate requested) by "
                                      "mx.example.net (Postfix) with ESMTPS id 4F1A2B for <bob@example.net>; "
                                      "Mon, 4 Mar 2024 10:15:00 +0100");
        QCOMPARE(hop.from, QStringLiteral("mail.example.org"));
        QCOMPARE(hop.fromDetails, QStringLiteral("mail.example.org [192.0.2.7]"));
        QCOMPARE(hop.by, QStringLiteral("mx.example.net"));
        QCOMPARE(hop.with, QStringLiteral("ESMTPS"));
        QCOMPARE(hop.id, QStringLiteral("4F1A2B"));
        QCOMPARE(hop.forAddress, QStringLiteral("bob@example.net"));
        QVERIFY(hop.tls);
        QVERIFY(hop.tlsDetails.startsWith(QLatin1StringView("TLSv1.3 with cipher TLS_AES_256_GCM_SHA384")));
        QCOMPARE(hop.timestamp.toUTC().toString(Qt::ISODate), QStringLiteral("2024-03-04T09:15:00Z"));
    }

    void plainHopHasNoTls()
    {
        const Hop hop = parseReceived("from [192.0.2.1] by relay.example with SMTP; 4 Mar 2024 10:00:00 +0000");
        QVERIFY(!hop.tls);
        QCOMPARE(hop.from, QStringLiteral("[192.0.2.1]"));
        QCOMPARE(hop.with, QStringLiteral("SMTP"));
    }

    void chainOrderAndDelays()
    {
        const Message m(QByteArray("Received: from b by c with LMTP; Mon, 4 Mar 2024 10:00:30 +0000\r\n"
                                   "Received: from a by b with ESMTPSA; Mon, 4 Mar 2024 11:00:10 +0100\r\n"
                                   "Received: by a with local; junk date\r\n"
                                   "Subject: x\r\n\r\n"));
        const auto hops = receivedChain(m);
        QCOMPARE(hops.size(), size_t(3));
        QCOMPARE(hops[0].by, QStringLiteral("a"));
        QCOMPARE(hops[0].delaySeconds, qint64(-1));
        QCOMPARE(hops[1].by, QStringLiteral("b"));
        QVERIFY(hops[1].tls);
        QCOMPARE(hops[1].delaySeconds, qint64(-1)); // previous hop has no time
        QCOMPARE(hops[2].by, QStringLiteral("c"));
        QCOMPARE(hops[2].delaySeconds, qint64(20));
    }

    void authenticationResults()
    {
        // RFC 8601 appendix B.4-style, with a comment and a quoted property.
        const auto ar = parseAuthenticationResults("example.com; spf=pass smtp.mailfrom=example.net (sender ok);\r\n"
                                                   " dkim=fail reason=\"bad signature\" header.d=example.net header.s=sel;\r\n"
                                                   " dmarc=none header.from=example.net; dkim/1=pass header.d=other.example");
        QCOMPARE(ar.authservId, QStringLiteral("example.com"));
        QCOMPARE(ar.results.size(), size_t(4));
        QCOMPARE(ar.verdict(u"spf"), QStringLiteral("pass"));
        QCOMPARE(ar.verdict(u"dkim"), QStringLiteral("fail"));
        QCOMPARE(ar.verdict(u"dmarc"), QStringLiteral("none"));
        QCOMPARE(ar.verdict(u"arc"), QString());
        QCOMPARE(ar.results[1].properties.size(), size_t(2));
        QCOMPARE(ar.results[1].properties[0].first, QStringLiteral("header.d"));
        QCOMPARE(ar.results[0].properties[0].second, QStringLiteral("example.net"));
        QCOMPARE(ar.results[3].method, QStringLiteral("dkim"));
        QVERIFY(parseAuthenticationResults("example.org; none").results.empty());
    }
};

QTEST_APPLESS_MAIN(TestMimeReceived)
#include "tst_mime_received.moc"
