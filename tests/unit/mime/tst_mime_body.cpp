// SPDX-License-Identifier: GPL-3.0-or-later
// The body model (what the UI shows) and safe attachment names (SECURITY.md D3).
#include "mime/bodymodel.h"

#include <QTest>

using namespace tern::mime;

namespace {

QByteArray crlf(QByteArray lf)
{
    return lf.replace("\n", "\r\n");
}

} // namespace

class TestMimeBody : public QObject
{
    Q_OBJECT

private slots:
    void alternativeWithRelatedImages()
    {
        const Message m(crlf("Content-Type: multipart/mixed; boundary=m\n\n--m\n"
                             "Content-Type: multipart/alternative; boundary=a\n\n--a\n"
                             "Content-Type: text/plain; charset=utf-8\n\nplain \xc3\xa9\n--a\n"
                             "Content-Type: multipart/related; boundary=r\n\n--r\n"
                             "Content-Type: text/html\n\n<img src=\"cid:logo@x\">\n--r\n"
                             "Content-Type: image/png\nContent-ID: <logo@x>\nContent-Transfer-Encoding: base64\n\n"
                             "iVBORw0KGgo=\n--r--\n--a--\n--m\n"
                             "Content-Type: application/pdf; name=\"r.pdf\"\n"
                             "Content-Disposition: attachment; filename=\"../../report.pdf\"\n\n%PDF\n--m--\n"));
        const BodyModel body(m);
        QCOMPARE(body.plainText(), QStringLiteral("plain é"));
        QCOMPARE(body.html(), QStringLiteral("<img src=\"cid:logo@x\">"));
        QCOMPARE(body.attachments().size(), size_t(2));
        const Attachment &logo = body.attachments()[0];
        QVERIFY(logo.isInline);
        QCOMPARE(logo.contentId, QByteArray("logo@x"));
        QCOMPARE(body.partForContentId(u"cid:logo@x"), logo.part);
        QCOMPARE(body.partForContentId(u"cid:nothing"), -1);
        QCOMPARE(body.content(logo.part), QByteArray("\x89PNG\r\n\x1a\n"));
        const Attachment &pdf = body.attachments()[1];
        QCOMPARE(pdf.fileName, QStringLiteral("report.pdf"));
        QCOMPARE(pdf.declaredName, QStringLiteral("../../report.pdf"));
        QVERIFY(!pdf.isInline);
        QCOMPARE(pdf.mimeType, QByteArray("application/pdf"));
        QCOMPARE(body.content(pdf.part), QByteArray("%PDF"));
        // SHA-256 of "%PDF", computed independently (sha256sum).
        QCOMPARE(BodyModel::sha256(body.content(pdf.part)).toHex(),
                 QByteArray("315d429b7714cedb6ad04ac31240145257692630457f3c88253c5beceac76027"));
    }

    void plainOnlyAndForwarded()
    {
        const Message m(crlf("Content-Type: multipart/mixed; boundary=m\n\n--m\n\nhello\n--m\n"
                             "Content-Type: text/plain\nContent-Disposition: inline\n\nsecond\n--m\n"
                             "Content-Type: message/rfc822\n\nSubject: Old news\n\nold\n--m--\n"));
        const BodyModel body(m);
        QCOMPARE(body.plainText(), QStringLiteral("hello"));
        QCOMPARE(body.htmlPart(), -1);
        QCOMPARE(body.attachments().size(), size_t(2));
        QVERIFY(body.attachments()[0].isInline);
        QCOMPARE(body.attachments()[1].fileName, QStringLiteral("Old news.eml"));
    }

    void alternativePrefersLast()
    {
        const Message m(crlf("Content-Type: multipart/alternative; boundary=a\n\n--a\n\none\n--a\n\ntwo\n--a\n"
                             "Content-Type: text/html\n\n<p>three\n--a--\n"));
        const BodyModel body(m);
        QCOMPARE(body.plainText(), QStringLiteral("two"));
        QCOMPARE(body.html(), QStringLiteral("<p>three"));
    }

