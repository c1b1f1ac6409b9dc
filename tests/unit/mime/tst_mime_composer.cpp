// SPDX-License-Identifier: GPL-3.0-or-later
// The composer: header formatting, no header injection (SECURITY.md D5), no Bcc in the bytes (D6), line
// lengths (RFC 5322 2.1.1), structure.
#include "mime/bodymodel.h"
#include "mime/composer.h"

#include <QTest>
#include <QTimeZone>

using namespace tern::mime;

namespace {

Mailbox mb(const QString &name, const QString &address)
{
    Mailbox m;
    m.name = name;
    m.address = address;
    return m;
}

Draft simpleDraft()
{
    Draft d;
    d.from = mb(QStringLiteral("Alice"), QStringLiteral("alice@example.org"));
    d.to = {mb(QString(), QStringLiteral("bob@example.net"))};
    d.subject = QStringLiteral("Hello");
    d.text = QStringLiteral("Hi Bob");
    d.date = QDateTime(QDate(2024, 3, 4), QTime(10, 15, 0), QTimeZone::fromSecondsAheadOfUtc(3600));
    return d;
}

} // namespace

class TestMimeComposer : public QObject
{
    Q_OBJECT

private slots:
    void mailboxFormatting_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QByteArray>("formatted");
        QTest::newRow("bare") << QString() << QStringLiteral("a@example.org") << QByteArray("a@example.org");
        QTest::newRow("atoms") << QStringLiteral("John Doe") << QStringLiteral("j@example.org") << QByteArray("John Doe <j@example.org>");
        QTest::newRow("needs quotes") << QStringLiteral("Doe, John \"JD\"") << QStringLiteral("j@example.org")
                                      << QByteArray("\"Doe, John \\\"JD\\\"\" <j@example.org>");
        QTest::newRow("non-ascii") << QStringLiteral("Jörg") << QStringLiteral("j@example.org") << QByteArray("=?UTF-8?B?SsO2cmc=?= <j@example.org>") /* B: shorter than Q */;
        QTest::newRow("idn domain") << QString() << QStringLiteral("info@bücher.example") << QByteArray("info@xn--bcher-kva.example");
    }
    void mailboxFormatting()
    {
        QFETCH(QString, name);
        QFETCH(QString, address);
        QFETCH(QByteArray, formatted);
        QCOMPARE(formatMailbox(mb(name, address)), formatted);
    }

    void dateFormat()
    {
        // RFC 5322 appendix A.1.1 style.
        const QDateTime dt(QDate(1997, 11, 21), QTime(9, 55, 6), QTimeZone::fromSecondsAheadOfUtc(-6 * 3600));
        QCOMPARE(formatDateTime(dt), QByteArray("Fri, 21 Nov 1997 09:55:06 -0600"));
        const QDateTime india(QDate(2024, 3, 4), QTime(1, 2, 3), QTimeZone::fromSecondsAheadOfUtc(5 * 3600 + 1800));
        QCOMPARE(formatDateTime(india), QByteArray("Mon, 4 Mar 2024 01:02:03 +0530"));
    }

    void simpleMessage()
    {
        const Composed c = compose(simpleDraft());
        QVERIFY(c.ok());
        QVERIFY(c.bytes.startsWith("Date: Mon, 4 Mar 2024 10:15:00 +0100\r\nFrom: Alice <alice@example.org>\r\nTo: bob@example.net\r\n"
                                   "Subject: Hello\r\nMessage-ID: <"));
        QVERIFY(c.bytes.contains("@example.org>\r\n"));
        QVERIFY(c.bytes.contains("MIME-Version: 1.0\r\n"));
        QVERIFY(c.bytes.endsWith("Content-Type: text/plain; charset=utf-8; format=flowed\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHi Bob\r\n"));
        QVERIFY(c.messageId.endsWith("@example.org>"));
        QCOMPARE(c.recipients, std::vector<QString>{QStringLiteral("bob@example.net")});
    }

    void messageIdsAreUnique()
    {
        QSet<QByteArray> ids;
        for (int i = 0; i < 1000; ++i)
            ids.insert(generateMessageId(QStringLiteral("example.org")));
        QCOMPARE(ids.size(), 1000);
        QVERIFY(generateMessageId(QStringLiteral("bücher.example")).endsWith("@xn--bcher-kva.example>"));
    }

    void injection_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("value");
        const QString payloads[] = {QStringLiteral("x\r\nBcc: victim@example.org"), QStringLiteral("x\nX-Evil: 1"),
                                    QStringLiteral("x\rX-Evil: 1"), QString::fromUtf16(u"x\u0000y", 3), QString(u"x\u2028y")};
        const char *fields[] = {"subject", "from name", "to name", "to address", "cc address", "bcc address",
                                "reply-to name", "attachment name", "extra header value", "in-reply-to"};
        for (int f = 0; f < int(std::size(fields)); ++f) {
            for (int p = 0; p < int(std::size(payloads)); ++p)
                QTest::addRow("%s %d", fields[f], p) << f << payloads[p];
        }
    }
    void injection()
    {
        QFETCH(int, field);
        QFETCH(QString, value);
        Draft d = simpleDraft();
        const QString addr = QStringLiteral("a") + value + QStringLiteral("@example.org");
        switch (field) {
        case 0: d.subject = value; break;
        case 1: d.from.name = value; break;
        case 2: d.to[0].name = value; break;
        case 3: d.to[0].address = addr; break;
        case 4: d.cc = {mb(QString(), addr)}; break;
        case 5: d.bcc = {mb(QString(), addr)}; break;
        case 6: d.replyTo = {mb(value, QStringLiteral("r@example.org"))}; break;
        case 7: d.attachments = {OutgoingAttachment{value, "text/plain", "x", {}}}; break;
        case 8: d.extraHeaders = {{"X-Note", value}}; break;
        case 9: d.inReplyTo = "<" + value.toUtf8() + "@example.org>"; break;
        }
        const Composed c = compose(d);
        QVERIFY(!c.ok());
        QVERIFY(c.error == ComposeError::HeaderInjection || c.error == ComposeError::InvalidAddress);
        QVERIFY(c.bytes.isEmpty());
    }

    void badHeaderName()
    {
        Draft d = simpleDraft();
        d.extraHeaders = {{"X-A: b\r\nX-C", QStringLiteral("v")}};
        QCOMPARE(compose(d).error, ComposeError::HeaderInjection);
    }

    void bccNeverInBytes()
    {
        Draft d = simpleDraft();
        d.cc = {mb(QStringLiteral("Carol"), QStringLiteral("carol@example.net"))};
        d.bcc = {mb(QStringLiteral("Secret Person"), QStringLiteral("hidden@example.com")), mb(QString(), QStringLiteral("BOB@example.net"))};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        QVERIFY(!c.bytes.contains("hidden"));
        QVERIFY(!c.bytes.contains("Secret"));
        QVERIFY(!c.bytes.toLower().contains("bcc"));
        const std::vector<QString> expected{QStringLiteral("bob@example.net"), QStringLiteral("carol@example.net"),
                                            QStringLiteral("hidden@example.com")};
        QCOMPARE(c.recipients, expected);
    }

    void attachmentEncodings_data()
    {
        QTest::addColumn<int>("asked");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("7bit text") << int(TransferEncoding::SevenBit) << QByteArray("a\r\nb") << QByteArray("7bit");
        QTest::newRow("7bit refused for 8-bit") << int(TransferEncoding::SevenBit) << QByteArray("\xe9") << QByteArray("base64");
        QTest::newRow("8bit") << int(TransferEncoding::EightBit) << QByteArray("\xe9\r\n") << QByteArray("8bit");
        QTest::newRow("8bit refused for NUL") << int(TransferEncoding::EightBit) << QByteArray("a\0b", 3) << QByteArray("base64");
        QTest::newRow("8bit refused for bare LF") << int(TransferEncoding::EightBit) << QByteArray("a\nb") << QByteArray("base64");
        QTest::newRow("8bit refused for long line") << int(TransferEncoding::EightBit) << QByteArray(999, 'x') << QByteArray("base64");
        QTest::newRow("qp") << int(TransferEncoding::QuotedPrintable) << QByteArray("\x01\xff") << QByteArray("quoted-printable");
        QTest::newRow("default") << int(TransferEncoding::Unknown) << QByteArray("x") << QByteArray("base64");
    }
    void attachmentEncodings()
    {
        QFETCH(int, asked);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, written);
        Draft d = simpleDraft();
        d.attachments = {OutgoingAttachment{QStringLiteral("f.bin"), "application/octet-stream", data, {}, TransferEncoding(asked)}};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        const Message m(c.bytes);
        const int part = m.root().children.at(1);
        QCOMPARE(m.header(part, "content-transfer-encoding"), written);
        QCOMPARE(m.decodedBody(part), data);
    }

    // The size a message view shows before decoding: within one base64 line (57 bytes) of the file's size.
    void attachmentSizeEstimate_data()
    {
        QTest::addColumn<int>("size");
        for (int size : {1, 57, 1000, 80 * 1024, 120 * 1024, 4 * 1024 * 1024})
            QTest::addRow("%d bytes", size) << size;
    }
    void attachmentSizeEstimate()
    {
        QFETCH(int, size);
        Draft d = simpleDraft();
        d.attachments = {OutgoingAttachment{QStringLiteral("f.bin"), "application/octet-stream", QByteArray(size, '\xff'), {}}};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        const Message message(c.bytes);
        const BodyModel body(message);
        QCOMPARE(body.attachments().size(), size_t(1));
        const qsizetype estimate = body.attachments().front().approximateSize;
        QVERIFY2(qAbs(estimate - size) <= 57, qPrintable(QStringLiteral("estimated %1 for %2").arg(estimate).arg(size)));
    }

    void smtpUtf8()
    {
        Draft d = simpleDraft();
        QVERIFY(!compose(d).requiresSmtpUtf8);
        d.bcc = {mb(QString(), QStringLiteral("jörg@example.org"))};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        QVERIFY(c.requiresSmtpUtf8);
    }

    void errors()
    {
        Draft d = simpleDraft();
        d.from.address.clear();
        QCOMPARE(compose(d).error, ComposeError::MissingFrom);
        d = simpleDraft();
        d.to.clear();
        QCOMPARE(compose(d).error, ComposeError::NoRecipients);
        d = simpleDraft();
        d.to[0].address = QStringLiteral("not-an-address");
        QCOMPARE(compose(d).error, ComposeError::InvalidAddress);
        d.to[0].address = QStringLiteral("a@b>, evil@example.org");
        QCOMPARE(compose(d).error, ComposeError::InvalidAddress);
    }

    void linesNeverOver998()
    {
        Draft d = simpleDraft();
        d.subject = QString(5000, QLatin1Char('s'));
        d.text = QString(5000, QLatin1Char('t')) + QLatin1Char('\n') + QString(3000, QChar(0x00e9));
        d.html = QStringLiteral("<p>") + QString(4000, QLatin1Char('h')) + QStringLiteral("</p>");
        d.to.clear();
        for (int i = 0; i < 200; ++i)
            d.to.push_back(mb(QStringLiteral("Person %1").arg(i), QStringLiteral("p%1@example.org").arg(i)));
        d.attachments = {OutgoingAttachment{QString(300, QChar(0x4e2d)) + QStringLiteral(".txt"), "text/plain", QByteArray(10000, 'a'), {}}};
        d.allow8bit = true;
        const Composed c = compose(d);
        QVERIFY(c.ok());
        for (const QByteArray &line : c.bytes.split('\n')) {
            QVERIFY2(line.size() <= 999, line.left(80).constData()); // 998 + the CR
            QVERIFY(line.isEmpty() || line.endsWith('\r'));
        }
        // Header lines fold at 78 where there is a space to fold at.
        const QByteArray header = c.bytes.left(c.bytes.indexOf("\r\n\r\n"));
        for (const QByteArray &line : header.split('\n'))
            QVERIFY2(line.size() <= 79, line.constData());
        const Message m(c.bytes);
        QCOMPARE(m.headerText(0, "subject"), d.subject);
        QCOMPARE(parseAddressList(m.header(0, "to")).size(), size_t(200));
    }

    void structure()
    {
        Draft d = simpleDraft();
        d.html = QStringLiteral("<p>Hi <img src=\"cid:logo@x\"></p>");
        d.attachments = {OutgoingAttachment{QStringLiteral("logo.png"), "image/png", QByteArray("\x89PNG", 4), "logo@x"},
                         OutgoingAttachment{QStringLiteral("report.pdf"), "application/pdf", QByteArray("%PDF"), {}}};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        const Message m(c.bytes);
        QCOMPARE(m.root().contentType.subtype, QByteArray("mixed"));
        const Part &alt = m.part(m.root().children[0]);
        QCOMPARE(alt.contentType.subtype, QByteArray("alternative"));
        QCOMPARE(m.part(alt.children[1]).contentType.subtype, QByteArray("related"));
        const BodyModel body(m);
        QCOMPARE(body.plainText(), QStringLiteral("Hi Bob\n"));
        QCOMPARE(body.html(), d.html);
        QCOMPARE(body.content(body.partForContentId(u"cid:logo@x")), QByteArray("\x89PNG", 4));
        QCOMPARE(body.attachments().size(), size_t(2));
        QCOMPARE(body.attachments()[1].fileName, QStringLiteral("report.pdf"));
        QVERIFY(!m.hasIssue(Issue::MissingCloseBoundary));
    }
};

QTEST_APPLESS_MAIN(TestMimeComposer)
#include "tst_mime_composer.moc"
