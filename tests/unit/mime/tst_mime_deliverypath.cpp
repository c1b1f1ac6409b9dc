// SPDX-License-Identifier: GPL-3.0-or-later
// The delivery path the message view shows: hops in order with delays and TLS, the receiver's verdicts, and
// what a forged or damaged chain looks like.
#include "mime/deliverypath.h"

#include <QTest>

using namespace tern::mime;

namespace {

QByteArray crlf(const char *text)
{
    QByteArray b(text);
    b.replace("\n", "\r\n");
    return b;
}

// Postfix on both sides: submission with STARTTLS and AUTH, relay over TLS, LMTP into the mailbox.
const char kThreeHops[] =
    "Return-Path: <alice@example.org>\n"
    "Delivered-To: bob@lab.test\n"
    "Received: from mx.lab.test\n"
    "\tby mx.lab.test with LMTP id 8Kx0Ag; Mon, 04 Mar 2024 10:15:09 +0100\n"
    "Received: from mail.example.org (mail.example.org [192.0.2.10])\n"
    "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
    "\t(No client certificate requested)\n"
    "\tby mx.lab.test (Postfix) with ESMTPS id 4TqR1x\n"
    "\tfor <bob@lab.test>; Mon, 04 Mar 2024 10:15:07 +0100\n"
    "Received: from [10.0.0.5] (host-10-0-0-5.home.example [198.51.100.7])\n"
    "\tby mail.example.org (Postfix) with ESMTPSA id 9Zx2b\n"
    "\tfor <bob@lab.test>; Mon, 04 Mar 2024 10:15:01 +0100\n"
    "Authentication-Results: mx.lab.test; spf=pass smtp.mailfrom=example.org;\n"
    "\tdkim=pass header.d=example.org; dmarc=pass header.from=example.org\n"
    "From: Alice <alice@example.org>\n"
    "To: bob@lab.test\n"
    "Subject: Lunch\n"
    "Date: Mon, 04 Mar 2024 10:14:58 +0100\n"
    "Message-ID: <lunch@example.org>\n"
    "\n"
    "Noon?\n";

} // namespace

class TestDeliveryPath : public QObject
{
    Q_OBJECT

private slots:
    void threeHopsInOrder()
    {
        const Message m(crlf(kThreeHops));
        const DeliveryPath path = deliveryPath(m);
        QCOMPARE(path.hops.size(), size_t(3));
        // Oldest first: the sender's submission server, the receiving MX, the local delivery.
        QCOMPARE(path.hops[0].hop.by, QStringLiteral("mail.example.org"));
        QCOMPARE(path.hops[0].fromHost, QStringLiteral("host-10-0-0-5.home.example"));
        QCOMPARE(path.hops[0].fromAddress, QStringLiteral("198.51.100.7"));
        QCOMPARE(path.hops[1].hop.by, QStringLiteral("mx.lab.test"));
        QCOMPARE(path.hops[1].fromHost, QStringLiteral("mail.example.org"));
        QCOMPARE(path.hops[1].fromAddress, QStringLiteral("192.0.2.10"));
        QCOMPARE(path.hops[2].hop.with, QStringLiteral("LMTP"));

        QCOMPARE(path.hops[0].hop.delaySeconds, 0);
        QCOMPARE(path.hops[1].hop.delaySeconds, 6);  // 10:15:01 -> 10:15:07
        QCOMPARE(path.hops[2].hop.delaySeconds, 2);  // 10:15:07 -> 10:15:09
        QCOMPARE(path.totalSeconds, 8);
        QCOMPARE(path.submitDelaySeconds, 3);         // Date: 10:14:58 -> first hop 10:15:01

        QVERIFY(path.hops[0].hop.tls);  // ESMTPSA
        QVERIFY(path.hops[1].hop.tls);  // ESMTPS, and the Postfix comment names the version
        QVERIFY(path.hops[1].hop.tlsDetails.contains(QStringLiteral("TLSv1.3")));
        QVERIFY(!path.hops[2].hop.tls); // LMTP on the same machine
        QVERIFY(path.anyTls());
        QVERIFY(!path.allTls());
        for (const DeliveryHop &h : path.hops)
            QCOMPARE(h.notes, unsigned(DeliveryHop::NoNote));

        QVERIFY(path.hasAuth);
        QVERIFY(path.authMatchesReceiver);
        QCOMPARE(path.otherAuthHeaders, 0);
        QCOMPARE(path.spf(), QStringLiteral("pass"));
        QCOMPARE(path.dkim(), QStringLiteral("pass"));
        QCOMPARE(path.dmarc(), QStringLiteral("pass"));
    }

