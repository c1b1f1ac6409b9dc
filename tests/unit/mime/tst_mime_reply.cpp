// SPDX-License-Identifier: GPL-3.0-or-later
// Reply, reply-all, forward: recipients, threading fields (RFC 5322 3.6.4), subjects, quoting.
#include "mime/bodymodel.h"
#include "mime/reply.h"

#include <QTest>

using namespace tern::mime;

namespace {

Mailbox mb(const QString &address, const QString &name = {})
{
    Mailbox m;
    m.address = address;
    m.name = name;
    return m;
}

QStringList addresses(const std::vector<Mailbox> &list)
{
    QStringList out;
    for (const Mailbox &m : list)
        out << m.address;
    return out;
}

const QByteArray kOriginal("From: Bob <bob@example.net>\r\n"
                           "To: Me <me@example.org>, Carol <carol@example.net>, team@example.net\r\n"
                           "Cc: ME@EXAMPLE.ORG, dave@example.net, carol@example.net, alias@example.org\r\n"
                           "Subject: Re: RE: Fwd: AW: Plans\r\n"
                           "Date: Mon, 4 Mar 2024 10:15:00 +0100\r\n"
                           "Message-ID: <m3@example.net>\r\n"
                           "References: <m1@example.net>\r\n <m2@example.net>\r\n"
                           "Content-Type: text/plain\r\n\r\nFirst line\r\n> older quote\r\n");

} // namespace

class TestMimeReply : public QObject
{
    Q_OBJECT

private slots:
    void subjects_data()
    {
        QTest::addColumn<QString>("subject");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("Plans") << QStringLiteral("Re") << QStringLiteral("Re: Plans");
        QTest::newRow("stacked") << QStringLiteral("Re: Re: Re: Plans") << QStringLiteral("Re") << QStringLiteral("Re: Plans");
        QTest::newRow("mixed languages") << QStringLiteral("AW: RE: Sv: Plans") << QStringLiteral("Re") << QStringLiteral("Re: Plans");
        QTest::newRow("counted") << QStringLiteral("Re[3]: Plans") << QStringLiteral("Re") << QStringLiteral("Re: Plans");
        QTest::newRow("forward of reply") << QStringLiteral("Re: Fwd: Plans") << QStringLiteral("Fwd") << QStringLiteral("Fwd: Plans");
        QTest::newRow("not a prefix") << QStringLiteral("Reply needed") << QStringLiteral("Re") << QStringLiteral("Re: Reply needed");
        QTest::newRow("empty") << QString() << QStringLiteral("Re") << QStringLiteral("Re: ");
    }
    void subjects()
    {
        QFETCH(QString, subject);
        QFETCH(QString, prefix);
        QFETCH(QString, expected);
        QCOMPARE(normaliseSubject(subject, prefix), expected);
    }

    void replyToSender()
    {
        const Message original(kOriginal);
        const Draft d = makeReply(original, mb(QStringLiteral("me@example.org")), {}, ReplyMode::Sender);
        QCOMPARE(addresses(d.to), QStringList{QStringLiteral("bob@example.net")});
        QVERIFY(d.cc.empty());
        QCOMPARE(d.subject, QStringLiteral("Re: Plans"));
        QCOMPARE(d.inReplyTo, QByteArray("<m3@example.net>"));
        const std::vector<QByteArray> refs{"<m1@example.net>", "<m2@example.net>", "<m3@example.net>"};
        QCOMPARE(d.references, refs);
        QVERIFY(d.text.contains(QStringLiteral("Bob <bob@example.net> wrote:\n> First line\n>> older quote\n")));
    }

    void replyAllSkipsMeAndDuplicates()
    {
        const Message original(kOriginal);
        const Draft d = makeReply(original, mb(QStringLiteral("me@example.org")), {mb(QStringLiteral("alias@example.org"))},
                                  ReplyMode::All);
        QCOMPARE(addresses(d.to), QStringList{QStringLiteral("bob@example.net")});
        const QStringList cc{QStringLiteral("carol@example.net"), QStringLiteral("team@example.net"), QStringLiteral("dave@example.net")};
        QCOMPARE(addresses(d.cc), cc);
    }

    void replyHonoursReplyTo()
    {
        const Message original(QByteArray("From: bob@example.net\r\nReply-To: list@example.net\r\nTo: me@example.org\r\n\r\nx"));
        const Draft d = makeReply(original, mb(QStringLiteral("me@example.org")), {}, ReplyMode::All);
        QCOMPARE(addresses(d.to), QStringList{QStringLiteral("list@example.net")});
        QVERIFY(d.cc.empty());
    }