    void opaqueRestIsAnAttachment()
    {
        QByteArray raw("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
        for (int i = 0; i < 20; ++i)
            raw += "--x\r\n\r\np\r\n";
        raw += "--x--\r\n";
        Limits limits;
        limits.maxParts = 5;
        const Message m(raw, limits);
        const BodyModel body(m);
        QVERIFY(!body.attachments().empty());
        QVERIFY(body.attachments().back().isOpaque);
        QCOMPARE(body.attachments().back().fileName, QStringLiteral("attachment.bin"));
    }

    void safeNames_data()
    {
        QTest::addColumn<QString>("declared");
        QTest::addColumn<QString>("safe");
        QTest::newRow("plain") << QStringLiteral("report.pdf") << QStringLiteral("report.pdf");
        QTest::newRow("unix traversal") << QStringLiteral("../../.bashrc") << QStringLiteral("bashrc");
        QTest::newRow("windows path") << QStringLiteral("C:\\Windows\\x.exe") << QStringLiteral("x.exe");
        QTest::newRow("drive only") << QStringLiteral("C:x.exe") << QStringLiteral("C_x.exe");
        QTest::newRow("CON") << QStringLiteral("CON") << QStringLiteral("_CON");
        QTest::newRow("con with extension") << QStringLiteral("con.txt") << QStringLiteral("_con.txt");
        QTest::newRow("COM1") << QStringLiteral("com1.log") << QStringLiteral("_com1.log");
        QTest::newRow("LPT9 spaces") << QStringLiteral("LPT9 .txt") << QStringLiteral("_LPT9 .txt");
        QTest::newRow("not reserved") << QStringLiteral("console.txt") << QStringLiteral("console.txt");
        QTest::newRow("RLO") << QString(u"invoice\u202Efdp.exe") << QStringLiteral("invoicefdp.exe");
        QTest::newRow("controls") << QString::fromUtf16(u"a\u0000b\r\n\u0085c.txt", 11) << QStringLiteral("abc.txt");
        QTest::newRow("windows-forbidden") << QStringLiteral("a<b>c|d?e*.txt") << QStringLiteral("a_b_c_d_e_.txt");
        QTest::newRow("trailing dots") << QStringLiteral("evil.exe. . .") << QStringLiteral("evil.exe");
        QTest::newRow("only dots") << QStringLiteral("..") << QStringLiteral("attachment.bin");
        QTest::newRow("200,000 dots") << QString(200000, QLatin1Char('.')) + QStringLiteral("x") << QStringLiteral("x");
        QTest::newRow("empty") << QString() << QStringLiteral("attachment.bin");
        QTest::newRow("emoji kept") << QStringLiteral("\U0001F600.png") << QStringLiteral("\U0001F600.png");
        QTest::newRow("overlong keeps extension") << QString(300, QLatin1Char('a')) + QStringLiteral(".pdf")
                                                  << QString(kMaxFileNameLength - 4, QLatin1Char('a')) + QStringLiteral(".pdf");
    }
    void safeNames()
    {
        QFETCH(QString, declared);
        QFETCH(QString, safe);
        QCOMPARE(safeFileName(declared, "application/octet-stream"), safe);
    }

    // An overlong RFC 2231 name in 500 continuations: bounded sections, bounded result.
    void overlongFilenameHeader()
    {
        QByteArray raw("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Disposition: attachment");
        for (int i = 0; i < 500; ++i)
            raw += ";\r\n filename*" + QByteArray::number(i) + "=\"" + QByteArray(100, 'n') + "\"";
        raw += "\r\n\r\nx\r\n--b--\r\n";
        const Message m(raw);
        const BodyModel body(m);
        QCOMPARE(body.attachments().size(), size_t(1));
        QCOMPARE(body.attachments()[0].fileName.size(), kMaxFileNameLength);
    }

    void declaredNameShownWithoutBidi()
    {
        const Message m(QByteArray("Content-Type: application/octet-stream; name*=utf-8''a%E2%80%AEtxt.exe%0D\r\n\r\nx"));
        const BodyModel body(m);
        QCOMPARE(body.attachments().at(0).declaredName, QStringLiteral("atxt.exe"));
    }
};

QTEST_APPLESS_MAIN(TestMimeBody)
#include "tst_mime_body.moc"