    void missingAndMalformedDates()
    {
        const Message m(crlf("Received: from b.example (b.example [192.0.2.2]) by c.example with ESMTP;\n"
                             "\tMon, 04 Mar 2024 10:20:00 +0000\n"
                             "Received: from a.example by b.example with SMTP; the day before yesterday\n"
                             "Received: from client.example by a.example with ESMTP id x1\n"
                             "Date: not a date\n"
                             "Subject: x\n\nbody\n"));
        const DeliveryPath path = deliveryPath(m);
        QCOMPARE(path.hops.size(), size_t(3));
        QVERIFY(path.hops[0].notes & DeliveryHop::MissingDate); // no ";" at all
        QVERIFY(path.hops[1].notes & DeliveryHop::MissingDate); // unparsable
        QVERIFY(!(path.hops[2].notes & DeliveryHop::MissingDate));
        QCOMPARE(path.hops[1].hop.delaySeconds, -1);
        QCOMPARE(path.hops[2].hop.delaySeconds, -1);
        QCOMPARE(path.totalSeconds, -1); // one dated hop measures nothing
        QCOMPARE(path.submitDelaySeconds, -1);
        QVERIFY(!path.dateHeader.isValid());
        QVERIFY(!path.hasAuth);
        QVERIFY(!path.anyTls());
        for (const DeliveryHop &h : path.hops)
            QVERIFY(!(h.notes & DeliveryHop::ChainBreak)); // a -> b -> c is continuous
    }

    void forgedLowerChainIsFlagged()
    {
        // The sender wrote the lowest Received and an Authentication-Results of its own before handing the
        // message to the real MX, which recorded the true origin and its verdicts on top.
        const Message m(crlf(
            "Authentication-Results: mx.lab.test; spf=fail smtp.mailfrom=bank.example; dkim=none;\n"
            "\tdmarc=fail header.from=bank.example\n"
            "Received: from attacker.example (attacker.example [203.0.113.9])\n"
            "\tby mx.lab.test (Postfix) with ESMTP id 77; Mon, 04 Mar 2024 10:15:07 +0100\n"
            "Authentication-Results: mail.bank.example; spf=pass; dkim=pass; dmarc=pass\n"
            "Received: from trusted.bank.example by mail.bank.example with ESMTPS;\n"
            "\tTue, 05 Mar 2024 09:00:00 +0100\n"
            "From: Bank <security@bank.example>\n"
            "Subject: Verify\n\nclick\n"));
        const DeliveryPath path = deliveryPath(m);
        QCOMPARE(path.hops.size(), size_t(2));
        QCOMPARE(path.hops[0].hop.by, QStringLiteral("mail.bank.example"));
        QVERIFY(path.hops[0].notes & DeliveryHop::InFuture);   // dated a day after the message arrived
        QVERIFY(path.hops[1].notes & DeliveryHop::ChainBreak); // the MX took it from attacker.example
        QVERIFY(path.hops[1].notes & DeliveryHop::TimeWentBack);
        QCOMPARE(path.hops[1].fromAddress, QStringLiteral("203.0.113.9"));
        // The receiver's own verdicts count, not the ones the sender wrote.
        QCOMPARE(path.spf(), QStringLiteral("fail"));
        QCOMPARE(path.dmarc(), QStringLiteral("fail"));
        QVERIFY(path.authMatchesReceiver);
        QCOMPARE(path.otherAuthHeaders, 1);
    }

    void authFromAnotherServerIsNotTheReceivers()
    {
        const Message m(crlf("Authentication-Results: relay.elsewhere.example; dkim=pass header.d=x.example\n"
                             "Received: from x.example by mx.lab.test with ESMTPS; Mon, 04 Mar 2024 10:15:07 +0000\n"
                             "Subject: s\n\nb\n"));
        const DeliveryPath path = deliveryPath(m);
        QVERIFY(path.hasAuth);
        QVERIFY(!path.authMatchesReceiver);
        QCOMPARE(path.dkim(), QStringLiteral("pass"));
        QVERIFY(path.spf().isEmpty());
        QVERIFY(path.allTls());
        QCOMPARE(path.totalSeconds, -1);
    }

    void noReceivedAtAll()
    {
        const Message m(crlf("From: a@b.example\nDate: Mon, 04 Mar 2024 10:15:07 +0000\nSubject: local\n\nx\n"));
        const DeliveryPath path = deliveryPath(m);
        QVERIFY(path.hops.empty());
        QVERIFY(path.dateHeader.isValid());
        QCOMPARE(path.submitDelaySeconds, -1);
        QVERIFY(!path.allTls());
    }
};

QTEST_GUILESS_MAIN(TestDeliveryPath)
#include "tst_mime_deliverypath.moc"
