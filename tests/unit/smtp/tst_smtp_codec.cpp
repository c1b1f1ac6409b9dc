// SPDX-License-Identifier: GPL-3.0-or-later
// SMTP codec tables: replies fed whole and byte by byte, command bytes and their trace text.
#include "smtp/capabilities.h"
#include "smtp/commands.h"
#include "smtp/reply.h"

#include <QTest>

using namespace tern::smtp;

Q_DECLARE_METATYPE(tern::smtp::Reply)

namespace {

struct Parsed
{
    QList<Reply> replies;
    ReplyParser::Error error = ReplyParser::Error::None;
};

Parsed parse(const QByteArray &input, bool bytewise)
{
    ReplyParser parser(64, 4);
    Parsed out;
    auto drain = [&] {
        while (auto r = parser.next())
            out.replies.append(*r);
    };
    if (bytewise) {
        for (char c : input) {
            parser.feed(QByteArrayView(&c, 1));
            drain();
        }
    } else {
        parser.feed(input);
        drain();
    }
    out.error = parser.error();
    return out;
}

Reply reply(int code, QList<QByteArray> lines, std::optional<EnhancedStatus> enhanced = std::nullopt)
{
    Reply r;
    r.code = code;
    r.lines = std::move(lines);
    r.enhanced = enhanced;
    return r;
}

} // namespace

