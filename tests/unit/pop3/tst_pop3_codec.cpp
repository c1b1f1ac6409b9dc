// SPDX-License-Identifier: GPL-3.0-or-later
// POP3 codec tables: responses fed whole and byte by byte, with the kind the client expects.
#include "pop3/commands.h"
#include "pop3/response.h"

#include <QTest>

using namespace tern::pop3;

Q_DECLARE_METATYPE(tern::pop3::Response)

namespace {

Response ok(QByteArray text, QByteArray body = {}, QByteArray code = {})
{
    return Response{Response::Status::Ok, std::move(text), std::move(code), std::move(body)};
}

Response err(QByteArray text, QByteArray code = {})
{
    return Response{Response::Status::Err, std::move(text), std::move(code), {}};
}

} // namespace

class TestPop3Codec : public QObject
{
    Q_OBJECT

private slots:
    void responses_data()
    {
        QTest::addColumn<QList<int>>("kinds");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<Response>>("expected");
        QTest::addColumn<int>("error");
        const int single = int(ResponseKind::SingleLine), multi = int(ResponseKind::MultiLine),
                  sasl = int(ResponseKind::Sasl), none = int(ResponseParser::Error::None);
        QTest::newRow("greeting") << QList<int>{single} << QByteArray("+OK POP3 ready <1.2@x>\r\n")
                                  << QList<Response>{ok("POP3 ready <1.2@x>")} << none;
        QTest::newRow("bare ok") << QList<int>{single} << QByteArray("+OK\r\n") << QList<Response>{ok("")} << none;
        QTest::newRow("err with code") << QList<int>{single} << QByteArray("-ERR [IN-USE] locked\r\n")
                                       << QList<Response>{err("[IN-USE] locked", "IN-USE")} << none;
        QTest::newRow("multi") << QList<int>{multi} << QByteArray("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n")
                               << QList<Response>{ok("2 messages", "1 120\r\n2 200\r\n")} << none;
        QTest::newRow("unstuffing") << QList<int>{multi}
                                    << QByteArray("+OK\r\n..leading\r\n...two\r\nmid.dot\r\n..\r\n.\r\n")
                                    << QList<Response>{ok("", ".leading\r\n..two\r\nmid.dot\r\n.\r\n")} << none;
        QTest::newRow("multi err has no body") << QList<int>{multi, single} << QByteArray("-ERR no\r\n+OK\r\n")
                                               << QList<Response>{err("no"), ok("")} << none;
        QTest::newRow("empty body") << QList<int>{multi} << QByteArray("+OK\r\n.\r\n") << QList<Response>{ok("")}
                                    << none;
        QTest::newRow("pipelined") << QList<int>{single, multi, single}
                                   << QByteArray("+OK 1 2\r\n+OK\r\nx\r\n.\r\n-ERR gone\r\n")
                                   << QList<Response>{ok("1 2"), ok("", "x\r\n"), err("gone")} << none;
        QTest::newRow("sasl continuation") << QList<int>{sasl} << QByteArray("+ PDE4OT4=\r\n+OK in\r\n")
                                           << QList<Response>{Response{Response::Status::Continuation, "PDE4OT4=", {}, {}},
                                                              ok("in")}
                                           << none;
        QTest::newRow("continuation only for sasl") << QList<int>{single} << QByteArray("+ x\r\n") << QList<Response>{}
                                                    << int(ResponseParser::Error::Malformed);
        QTest::newRow("garbage") << QList<int>{single} << QByteArray("* OK imap?\r\n") << QList<Response>{}
                                 << int(ResponseParser::Error::Malformed);
        QTest::newRow("+OKAY is not +OK") << QList<int>{single} << QByteArray("+OKAY\r\n") << QList<Response>{}
                                          << int(ResponseParser::Error::Malformed);
        QTest::newRow("unsolicited") << QList<int>{} << QByteArray("+OK\r\n") << QList<Response>{}
                                     << int(ResponseParser::Error::Unexpected);
        QTest::newRow("body too large") << QList<int>{multi} << QByteArray("+OK\r\n" + QByteArray(40, 'x') + "\r\n.\r\n")
                                        << QList<Response>{} << int(ResponseParser::Error::BodyTooLarge);
        QTest::newRow("line too long") << QList<int>{single} << QByteArray("+OK " + QByteArray(100, 'x'))
                                       << QList<Response>{} << int(ResponseParser::Error::LineTooLong);
    }

