// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/accountstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace tern::accounts;

namespace {
Account sample(const QString &name)
{
    Account a;
    a.name = name;
    a.identities = {{QStringLiteral("Ada Lovelace"), QStringLiteral("ada@example.org"), QStringLiteral("-- \nAda")}};
    a.incomingProtocol = IncomingProtocol::Pop3;
    a.incoming = {QStringLiteral("pop.example.org"), 995, Security::Tls, QString(), QStringLiteral("ada")};
    a.smtp = {QStringLiteral("smtp.example.org"), 587, Security::StartTls, QStringLiteral("PLAIN"), QStringLiteral("ada")};
    a.options.pop3LeaveOnServer = false;
    a.options.pop3DeleteAfterDays = 14;
    a.options.offlineFolders = {QStringLiteral("INBOX"), QStringLiteral("Archive")};
    return a;
}
} // namespace

class TestAccountStore : public QObject
{
    Q_OBJECT

private slots:
    void roundTripsEveryField()
    {
        QTemporaryDir dir;
        AccountStore store(dir.path());
        QVERIFY(store.load());
        QVERIFY2(store.add(sample(QStringLiteral("Work"))), qPrintable(store.error()));
        QVERIFY(store.save());

        AccountStore again(dir.path());
        QVERIFY(again.load());
        QCOMPARE(again.accounts().size(), 1);
        const Account a = again.accounts().first();
        QCOMPARE(a.name, QStringLiteral("Work"));
        QCOMPARE(a.identities.first().signature, QStringLiteral("-- \nAda"));
        QCOMPARE(a.incomingProtocol, IncomingProtocol::Pop3);
        QCOMPARE(a.incoming.port, quint16(995));
        QCOMPARE(a.smtp.security, Security::StartTls);
        QCOMPARE(a.smtp.authMechanism, QStringLiteral("PLAIN"));
        QCOMPARE(a.options.pop3LeaveOnServer, false);
        QCOMPARE(a.options.pop3DeleteAfterDays, 14);
        QCOMPARE(a.options.offlineFolders, (QStringList{QStringLiteral("INBOX"), QStringLiteral("Archive")}));
    }

    void fileHoldsNoSecretsAndIsPrivate()
    {
        QTemporaryDir dir;
        AccountStore store(dir.path());
        QVERIFY(store.add(sample(QStringLiteral("Work"))));
        QVERIFY(store.save());
        QFile file(store.filePath());
        QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().toLower().contains("password"));
    }

    void rejectsDuplicatesAndInvalidAccounts()
    {
        QTemporaryDir dir;
        AccountStore store(dir.path());
        QVERIFY(store.add(sample(QStringLiteral("Work"))));
        QVERIFY(!store.add(sample(QStringLiteral("Work"))));
        QVERIFY(store.error().contains(QStringLiteral("already exists")));

        Account bad = sample(QStringLiteral("Bad"));
        bad.incoming.host = QStringLiteral("evil host\r\nX");
        bad.smtp.port = 0;
        QVERIFY(!store.add(bad));
        QVERIFY(store.error().contains(QStringLiteral("incoming server's host")));
        QVERIFY(store.error().contains(QStringLiteral("SMTP server's port")));
    }

    void damagedFileIsAClearErrorNotAnEmptyList()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("accounts.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{ \"accounts\": [ {\"name\": ");
        file.close();
        AccountStore store(dir.path());
        QVERIFY(!store.load());
        QVERIFY(store.error().contains(QStringLiteral("damaged")));
    }

    void unknownSecurityValueNeverWeakensSecurity()
    {
        QJsonObject json = sample(QStringLiteral("Work")).toJson();
        QJsonObject incoming = json.value(QStringLiteral("incoming")).toObject();
        incoming.insert(QStringLiteral("security"), QStringLiteral("sslv2-please"));
        json.insert(QStringLiteral("incoming"), incoming);
        QCOMPARE(Account::fromJson(json).incoming.security, Security::Tls);
    }
};

QTEST_GUILESS_MAIN(TestAccountStore)
#include "tst_accountstore.moc"
