// SPDX-License-Identifier: GPL-3.0-or-later
// Modified UTF-7 mailbox names (RFC 3501 §5.1.3) both ways, and the UTF8=ACCEPT wire form (RFC 6855).
#include "imap/mutf7.h"

#include <QTest>

using namespace tern::imap;

class TestImapMutf7 : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("wire");

        QTest::newRow("ascii") << QStringLiteral("Sent Items") << QByteArray("Sent Items");
        QTest::newRow("ampersand") << QStringLiteral("Tom & Jerry") << QByteArray("Tom &- Jerry");
        // The RFC 3501 §5.1.3 example.
        QTest::newRow("rfc example") << QStringLiteral("~peter/mail/\u53F0\u5317/\u65E5\u672C\u8A9E")
                                     << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        QTest::newRow("umlaut") << QStringLiteral("Entw\u00FCrfe") << QByteArray("Entw&APw-rfe");
        // U+1F4E7 is the surrogate pair D83D DCE7; base64 of D8 3D DC E7 is "2D3c5w".
        QTest::newRow("astral") << QString::fromUtf8("\xF0\x9F\x93\xA7") << QByteArray("&2D3c5w-");
        QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c") << QByteArray("a\"b\\c");
    }

    void roundTrip()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, wire);
        QCOMPARE(encodeModifiedUtf7(name), wire);
        QCOMPARE(decodeModifiedUtf7(wire), name);
    }

    void lenientDecoding_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("name");

        QTest::newRow("bad base64 kept literally") << QByteArray("a&Jj!o-b") << QStringLiteral("a&Jj!o-b");
        QTest::newRow("unterminated shift") << QByteArray("a&ZeVn") << QStringLiteral("a&ZeVn");
        QTest::newRow("non-canonical ascii in shift") << QByteArray("&AGE-") << QStringLiteral("a");
        QTest::newRow("raw utf-8 from a sloppy server") << QByteArray("Entw\xc3\xbcrfe") << QStringLiteral("Entw\u00FCrfe");
    }

    void lenientDecoding()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QString, name);
        QCOMPARE(decodeModifiedUtf7(wire), name);
    }

    void mailboxWireForm()
    {
        QCOMPARE(encodeMailboxName(QStringLiteral("inbox"), false), QByteArray("INBOX"));
        QCOMPARE(encodeMailboxName(QStringLiteral("Entw\u00FCrfe & Co"), false), QByteArray("Entw&APw-rfe &- Co"));
        QCOMPARE(encodeMailboxName(QStringLiteral("Entw\u00FCrfe & Co"), true), QByteArray("Entw\xc3\xbcrfe & Co"));
    }
};

QTEST_GUILESS_MAIN(TestImapMutf7)
#include "tst_imap_mutf7.moc"