    void responses()
    {
        QFETCH(QList<int>, kinds);
        QFETCH(QByteArray, input);
        QFETCH(QList<Response>, expected);
        QFETCH(int, error);
        for (bool bytewise : {false, true}) {
            ResponseParser parser(64, 32);
            for (int k : kinds)
                parser.expect(ResponseKind(k));
            QList<Response> got;
            auto drain = [&] {
                while (auto r = parser.next())
                    got.append(*r);
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
            QCOMPARE(got, expected);
            QCOMPARE(int(parser.error()), error);
        }
    }

    void longBodyLinesAreNotStatusLines()
    {
        // A 100-octet body line passes a 16-octet status bound; the body bound still applies.
        ResponseParser parser(16, 1024);
        parser.expect(ResponseKind::MultiLine);
        parser.expect(ResponseKind::SingleLine);
        parser.feed(QByteArray("+OK\r\n" + QByteArray(100, 'x') + "\r\n.\r\n+OK " + QByteArray(20, 'y') + "\r\n"));
        QCOMPARE(parser.next()->body, QByteArray(100, 'x') + "\r\n");
        QVERIFY(!parser.next());
        QCOMPARE(parser.error(), ResponseParser::Error::LineTooLong);
    }

    void clearDropsInjectedBytes()
    {
        ResponseParser parser;
        parser.expect(ResponseKind::SingleLine);
        parser.feed("+OK Begin TLS\r\n+OK injected\r\n");
        QVERIFY(parser.next()->isOk());
        parser.clear();
        QVERIFY(!parser.next());
        QCOMPARE(parser.error(), ResponseParser::Error::None);
    }

    void commands()
    {
        QCOMPARE(command::user("u").bytes, QByteArray("USER u\r\n"));
        QCOMPARE(command::pass("secret").bytes, QByteArray("PASS secret\r\n"));
        QCOMPARE(command::pass("secret").trace, QByteArray("PASS ***"));
        QCOMPARE(command::apop("mrose", "c4c9334bac560ecc979e58001b3e22fb").trace, QByteArray("APOP mrose ***"));
        QCOMPARE(command::auth("PLAIN", QByteArray("\0u\0p", 4)).bytes, QByteArray("AUTH PLAIN AHUAcA==\r\n"));
        QCOMPARE(command::auth("PLAIN", QByteArray("\0u\0p", 4)).trace, QByteArray("AUTH PLAIN ***"));
        QCOMPARE(command::list().kind, ResponseKind::MultiLine);
        QCOMPARE(command::list(3).kind, ResponseKind::SingleLine);
        QCOMPARE(command::list(3).bytes, QByteArray("LIST 3\r\n"));
        QCOMPARE(command::top(2, 10).bytes, QByteArray("TOP 2 10\r\n"));
        QCOMPARE(command::retr(7).kind, ResponseKind::MultiLine);
    }

    void apopTimestamps()
    {
        // RFC 1939 §7 example.
        QCOMPARE(apopTimestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"),
                 QByteArray("<1896.697170952@dbc.mtview.ca.us>"));
        QCOMPARE(apopTimestamp("ready"), QByteArray());
        QCOMPARE(apopTimestamp("ready <no-at-sign>"), QByteArray());
        QCOMPARE(apopTimestamp("ready <a b@c>"), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestPop3Codec)
#include "tst_pop3_codec.moc"
