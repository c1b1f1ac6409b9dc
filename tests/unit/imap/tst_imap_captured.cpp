// SPDX-License-Identifier: GPL-3.0-or-later
// Responses captured from the lab's Dovecot 2.4 (tests/data/imap/capture.py). The expected values come
// from the message that was appended (tests/data/imap/capture-message.eml) and the RFC 3501 rules, not
// from the parser: its MIME tree, its headers and its size in bytes.
#include "describe.h"

#include "imap/responseparser.h"

#include <QFile>
#include <QTest>
#include <QTimeZone>

using namespace tern::imap;

namespace {

QByteArray data(const char *name)
{
    QFile f(qEnvironmentVariable("TERN_TEST_DATA") + QStringLiteral("/imap/") + QLatin1StringView(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QList<Response> parseStepwise(const QByteArray &input, qsizetype step)
{
    ResponseParser parser;
    QList<Response> out;
    for (qsizetype i = 0; i < input.size(); i += step) {
        parser.feed(QByteArrayView(input).sliced(i, qMin(step, input.size() - i)));
        while (auto r = parser.next())
            out.append(*r);
    }
    return out;
}

} // namespace

class TestImapCaptured : public QObject
{
    Q_OBJECT

private slots:
    void dovecotFetch_data()
    {
        QTest::addColumn<qsizetype>("step");
        QTest::newRow("whole") << qsizetype(1 << 20);
        QTest::newRow("16 KiB") << qsizetype(16384);
        QTest::newRow("byte by byte") << qsizetype(1);
    }

    void dovecotFetch()
    {
        QFETCH(qsizetype, step);
        const QByteArray input = data("dovecot-fetch.txt");
        const QByteArray message = data("capture-message.eml");
        QVERIFY(!input.isEmpty() && !message.isEmpty());
        const QList<Response> responses = parseStepwise(input, step);
        QCOMPARE(responses.size(), 3);
        QCOMPARE(responses[2].kind, Response::Kind::Tagged);
        QCOMPARE(responses[2].tag, QByteArray("a5"));

        const FetchData *f = responses[0].get<FetchData>();
        QVERIFY(f);
        QCOMPARE(f->uid, std::optional<quint32>(1));
        QCOMPARE(*f->flags, (QList<QByteArray>{"\\Flagged", "\\Recent", "$Forwarded"}));
        // Appended with "05-Mar-2024 14:07:09 +0100": the same instant, whatever zone the server reports.
        QCOMPARE(f->internalDate->toUTC(), QDateTime(QDate(2024, 3, 5), QTime(13, 7, 9), QTimeZone::UTC));
        QCOMPARE(*f->size, message.size());

        const Envelope &e = *f->envelope;
        QCOMPARE(e.date, QByteArray("Tue, 05 Mar 2024 14:07:09 +0100"));
        QCOMPARE(e.subject, QByteArray("=?utf-8?q?Quarterly_report_=E2=80=93_draft?="));
        QCOMPARE(e.from, (QList<Address>{{"Alice Example", {}, "alice", "lab.test"}}));
        QCOMPARE(e.sender, e.from); // RFC 3501 §7.4.2: Sender and Reply-To default to From
        QCOMPARE(e.replyTo, e.from);
        // "Bob <bob@lab.test>, team: carol@lab.test, dave@lab.test;" — a group between its markers.
        QCOMPARE(e.to.size(), 5);
        QCOMPARE(e.to[0].mailbox, QByteArray("bob"));
        QVERIFY(e.to[1].isGroupStart());
        QCOMPARE(e.to[1].mailbox, QByteArray("team"));
        QCOMPARE(e.to[2].mailbox, QByteArray("carol"));
        QCOMPARE(e.to[3].mailbox, QByteArray("dave"));
        QVERIFY(e.to[4].isGroupEnd());
        QCOMPARE(e.cc.first().name, QByteArray("Smith, John"));
        QVERIFY(e.bcc.isEmpty());
        QCOMPARE(e.inReplyTo, QByteArray("<plan-0@lab.test>"));
        QCOMPARE(e.messageId, QByteArray("<report-1@lab.test>"));

        // multipart/mixed( multipart/alternative(text/plain, text/html), application/pdf, message/rfc822 )
        const BodyStructure &b = *f->body;
        QCOMPARE(b.type + '/' + b.subtype, QByteArray("MULTIPART/MIXED"));
        QCOMPARE(b.params, (QList<BodyParam>{{"BOUNDARY", "outer"}}));
        QCOMPARE(b.parts.size(), 3);
        const BodyStructure &alt = b.parts[0];
        QCOMPARE(alt.subtype, QByteArray("ALTERNATIVE"));
        QCOMPARE(alt.parts.size(), 2);
        QCOMPARE(alt.parts[0].type + '/' + alt.parts[0].subtype, QByteArray("TEXT/PLAIN"));
        QCOMPARE(alt.parts[0].encoding, QByteArray("QUOTED-PRINTABLE"));
        QCOMPARE(alt.parts[0].params, (QList<BodyParam>{{"CHARSET", "utf-8"}}));
        QCOMPARE(alt.parts[1].subtype, QByteArray("HTML"));
        const BodyStructure &pdf = b.parts[1];
        QCOMPARE(pdf.type + '/' + pdf.subtype, QByteArray("APPLICATION/PDF"));
        QCOMPARE(pdf.encoding, QByteArray("BASE64"));
        // RFC 2046 §5.1.1: the CRLF before a boundary belongs to the boundary, not to the part.
        QCOMPARE(pdf.size, qint64(QByteArray("JVBERi0xLjQKJcOkw7zDtsOfCg==").size()));
        QCOMPARE(pdf.disposition, QByteArray("ATTACHMENT"));
        QCOMPARE(pdf.dispositionParams, (QList<BodyParam>{{"FILENAME", "report q1.pdf"}}));
        const BodyStructure &inner = b.parts[2];
        QVERIFY(inner.isMessage());
        QCOMPARE(inner.envelope->subject, QByteArray("Earlier numbers"));
        QCOMPARE(inner.envelope->messageId, QByteArray("<carol-7@lab.test>"));
        QCOMPARE(inner.parts.size(), 1);
        QCOMPARE(inner.parts[0].type, QByteArray("TEXT"));
        const QByteArray embedded("From: Carol <carol@lab.test>\r\nSubject: Earlier numbers\r\n"
                                  "Message-ID: <carol-7@lab.test>\r\n\r\nNumbers inside.");
        QCOMPARE(inner.size, embedded.size());
        QCOMPARE(inner.lines, embedded.count("\r\n")); // line ends; the last CRLF is the boundary's

        QCOMPARE(f->sections.size(), 1);
        QCOMPARE(f->sections[0].section, QByteArray("HEADER.FIELDS (SUBJECT)"));
        QCOMPARE(f->sections[0].data, QByteArray("Subject: =?utf-8?q?Quarterly_report_=E2=80=93_draft?=\r\n\r\n"));

        // The second message: Dovecot sends 8-bit and quote-bearing strings as literals inside ENVELOPE.
        const FetchData *g = responses[1].get<FetchData>();
        QVERIFY(g);
        QCOMPARE(g->envelope->subject, QByteArray("plain \xc3\xa4"));
        QCOMPARE(g->envelope->from.size(), 2);
        QCOMPARE(g->envelope->from[1].name, QByteArray("Quote \"Q\""));
        QCOMPARE(g->envelope->to.size(), 2); // "undisclosed-recipients:;" is an empty group
        QVERIFY(g->envelope->to[0].isGroupStart());
        QVERIFY(g->envelope->to[1].isGroupEnd());
        QCOMPARE(g->body->lines, 1);
    }
};

QTEST_GUILESS_MAIN(TestImapCaptured)
#include "tst_imap_captured.moc"
