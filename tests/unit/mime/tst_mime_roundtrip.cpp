// SPDX-License-Identifier: GPL-3.0-or-later
// Compose -> parse round trips over generated drafts (property style, fixed seeds so failures reproduce):
// every field the composer writes must read back exactly.
#include "mime/bodymodel.h"
#include "mime/composer.h"
#include "mime/received.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>

using namespace tern::mime;

namespace {

// Pieces the generator draws from: ASCII, accents, CJK, emoji, RTL, quotes and specials, "=?" look-alikes.
const QString kWords[] = {
    QStringLiteral("hello"), QStringLiteral("Grüße"), QStringLiteral("日本語"), QStringLiteral("\U0001F600"),
    QStringLiteral("שלום"), QStringLiteral("\"quoted\""), QStringLiteral("a,b;c:d"), QStringLiteral("=?utf-8?q?x?="),
    QStringLiteral("<tag>"), QStringLiteral("back\\slash"), QStringLiteral("tab"), QStringLiteral("Ünïcödé"),
    QStringLiteral("x@y"), QStringLiteral("From"), QStringLiteral(">quote"), QStringLiteral("."), QStringLiteral("-- "),
    QStringLiteral("supercalifragilisticexpialidocious-and-then-some-more-characters-to-pass-the-flowed-width")};

QString words(QRandomGenerator &rng, int n)
{
    QString s;
    for (int i = 0; i < n; ++i) {
        if (i)
            s += QLatin1Char(' ');
        s += kWords[rng.bounded(int(std::size(kWords)))];
    }
    return s.trimmed();
}

// Text without trailing spaces on lines (format=flowed owns those, RFC 3676 4.2).
QString paragraphs(QRandomGenerator &rng)
{
    QStringList lines;
    for (int i = rng.bounded(1, 12); i > 0; --i) {
        QString line = words(rng, rng.bounded(0, 40));
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

Mailbox mailbox(QRandomGenerator &rng, int i)
{
    Mailbox m;
    // Names as the parser returns them after neutralising: no '<' '>' '@' (those are reported, and changed).
    m.name = rng.bounded(3) ? words(rng, rng.bounded(1, 4)).remove(QLatin1Char('<')).remove(QLatin1Char('>'))
                                  .remove(QLatin1Char('@')).simplified()
                            : QString();
    m.address = QStringLiteral("user%1.%2@%3").arg(i).arg(rng.bounded(1000)).arg(rng.bounded(2) ? QStringLiteral("example.org")
                                                                                             : QStringLiteral("bücher.de"));
    return m;
}

QByteArray randomBytes(QRandomGenerator &rng, int n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (int i = 0; i < n; ++i)
        b[i] = char(rng.bounded(256));
    return b;
}

QString crlfToLf(QString s)
{
    return s.replace(QLatin1StringView("\r\n"), QLatin1StringView("\n"));
}

} // namespace

class TestMimeRoundTrip : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<quint32>("seed");
        for (quint32 seed = 1; seed <= 300; ++seed)
            QTest::addRow("seed %u", seed) << seed;
    }
    void roundTrip()
    {
        QFETCH(quint32, seed);
        QRandomGenerator rng(seed);
        Draft d;
        d.from = mailbox(rng, 0);
        for (int i = rng.bounded(1, 6); i > 0; --i)
            d.to.push_back(mailbox(rng, 100 + i));
        for (int i = rng.bounded(0, 4); i > 0; --i)
            d.cc.push_back(mailbox(rng, 200 + i));
        d.subject = words(rng, rng.bounded(0, 30));
        d.text = paragraphs(rng);
        if (rng.bounded(2))
            d.html = QStringLiteral("<p>") + paragraphs(rng).toHtmlEscaped() + QStringLiteral("</p>");
        d.allow8bit = rng.bounded(2);
        const TransferEncoding encodings[] = {TransferEncoding::Unknown, TransferEncoding::QuotedPrintable,
                                              TransferEncoding::Base64, TransferEncoding::EightBit};
        d.textEncoding = encodings[rng.bounded(4)];
        for (int i = rng.bounded(0, 4); i > 0; --i) {
            OutgoingAttachment a;
            a.fileName = words(rng, rng.bounded(1, 5)).remove(QRegularExpression(QStringLiteral("[/\\\\<>:\"|?*]")))
                             .simplified() + QStringLiteral(".bin");
            while (a.fileName.startsWith(QLatin1Char('.')) || a.fileName.startsWith(QLatin1Char(' ')))
                a.fileName.remove(0, 1);
            a.fileName = a.fileName.left(kMaxFileNameLength);
            const char *types[] = {"application/octet-stream", "image/png", "text/plain"};
            a.mimeType = types[rng.bounded(3)];
            a.data = a.mimeType == "text/plain" ? paragraphs(rng).replace(QLatin1Char('\n'), QStringLiteral("\r\n")).toUtf8()
                                                : randomBytes(rng, rng.bounded(0, 5000));
            const TransferEncoding choices[] = {TransferEncoding::Unknown, TransferEncoding::Base64, TransferEncoding::QuotedPrintable,
                                                TransferEncoding::SevenBit, TransferEncoding::EightBit};
            a.encoding = choices[rng.bounded(5)];
            if (!d.html.isEmpty() && rng.bounded(2))
                a.contentId = "img" + QByteArray::number(i) + "@example.org";
            d.attachments.push_back(a);
        }
        d.date = QDateTime(QDate(2024, 1 + rng.bounded(12), 1 + rng.bounded(28)), QTime(rng.bounded(24), rng.bounded(60), rng.bounded(60)),
                           QTimeZone::fromSecondsAheadOfUtc((rng.bounded(27) - 12) * 3600));

        const Composed c = compose(d);
        QVERIFY2(c.ok(), qPrintable(c.detail));
        const Message m(c.bytes);
        QCOMPARE(m.issues(), 0u);
        QCOMPARE(m.headerText(0, "subject"), d.subject);
        QCOMPARE(parseDateTime(m.header(0, "date")), d.date);
        QCOMPARE(m.header(0, "message-id"), c.messageId);
        const auto check = [](const std::vector<Mailbox> &got, const std::vector<Mailbox> &want) {
            QCOMPARE(got.size(), want.size());
            for (size_t i = 0; i < got.size(); ++i) {
                QCOMPARE(got[i].name, want[i].name);
                QCOMPARE(got[i].aceAddress(), want[i].aceAddress());
            }
        };
        check(parseAddressList(m.header(0, "from")), {d.from});
        check(parseAddressList(m.header(0, "to")), d.to);
        check(parseAddressList(m.header(0, "cc")), d.cc);

        const BodyModel body(m);
        QCOMPARE(body.plainText(), crlfToLf(d.text) + QLatin1Char('\n'));
        QCOMPARE(crlfToLf(body.html()), d.html);
        std::vector<const OutgoingAttachment *> want;
        for (const OutgoingAttachment &a : d.attachments) {
            if (!a.contentId.isEmpty() && !d.html.isEmpty())
                want.push_back(&a);
        }
        for (const OutgoingAttachment &a : d.attachments) {
            if (a.contentId.isEmpty() || d.html.isEmpty())
                want.push_back(&a);
        }
        QCOMPARE(body.attachments().size(), want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            const Attachment &got = body.attachments()[i];
            QCOMPARE(got.declaredName, want[i]->fileName);
            QCOMPARE(got.fileName, want[i]->fileName.isEmpty() ? got.fileName : want[i]->fileName);
            QCOMPARE(got.mimeType, want[i]->mimeType);
            QCOMPARE(got.contentId, want[i]->contentId);
            QCOMPARE(body.content(got.part), want[i]->data);
        }
        for (const QByteArray &line : c.bytes.split('\n'))
            QVERIFY(line.size() <= 999);
    }
};

QTEST_APPLESS_MAIN(TestMimeRoundTrip)
#include "tst_mime_roundtrip.moc"
