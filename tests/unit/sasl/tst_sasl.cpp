// SPDX-License-Identifier: GPL-3.0-or-later
// SASL mechanisms against the RFCs' own examples, and the mechanism choice rules.
#include "sasl/authenticator.h"
#include "sasl/crypto.h"
#include "sasl/saslprep.h"
#include "sasl/scram.h"

#include <QTest>
#include <QtCrypto>

using namespace tern::sasl;

class TestSasl : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;

    static Credentials password(const QString &user, const QString &pass)
    {
        Credentials c;
        c.username = user;
        c.password = pass;
        return c;
    }

private slots:
    void pbkdf2MatchesRfc6070()
    {
        // RFC 6070 §2, PBKDF2-HMAC-SHA1, dkLen 20.
        QCOMPARE(pbkdf2Hmac(HashAlgorithm::Sha1, "password", "salt", 1)->toHex(),
                 QByteArray("0c60c80f961f0e71f3a9b524af6012062fe037a6"));
        QCOMPARE(pbkdf2Hmac(HashAlgorithm::Sha1, "password", "salt", 4096)->toHex(),
                 QByteArray("4b007901b765489abead49d926f721d065a429c1"));
        // PBKDF2-HMAC-SHA256, first block, the widely published vector for ("password", "salt", 4096).
        QCOMPARE(pbkdf2Hmac(HashAlgorithm::Sha256, "password", "salt", 4096)->toHex(),
                 QByteArray("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"));
        QVERIFY(!pbkdf2Hmac(HashAlgorithm::Sha256, "password", "salt", 0));
    }

    void plainRfc4616()
    {
        Credentials c = password(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"));
        auto auth = Authenticator::create(Mechanism::Plain, c);
        QCOMPARE(auth->initialResponse(), QByteArray("\0tim\0tanstaaftanstaaf", 21));
        c.authorizationId = QStringLiteral("Ursel");
        c.username = QStringLiteral("Kurt");
        c.password = QStringLiteral("xipj3plmq");
        QCOMPARE(Authenticator::create(Mechanism::Plain, c)->initialResponse(),
                 QByteArray("Ursel\0Kurt\0xipj3plmq", 20));
    }

    void plainAnswersEmptyChallengeOnce()
    {
        auto auth = Authenticator::create(Mechanism::Plain, password(QStringLiteral("u"), QStringLiteral("p")));
        QCOMPARE(auth->respond(""), QByteArray("\0u\0p", 4));
        QVERIFY(!auth->respond(""));
        QCOMPARE(auth->error(), Error::UnexpectedChallenge);
    }

    void loginAnswersByStepNotPrompt()
    {
        auto auth = Authenticator::create(Mechanism::Login, password(QStringLiteral("u"), QStringLiteral("p")));
        QVERIFY(!auth->initialResponse());
        QCOMPARE(auth->respond("Password:"), QByteArray("u")); // a confused prompt still gets the name first
        QCOMPARE(auth->respond("Username:"), QByteArray("p"));
        QVERIFY(!auth->respond("x"));
    }

    void cramMd5Rfc2195()
    {
        auto auth = Authenticator::create(Mechanism::CramMd5,
                                          password(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf")));
        QCOMPARE(auth->respond("<1896.697170952@postoffice.reston.mci.net>"),
                 QByteArray("tim b913a602c7eda7a495b4e6e7334d3890"));
    }

    void scram_data()
    {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QByteArray>("nonce");
        QTest::addColumn<QByteArray>("clientFirst");
        QTest::addColumn<QByteArray>("serverFirst");
        QTest::addColumn<QByteArray>("clientFinal");
        QTest::addColumn<QByteArray>("serverFinal");
        // RFC 5802 §5.
        QTest::newRow("rfc5802 sha1")
            << int(Mechanism::ScramSha1) << QByteArray("fyko+d2lbbFgONRv9qkxdawL")
            << QByteArray("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")
            << QByteArray("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
            << QByteArray("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")
            << QByteArray("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=");
        // RFC 7677 §3.
        QTest::newRow("rfc7677 sha256")
            << int(Mechanism::ScramSha256) << QByteArray("rOprNGfwEbeRWgbNEkqO")
            << QByteArray("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
            << QByteArray("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
            << QByteArray("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                          "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
            << QByteArray("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    void scram()
    {
        QFETCH(int, mechanism);
        QFETCH(QByteArray, nonce);
        QFETCH(QByteArray, clientFirst);
        QFETCH(QByteArray, serverFirst);
        QFETCH(QByteArray, clientFinal);
        QFETCH(QByteArray, serverFinal);
        ScramAuthenticator auth(Mechanism(mechanism), password(QStringLiteral("user"), QStringLiteral("pencil")));
        auth.setClientNonce(nonce);
        QCOMPARE(auth.initialResponse(), clientFirst);
        QCOMPARE(auth.respond(serverFirst), clientFinal);
        QVERIFY(!auth.isServerVerified());
        QCOMPARE(auth.respond(serverFinal), QByteArray());
        QVERIFY(auth.isServerVerified());
        QCOMPARE(auth.error(), Error::None);
    }

    void scramRejectsWrongServerSignature()
    {
        ScramAuthenticator auth(Mechanism::ScramSha256, password(QStringLiteral("user"), QStringLiteral("pencil")));
        auth.setClientNonce("rOprNGfwEbeRWgbNEkqO");
        auth.initialResponse();
        QVERIFY(auth.respond("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        // The RFC's signature with its first byte changed (not the last character: its low bits are padding).
        QVERIFY(!auth.respond("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        QCOMPARE(auth.error(), Error::ServerSignatureMismatch);
        QVERIFY(!auth.isServerVerified());
    }

    void scramRejectsHostileServerFirst_data()
    {
        QTest::addColumn<QByteArray>("serverFirst");
        QTest::addColumn<int>("error");
        QTest::newRow("foreign nonce") << QByteArray("r=other,s=QSXCR+Q6sek8bf92,i=4096") << int(Error::NonceMismatch);
        QTest::newRow("nonce not extended") << QByteArray("r=abc,s=QSXCR+Q6sek8bf92,i=4096") << int(Error::NonceMismatch);
        QTest::newRow("zero iterations") << QByteArray("r=abcdef,s=QSXCR+Q6sek8bf92,i=0")
                                         << int(Error::IterationCountOutOfRange);
        QTest::newRow("huge iterations") << QByteArray("r=abcdef,s=QSXCR+Q6sek8bf92,i=2000000000")
                                         << int(Error::IterationCountOutOfRange);
        QTest::newRow("bad salt") << QByteArray("r=abcdef,s=!!!,i=4096") << int(Error::MalformedChallenge);
        QTest::newRow("mandatory ext") << QByteArray("m=x,r=abcdef,s=QSXCR+Q6sek8bf92,i=4096")
                                       << int(Error::MalformedChallenge);
        QTest::newRow("garbage") << QByteArray("hello") << int(Error::MalformedChallenge);
    }

    void scramRejectsHostileServerFirst()
    {
        QFETCH(QByteArray, serverFirst);
        QFETCH(int, error);
        ScramAuthenticator auth(Mechanism::ScramSha1, password(QStringLiteral("user"), QStringLiteral("pencil")));
        auth.setClientNonce("abc");
        auth.initialResponse();
        QVERIFY(!auth.respond(serverFirst));
        QCOMPARE(int(auth.error()), error);
    }

    void scramServerError()
    {
        ScramAuthenticator auth(Mechanism::ScramSha1, password(QStringLiteral("user"), QStringLiteral("pencil")));
        auth.setClientNonce("fyko+d2lbbFgONRv9qkxdawL");
        auth.initialResponse();
        QVERIFY(auth.respond("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        QVERIFY(!auth.respond("e=invalid-proof"));
        QCOMPARE(auth.error(), Error::ServerReportedError);
        QCOMPARE(auth.serverErrorText(), QByteArray("invalid-proof"));
    }

    void saslPrepRfc4013_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("valid");
        // RFC 4013 §3, the examples table.
        QTest::newRow("soft hyphen") << QStringLiteral("I\u00ADX") << QStringLiteral("IX") << true;
        QTest::newRow("no transformation") << QStringLiteral("user") << QStringLiteral("user") << true;
        QTest::newRow("case preserved") << QStringLiteral("USER") << QStringLiteral("USER") << true;
        QTest::newRow("ordinal") << QStringLiteral("\u00AA") << QStringLiteral("a") << true;
        QTest::newRow("roman nine") << QStringLiteral("\u2168") << QStringLiteral("IX") << true;
        QTest::newRow("control") << QStringLiteral("\u0007") << QString() << false;
        QTest::newRow("bidi mix") << QStringLiteral("\u0627\u0031") << QString() << false;
        // RFC 4013 §2.1: non-ASCII space becomes SPACE (then allowed).
        QTest::newRow("nbsp") << QStringLiteral("a\u00A0b") << QStringLiteral("a b") << true;
        QTest::newRow("rtl alone") << QStringLiteral("\u0627\u0628") << QStringLiteral("\u0627\u0628") << true;
    }

    void saslPrepRfc4013()
    {
        QFETCH(QString, input);
        QFETCH(QString, output);
        QFETCH(bool, valid);
        const auto prepared = saslPrep(input);
        QCOMPARE(prepared.has_value(), valid);
        if (valid)
            QCOMPARE(*prepared, output);
    }

    void scramRefusesProhibitedPassword()
    {
        ScramAuthenticator auth(Mechanism::ScramSha256, password(QStringLiteral("user"), QStringLiteral("pen\u0007cil")));
        auth.setClientNonce("abc");
        QVERIFY(auth.initialResponse());
        QVERIFY(!auth.respond("r=abcdef,s=QSXCR+Q6sek8bf92,i=4096"));
        QCOMPARE(auth.error(), Error::ProhibitedCharacter);
    }

    void scramEscapesNames()
    {
        QCOMPARE(scramEscape("a=b,c"), QByteArray("a=3Db=2Cc"));
    }

    void bearerTokens()
    {
        Credentials c;
        c.username = QStringLiteral("user@example.com");
        c.oauthToken = QStringLiteral("vF9dft4qmT");
        c.host = QStringLiteral("server.example.com");
        c.port = 143;
        // RFC 7628 §4.1.
        QCOMPARE(Authenticator::create(Mechanism::OAuthBearer, c)->initialResponse(),
                 QByteArray("n,a=user@example.com,\x01host=server.example.com\x01port=143\x01"
                            "auth=Bearer vF9dft4qmT\x01\x01"));
        auto xo = Authenticator::create(Mechanism::XOAuth2, c);
        QCOMPARE(xo->initialResponse(), QByteArray("user=user@example.com\x01" "auth=Bearer vF9dft4qmT\x01\x01"));
        // An error challenge is kept and answered with the empty response the server waits for.
        QCOMPARE(xo->respond("{\"status\":\"401\"}"), QByteArray());
        QCOMPARE(xo->serverErrorText(), QByteArray("{\"status\":\"401\"}"));
        auto ob = Authenticator::create(Mechanism::OAuthBearer, c);
        ob->initialResponse();
        QCOMPARE(ob->respond("{\"status\":\"invalid_token\"}"), QByteArray("\x01")); // RFC 7628 §3.2.3
    }

    void choice_data()
    {
        QTest::addColumn<QList<QByteArray>>("offered");
        QTest::addColumn<bool>("encrypted");
        QTest::addColumn<bool>("allowPlain");
        QTest::addColumn<bool>("token");
        QTest::addColumn<QByteArray>("expected"); // empty: none
        const QList<QByteArray> all{"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256", "XOAUTH2", "OAUTHBEARER"};
        QTest::newRow("all, tls") << all << true << false << false << QByteArray("SCRAM-SHA-256");
        QTest::newRow("lowercase") << QList<QByteArray>{"plain", "scram-sha-1"} << true << false << false
                                   << QByteArray("SCRAM-SHA-1");
        QTest::newRow("cram over plain") << QList<QByteArray>{"PLAIN", "CRAM-MD5"} << false << false << false
                                         << QByteArray("CRAM-MD5");
        QTest::newRow("plain only, cleartext") << QList<QByteArray>{"PLAIN", "LOGIN"} << false << false << false
                                               << QByteArray();
        QTest::newRow("plain only, cleartext allowed") << QList<QByteArray>{"LOGIN", "PLAIN"} << false << true
                                                       << false << QByteArray("PLAIN");
        QTest::newRow("plain, tls") << QList<QByteArray>{"LOGIN", "PLAIN"} << true << false << false
                                    << QByteArray("PLAIN");
        QTest::newRow("token") << all << true << false << true << QByteArray("OAUTHBEARER");
        QTest::newRow("token, xoauth2") << QList<QByteArray>{"PLAIN", "XOAUTH2"} << true << false << true
                                        << QByteArray("XOAUTH2");
        QTest::newRow("token, cleartext") << all << false << false << true << QByteArray();
        QTest::newRow("nothing common") << QList<QByteArray>{"GSSAPI"} << true << false << false << QByteArray();
    }

    void choice()
    {
        QFETCH(QList<QByteArray>, offered);
        QFETCH(bool, encrypted);
        QFETCH(bool, allowPlain);
        QFETCH(bool, token);
        QFETCH(QByteArray, expected);
        SelectionPolicy policy;
        policy.encrypted = encrypted;
        policy.allowPlaintextPasswordOverCleartext = allowPlain;
        policy.credential = token ? CredentialKind::OAuthToken : CredentialKind::Password;
        const auto chosen = chooseMechanism(offered, policy);
        QCOMPARE(chosen ? mechanismName(*chosen) : QByteArray(), expected);
    }

    void forcedMechanismStillObeysCleartextRule()
    {
        SelectionPolicy policy;
        policy.encrypted = false;
        policy.forced = Mechanism::Plain;
        QVERIFY(!chooseMechanism({"PLAIN"}, policy));
        policy.encrypted = true;
        QCOMPARE(chooseMechanism({"PLAIN", "SCRAM-SHA-256"}, policy), std::optional(Mechanism::Plain));
    }
};

QTEST_GUILESS_MAIN(TestSasl)
#include "tst_sasl.moc"