class TestSmtpCodec : public QObject
{
    Q_OBJECT

private slots:
    void replies_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<Reply>>("expected");
        QTest::addColumn<int>("error");
        const int none = int(ReplyParser::Error::None);
        QTest::newRow("greeting") << QByteArray("220 mx.example ESMTP\r\n")
                                  << QList<Reply>{reply(220, {"mx.example ESMTP"})} << none;
        QTest::newRow("multiline") << QByteArray("250-mx\r\n250-PIPELINING\r\n250 SIZE 100\r\n")
                                   << QList<Reply>{reply(250, {"mx", "PIPELINING", "SIZE 100"})} << none;
        QTest::newRow("code only") << QByteArray("250\r\n") << QList<Reply>{reply(250, {""})} << none;
        QTest::newRow("bare lf") << QByteArray("354 go\n") << QList<Reply>{reply(354, {"go"})} << none;
        QTest::newRow("two replies") << QByteArray("250 ok\r\n550 no\r\n")
                                     << QList<Reply>{reply(250, {"ok"}), reply(550, {"no"})} << none;
        QTest::newRow("enhanced") << QByteArray("550 5.1.1 <x@y>: unknown\r\n")
                                  << QList<Reply>{reply(550, {"5.1.1 <x@y>: unknown"}, EnhancedStatus{5, 1, 1})}
                                  << none;
        QTest::newRow("enhanced class mismatch") << QByteArray("250 5.1.1 odd\r\n")
                                                 << QList<Reply>{reply(250, {"5.1.1 odd"})} << none;
        QTest::newRow("enhanced three digits") << QByteArray("452 4.5.3 too many\r\n")
                                               << QList<Reply>{reply(452, {"4.5.3 too many"}, EnhancedStatus{4, 5, 3})}
                                               << none;
        QTest::newRow("partial") << QByteArray("250-a\r\n250 b") << QList<Reply>{} << none;
        QTest::newRow("code mismatch") << QByteArray("250-a\r\n251 b\r\n") << QList<Reply>{}
                                       << int(ReplyParser::Error::Malformed);
        QTest::newRow("not a code") << QByteArray("hello\r\n") << QList<Reply>{} << int(ReplyParser::Error::Malformed);
        QTest::newRow("bad separator") << QByteArray("250xok\r\n") << QList<Reply>{}
                                       << int(ReplyParser::Error::Malformed);
        QTest::newRow("code 600") << QByteArray("600 x\r\n") << QList<Reply>{} << int(ReplyParser::Error::Malformed);
        QTest::newRow("line too long") << QByteArray("250 " + QByteArray(100, 'x') + "\r\n") << QList<Reply>{}
                                       << int(ReplyParser::Error::LineTooLong);
        QTest::newRow("endless line") << QByteArray("250 " + QByteArray(100, 'x')) << QList<Reply>{}
                                      << int(ReplyParser::Error::LineTooLong);
        QTest::newRow("too many lines") << QByteArray("250-a\r\n250-b\r\n250-c\r\n250-d\r\n250 e\r\n")
                                        << QList<Reply>{} << int(ReplyParser::Error::TooManyLines);
    }

    void replies()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<Reply>, expected);
        QFETCH(int, error);
        for (bool bytewise : {false, true}) {
            const Parsed got = parse(input, bytewise);
            QCOMPARE(got.replies, expected);
            QCOMPARE(int(got.error), error);
        }
    }

    void clearDropsInjectedBytes()
    {
        ReplyParser parser;
        parser.feed("220 go ahead\r\n250 injected\r\n250-partial");
        QCOMPARE(parser.next()->code, 220);
        parser.clear();
        QVERIFY(!parser.next());
        parser.feed("250 real\r\n");
        QCOMPARE(parser.next()->lines, QList<QByteArray>{"real"});
    }

    void wireText()
    {
        QCOMPARE(reply(250, {"a", "b"}).wireText(), QByteArray("250-a\n250 b"));
    }

    void capabilities()
    {
        const Reply ehlo = reply(250, {"mx greets you", "PIPELINING", "SIZE 10240000", "auth plain LOGIN",
                                       "AUTH=CRAM-MD5", "8BITMIME", "STARTTLS"});
        const Capabilities caps = Capabilities::fromEhloReply(ehlo);
        QVERIFY(caps.has("PIPELINING"));
        QVERIFY(caps.has("starttls"));
        QVERIFY(!caps.has("CHUNKING"));
        QVERIFY(!caps.has("MX")); // the greeting line is not a keyword
        QCOMPARE(caps.sizeLimit(), std::optional<qint64>(10240000));
        QCOMPARE(caps.authMechanisms(), (QList<QByteArray>{"PLAIN", "LOGIN", "CRAM-MD5"}));
    }

    void sizeLimits_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<qint64>("limit");
        QTest::newRow("plain") << QByteArray("SIZE 52428800") << qint64(52428800);
        QTest::newRow("no number") << QByteArray("SIZE") << qint64(0);
        QTest::newRow("2 GB") << QByteArray("SIZE 2147483648") << qint64(2147483648LL);
        QTest::newRow("overflow saturates") << QByteArray("SIZE 999999999999999999999999")
                                            << std::numeric_limits<qint64>::max();
        QTest::newRow("garbage") << QByteArray("SIZE 12ab") << qint64(0);
    }

    void sizeLimits()
    {
        QFETCH(QByteArray, line);
        QFETCH(qint64, limit);
        QCOMPARE(Capabilities::fromEhloReply(reply(250, {"mx", line})).sizeLimit(), std::optional<qint64>(limit));
    }

    void commands_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("trace");
        QTest::addColumn<QByteArray>("expectedBytes");
        QTest::addColumn<QByteArray>("expectedTrace");
        auto row = [](const char *name, const Command &c, const QByteArray &bytes, const QByteArray &trace) {
            QTest::newRow(name) << c.bytes << c.trace << bytes << trace;
        };
        row("ehlo", command::ehlo("[127.0.0.1]"), "EHLO [127.0.0.1]\r\n", "EHLO [127.0.0.1]");
        row("auth plain", command::auth("PLAIN", QByteArray("\0u\0p", 4)), "AUTH PLAIN AHUAcA==\r\n", "AUTH PLAIN ***");
        row("auth empty ir", command::auth("EXTERNAL", QByteArray()), "AUTH EXTERNAL =\r\n", "AUTH EXTERNAL ***");
        row("auth no ir", command::auth("LOGIN", std::nullopt), "AUTH LOGIN\r\n", "AUTH LOGIN");
        row("auth response", command::authResponse("secret"), "c2VjcmV0\r\n", "***");
        row("mail", command::mailFrom("a@b", {"SIZE=10", "BODY=8BITMIME"}), "MAIL FROM:<a@b> SIZE=10 BODY=8BITMIME\r\n",
            "MAIL FROM:<a@b> SIZE=10 BODY=8BITMIME");
        row("null sender", command::mailFrom("", {}), "MAIL FROM:<>\r\n", "MAIL FROM:<>");
        row("rcpt", command::rcptTo("c@d", {"NOTIFY=SUCCESS,FAILURE"}), "RCPT TO:<c@d> NOTIFY=SUCCESS,FAILURE\r\n",
            "RCPT TO:<c@d> NOTIFY=SUCCESS,FAILURE");
        row("bdat", command::bdatLast("a\nb"), "BDAT 6 LAST\r\na\r\nb\r\n", "BDAT 6 LAST <message>");
    }

    void commands()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, trace);
        QFETCH(QByteArray, expectedBytes);
        QFETCH(QByteArray, expectedTrace);
        QCOMPARE(bytes, expectedBytes);
        QCOMPARE(trace, expectedTrace);
    }

    void dotStuffing_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nb\r\n.\r\n");
        QTest::newRow("no final newline") << QByteArray("a") << QByteArray("a\r\n.\r\n");
        QTest::newRow("bare lf") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n.\r\n");
        QTest::newRow("bare cr") << QByteArray("a\rb") << QByteArray("a\r\nb\r\n.\r\n");
        QTest::newRow("leading dot") << QByteArray(".hidden\r\n..two\r\n") << QByteArray("..hidden\r\n...two\r\n.\r\n");
        QTest::newRow("lone dot line") << QByteArray("a\r\n.\r\nb\r\n") << QByteArray("a\r\n..\r\nb\r\n.\r\n");
        QTest::newRow("dot mid line") << QByteArray("a.b\r\n") << QByteArray("a.b\r\n.\r\n");
        QTest::newRow("empty") << QByteArray() << QByteArray(".\r\n");
        QTest::newRow("8-bit kept") << QByteArray("\xc3\xa9t\xc3\xa9\n") << QByteArray("\xc3\xa9t\xc3\xa9\r\n.\r\n");
    }

    void dotStuffing()
    {
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, wire);
        QCOMPARE(command::dataPayload(message).bytes, wire);
    }

    void normalizedSizeMatchesNormalization_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n");
        QTest::newRow("mixed") << QByteArray("a\nb\rc\r\n\r\r\nd");
        QTest::newRow("trailing cr") << QByteArray("a\r");
    }

    void normalizedSizeMatchesNormalization()
    {
        QFETCH(QByteArray, message);
        QCOMPARE(normalizedSize(message), normalizeLineEndings(message).size());
    }

    void addressSafety()
    {
        QVERIFY(isSafeAddress("user@example.com"));
        QVERIFY(isSafeAddress(""));
        QVERIFY(!isSafeAddress("a@b>\r\nRCPT TO:<evil@x"));
        QVERIFY(!isSafeAddress("a@b\nx"));
        QVERIFY(!isSafeAddress(QByteArrayView("a\0b", 3)));
        QCOMPARE(xtext("a+b=c d\x01"), QByteArray("a+2Bb+3Dc+20d+01"));
    }
};

QTEST_GUILESS_MAIN(TestSmtpCodec)
#include "tst_smtp_codec.moc"
