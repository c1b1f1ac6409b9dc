// SPDX-License-Identifier: GPL-3.0-or-later
// COMPRESS=DEFLATE (RFC 4978): the session switches both directions to raw deflate right after the OK,
// including bytes that arrived in the same read as the OK. The server side here is zlib itself.
#include "sessionharness.h"

#include <QTest>

#include <zlib.h>

using namespace tern::imap;
using tern::imap::test::Harness;
using Kind = Session::Event::Kind;
namespace cmd = tern::imap::commands;

namespace {

// The server's half: its own raw deflate and inflate streams.
struct Peer
{
    z_stream out{};
    z_stream in{};
    Peer()
    {
        deflateInit2(&out, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        inflateInit2(&in, -15);
    }
    ~Peer()
    {
        deflateEnd(&out);
        inflateEnd(&in);
    }
    QByteArray pack(QByteArrayView plain)
    {
        QByteArray buf(int(plain.size()) + 1024, Qt::Uninitialized);
        out.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(plain.data()));
        out.avail_in = uInt(plain.size());
        out.next_out = reinterpret_cast<Bytef *>(buf.data());
        out.avail_out = uInt(buf.size());
        deflate(&out, Z_SYNC_FLUSH);
        buf.truncate(buf.size() - qsizetype(out.avail_out));
        return buf;
    }
    QByteArray unpack(QByteArrayView packed)
    {
        QByteArray buf(64 * 1024, Qt::Uninitialized);
        in.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(packed.data()));
        in.avail_in = uInt(packed.size());
        in.next_out = reinterpret_cast<Bytef *>(buf.data());
        in.avail_out = uInt(buf.size());
        inflate(&in, Z_SYNC_FLUSH);
        buf.truncate(buf.size() - qsizetype(in.avail_out));
        return buf;
    }
};

} // namespace

class TestImapCompress : public QObject
{
    Q_OBJECT

private slots:
    void switchesBothDirectionsAfterTheOk()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1 COMPRESS=DEFLATE");
        QCOMPARE(h.session.compress(), QByteArray("A2"));
        QCOMPARE(h.take(), QByteArray("A2 COMPRESS DEFLATE\r\n"));
        Peer server;
        // The OK and the first compressed bytes arrive in one read.
        h.server(QByteArray("A2 OK DEFLATE active\r\n" + server.pack("* 7 EXISTS\r\n")));
        QVERIFY(h.session.isCompressing());
        const auto events = h.events();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0].kind, Kind::CommandFinished);
        QCOMPARE(events[1].response.get<ExistsData>()->count, 7u);
        h.session.send(cmd::noop());
        QCOMPARE(server.unpack(h.take()), QByteArray("A3 NOOP\r\n"));
        // A response split across reads, in compressed form.
        const QByteArray packed = server.pack("* 1 FETCH (UID 9 FLAGS (\\Seen))\r\nA3 OK NOOP completed\r\n");
        h.server(packed.first(5));
        h.server(packed.sliced(5));
        const auto later = h.events();
        QCOMPARE(later.size(), 2);
        QCOMPARE(later[0].response.get<FetchData>()->uid, std::optional<quint32>(9));
        QCOMPARE(later[1].result.tag, QByteArray("A3"));
    }

    void refusedWithoutTheCapability()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1");
        QVERIFY(h.session.compress().isEmpty());
        QCOMPARE(h.take(), QByteArray());
    }

    void corruptStreamCloses()
    {
        Harness h(test::cleartext());
        test::logIn(h, "IMAP4rev1 COMPRESS=DEFLATE");
        h.session.compress();
        h.take();
        h.server("A2 OK DEFLATE active\r\n");
        h.events();
        h.server(QByteArray("\xff\xff\xff\xff garbage", 12));
        QCOMPARE(h.session.state(), Session::State::Closed);
        QCOMPARE(h.events().last().result.error, Session::Error::ProtocolError);
    }

    void inflateIsBounded()
    {
        // A small input that inflates past the bound is refused rather than expanded (SECURITY.md P2).
        Deflate bounded(1024 * 1024);
        Peer server;
        const QByteArray bomb = server.pack(QByteArray(8 * 1024 * 1024, 'A'));
        QVERIFY(bomb.size() < 64 * 1024);
        QVERIFY(!bounded.decompress(bomb));
    }
};

QTEST_GUILESS_MAIN(TestImapCompress)
#include "tst_imap_compress.moc"