    void replyToOwnMessageGoesToItsRecipients()
    {
        const Message original(QByteArray("From: me@example.org\r\nTo: bob@example.net\r\nSubject: x\r\n\r\nx"));
        const Draft d = makeReply(original, mb(QStringLiteral("me@example.org")), {}, ReplyMode::Sender);
        QCOMPARE(addresses(d.to), QStringList{QStringLiteral("bob@example.net")});
    }

    void referencesTrimmed()
    {
        QByteArray refs;
        for (int i = 0; i < 50; ++i)
            refs += " <r" + QByteArray::number(i) + "@example.net>";
        const Message original("From: b@example.net\r\nMessage-ID: <last@example.net>\r\nReferences:" + refs + "\r\n\r\n");
        const auto out = replyReferences(original);
        QCOMPARE(int(out.size()), kMaxReferences);
        QCOMPARE(out.front(), QByteArray("<r0@example.net>"));
        QCOMPARE(out[1], QByteArray("<r32@example.net>")); // 51 ids: the root, then the last 19 (r32..r49, last)
        QCOMPARE(out.back(), QByteArray("<last@example.net>"));
    }

    void replyComposes()
    {
        const Message original(kOriginal);
        Draft d = makeReply(original, mb(QStringLiteral("me@example.org")), {}, ReplyMode::All);
        const Composed c = compose(d);
        QVERIFY(c.ok());
        const Message m(c.bytes);
        QCOMPARE(m.header(0, "in-reply-to"), QByteArray("<m3@example.net>"));
        QCOMPARE(m.header(0, "references"), QByteArray("<m1@example.net> <m2@example.net> <m3@example.net>"));
        QCOMPARE(m.headerText(0, "subject"), QStringLiteral("Re: Plans"));
    }

    void quoting()
    {
        QCOMPARE(quotePlain(QStringLiteral("a\r\n>b\r\n"), QStringLiteral("X wrote:")), QStringLiteral("X wrote:\n> a\n>>b\n"));
        QCOMPARE(quoteHtml(QStringLiteral("<p>hi</p>"), QStringLiteral("<X> wrote:")),
                 QStringLiteral("<p>&lt;X&gt; wrote:</p>\n<blockquote type=\"cite\">\n<p>hi</p>\n</blockquote>\n"));
    }

    void forwardInlineKeepsAttachments()
    {
        const Message original(QByteArray("From: bob@example.net\r\nSubject: Report\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                                          "--b\r\n\r\nsee attached\r\n--b\r\nContent-Type: application/pdf; name=r.pdf\r\n"
                                          "Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n"));
        const Draft d = makeForwardInline(original, mb(QStringLiteral("me@example.org")));
        QCOMPARE(d.subject, QStringLiteral("Fwd: Report"));
        QVERIFY(d.text.contains(QStringLiteral("From: bob@example.net\nSubject: Report\n\nsee attached")));
        QCOMPARE(d.attachments.size(), size_t(1));
        QCOMPARE(d.attachments[0].fileName, QStringLiteral("r.pdf"));
        QCOMPARE(d.attachments[0].data, QByteArray("%PDF"));
    }

    void forwardAsAttachment()
    {
        const Message original(QByteArray("From: bob@example.net\nSubject: Report\n\nbody\n"));
        Draft d = makeForwardAsAttachment(original, mb(QStringLiteral("me@example.org")));
        d.to = {mb(QStringLiteral("carol@example.net"))};
        const Composed c = compose(d);
        QVERIFY(c.ok());
        const Message m(c.bytes);
        const BodyModel body(m);
        QCOMPARE(body.attachments().size(), size_t(1));
        const Attachment &a = body.attachments()[0];
        QCOMPARE(a.mimeType, QByteArray("message/rfc822"));
        QCOMPARE(a.fileName, QStringLiteral("Report.eml"));
        const int inner = m.encapsulated(a.part);
        QVERIFY(inner >= 0);
        QCOMPARE(m.headerText(inner, "subject"), QStringLiteral("Report"));
        QCOMPARE(m.decodedBody(inner), QByteArray("body\r\n")); // CRLF added for SMTP
    }
};

QTEST_APPLESS_MAIN(TestMimeReply)
#include "tst_mime_reply.moc"
