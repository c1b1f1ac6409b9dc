// SPDX-License-Identifier: GPL-3.0-or-later
// Address lists (RFC 5322 3.4, obsolete syntax 4.4), IDN, and the Mailsploit class (SECURITY.md D1).
#include "mime/address.h"
#include "mime/envelope.h"

#include <QTest>

using namespace tern::mime;

class TestMimeAddress : public QObject
{
    Q_OBJECT

private slots:
    // Each row: header value -> the mailboxes as "group|name|address" joined by "; ".
    void parse_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bare") << QByteArray("a@example.org") << QStringLiteral("|||a@example.org");
        QTest::newRow("name") << QByteArray("John Doe <jdoe@example.org>") << QStringLiteral("||John Doe|jdoe@example.org");
        QTest::newRow("quoted name") << QByteArray("\"Doe, John\" <jdoe@example.org>, b@c.example")
                                     << QStringLiteral("||Doe, John|jdoe@example.org; |||b@c.example");
        QTest::newRow("comment name") << QByteArray("jdoe@example.org (John Doe), x@y.example")
                                      << QStringLiteral("||John Doe|jdoe@example.org; |||x@y.example");
        QTest::newRow("group") << QByteArray("A Group:Ed <ed@a.example>,joe@b.example;, c@d.example")
                               << QStringLiteral("A Group||Ed|ed@a.example; A Group|||joe@b.example; |||c@d.example");
        QTest::newRow("empty group") << QByteArray("undisclosed-recipients:;") << QString();
        QTest::newRow("quoted local part") << QByteArray("<\"john doe\"@example.org>")
                                           << QStringLiteral("|||\"john doe\"@example.org");
        QTest::newRow("obsolete route") << QByteArray("<@a.example,@b.example:joe@c.example>") << QStringLiteral("|||joe@c.example");
        QTest::newRow("spaces around dots (obsolete)") << QByteArray("joe . bloggs @ example . org")
                                                       << QStringLiteral("|||joe.bloggs@example.org");
        QTest::newRow("encoded name") << QByteArray("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>")
                                      << QStringLiteral("||André Pirard|PIRARD@vm1.ulg.ac.be");
        QTest::newRow("missing comma") << QByteArray("<a@b.example> <c@d.example>") << QStringLiteral("|||a@b.example; |||c@d.example");
        QTest::newRow("idn") << QByteArray("<info@xn--bcher-kva.de>") << QStringLiteral("|||info@bücher.de");
        QTest::newRow("domain lower-cased") << QByteArray("<Info@EXAMPLE.ORG>") << QStringLiteral("|||Info@example.org");
        QTest::newRow("utf-8 raw (RFC 6532)") << QByteArray("J\xc3\xb6rg <j@example.org>") << QStringLiteral("||Jörg|j@example.org");
        // RFC 5322 appendix A.
        QTest::newRow("A.1.1") << QByteArray("\"Joe Q. Public\" <john.q.public@example.com>")
                               << QStringLiteral("||Joe Q. Public|john.q.public@example.com");
        QTest::newRow("A.1.2") << QByteArray("Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>")
                               << QStringLiteral("||Mary Smith|mary@x.test; |||jdoe@example.org; ||Who?|one@y.test");
        QTest::newRow("A.1.2 quoted specials") << QByteArray("<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>")
                                               << QStringLiteral("|||boss@nil.test; ||Giant; \"Big\" Box|sysservices@example.net");
        QTest::newRow("A.1.3") << QByteArray("A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;")
                               << QStringLiteral("A Group||Ed Jones|c@a.test; A Group|||joe@where.test; A Group||John|jdoe@one.test");
        QTest::newRow("A.5 comments") << QByteArray("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>")
                                      << QStringLiteral("||Pete|pete@silly.test");
        QTest::newRow("A.5 group with comments")
            << QByteArray("A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n joe@example.org,\r\n"
                          "  John <jdoe@one.test> (my dear friend); (the end of the group)")
            << QStringLiteral("A Group||Chris Jones|c@public.example; A Group|||joe@example.org; A Group||John|jdoe@one.test");
        QTest::newRow("A.6.1 obsolete") << QByteArray("Joe Q. Public <john.q.public@example.com>")
                                        << QStringLiteral("||Joe Q. Public|john.q.public@example.com");
        QTest::newRow("domain literal") << QByteArray("<a@[192.0.2.1]>") << QStringLiteral("|||a@[192.0.2.1]");
    }
    void parse()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, expected);
        QStringList got;
        for (const Mailbox &m : parseAddressList(value))
            got << m.group + QLatin1Char('|') + (m.suspiciousName ? QStringLiteral("!") : QString()) + QLatin1Char('|') + m.name
                    + QLatin1Char('|') + m.address;
        QCOMPARE(got.join(QStringLiteral("; ")), expected);
    }

    // Mailsploit: the decoded display name tries to be an address, or to end the line. The real address
    // must stay visible and the name must be flagged.
    void spoofing_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("display");
        QTest::newRow("embedded angle address")
            << QByteArray("=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3YgPHBvdHVzQHdoaXRlaG91c2UuZ292Pg==?= <evil@attacker.example>")
            << QStringLiteral("potus@whitehouse.gov ‹potus@whitehouse.gov› <evil@attacker.example>");
        QTest::newRow("NUL hides the rest")
            << QByteArray("=?utf-8?b?cG90dXNAd2hpdGVob3VzZS5nb3YACg==?= <evil@attacker.example>")
            << QStringLiteral("potus@whitehouse.gov <evil@attacker.example>");
        QTest::newRow("CRLF and a new header") << QByteArray("=?utf-8?q?Bank=0D=0AFrom:_x?= <evil@attacker.example>")
                                               << QStringLiteral("Bank From: x <evil@attacker.example>");
        QTest::newRow("right-to-left override") << QByteArray("=?utf-8?q?Bank=E2=80=AE?= <evil@attacker.example>")
                                                << QStringLiteral("Bank <evil@attacker.example>");
    }
    void spoofing()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, display);
        const auto list = parseAddressList(value);
        QCOMPARE(list.size(), size_t(1));
        QVERIFY(list[0].suspiciousName);
        QCOMPARE(list[0].address, QStringLiteral("evil@attacker.example"));
        QCOMPARE(list[0].displayString(), display);
    }

    // The display-name rule on its own, on names that need no change and names that do.
    void neutralise_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<bool>("suspicious");
        QTest::newRow("plain") << QStringLiteral("Terry Gray") << QStringLiteral("Terry Gray") << false;
        QTest::newRow("empty") << QString() << QString() << false;
        QTest::newRow("at sign") << QStringLiteral("ops@example.org") << QStringLiteral("ops@example.org") << true;
        QTest::newRow("extra spaces") << QStringLiteral("  Terry   Gray ") << QStringLiteral("Terry Gray") << false;
        QTest::newRow("tab") << QStringLiteral("Terry\tGray") << QStringLiteral("Terry Gray") << false;
        QTest::newRow("angle brackets") << QStringLiteral("a <b>") << QStringLiteral("a \u2039b\u203a") << true;
        QTest::newRow("non-ASCII kept") << QStringLiteral("J\u00fcrgen M\u00fcller") << QStringLiteral("J\u00fcrgen M\u00fcller")
                                        << false;
        QTest::newRow("zero-width space dropped") << QStringLiteral("Ba\u200bnk") << QStringLiteral("Bank") << true;
        QTest::newRow("line feed") << QStringLiteral("Bank\nFrom: x") << QStringLiteral("Bank From: x") << true;
        QTest::newRow("DEL") << QStringLiteral("a\u007fb") << QStringLiteral("a b") << false;
    }
    void neutralise()
    {
        QFETCH(QString, name);
        QFETCH(QString, shown);
        QFETCH(bool, suspicious);
        QCOMPARE(neutraliseDisplayName(name), suspicious);
        QCOMPARE(name, shown);
    }

    void aceAddress()
    {
        Mailbox m;
        m.address = QStringLiteral("info@bücher.example");
        QCOMPARE(m.aceAddress(), QStringLiteral("info@xn--bcher-kva.example"));
        // Qt shows Unicode only for registries with homograph rules; elsewhere the ACE form stays visible.
        QCOMPARE(parseAddressList("<a@xn--pple-43d.example>").front().address, QStringLiteral("a@xn--pple-43d.example"));
    }

    // SECURITY.md D2: several From mailboxes, or a Sender that is not the From, must be visible.
    void envelopeSenderMismatch()
    {
        const Envelope plain = envelope(Message(QByteArray("From: a@example.org\r\nSender: A@EXAMPLE.ORG\r\n"
                                                           "Subject: =?utf-8?q?caf=C3=A9?=\r\nDate: 1 Jan 2024 00:00:00 +0000\r\n\r\n")));
        QVERIFY(!plain.senderMismatch);
        QCOMPARE(plain.subject, QStringLiteral("café"));
        QCOMPARE(plain.date.toUTC().toString(Qt::ISODate), QStringLiteral("2024-01-01T00:00:00Z"));
        QVERIFY(envelope(Message(QByteArray("From: a@example.org\r\nSender: b@evil.example\r\n\r\n"))).senderMismatch);
        const Envelope two = envelope(Message(QByteArray("From: a@example.org, b@example.org\r\n\r\n")));
        QVERIFY(two.senderMismatch);
        QCOMPARE(two.from.size(), size_t(2));
    }

    void boundedCount()
    {
        QByteArray many;
        for (int i = 0; i < 5000; ++i)
            many += "a" + QByteArray::number(i) + "@example.org, ";
        QCOMPARE(int(parseAddressList(many).size()), kMaxAddresses);
    }
};

QTEST_APPLESS_MAIN(TestMimeAddress)
#include "tst_mime_address.moc"
