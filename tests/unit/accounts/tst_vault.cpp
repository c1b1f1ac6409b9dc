// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounts/secretstore.h"
#include "accounts/vault.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QtCrypto>

using namespace tern::accounts;

class TestVault : public QObject
{
    Q_OBJECT

    QCA::Initializer m_qca;

    static QJsonObject readJson(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }
    static void writeJson(const QString &path, const QJsonObject &o)
    {
        QFile f(path);
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(QJsonDocument(o).toJson());
    }

private slots:
    void pbkdf2Sha256MatchesRfc7914Vector()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64), first 32 bytes.
        QCOMPARE(Vault::deriveKey("passwd", "salt", 1).toHex(),
                 QByteArray("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));
    }

    void storesAndReadsBackAcrossOpens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vault.json"));
        {
            Vault vault(path);
            QVERIFY2(vault.open("correct horse"), qPrintable(vault.error()));
            QVERIFY(vault.write(QStringLiteral("Work/incoming"), "s3cr3t-ü"));
        }
        Vault vault(path);
        QVERIFY(vault.open("correct horse"));
        QCOMPARE(vault.read(QStringLiteral("Work/incoming")), QByteArray("s3cr3t-ü"));
        QVERIFY(!vault.read(QStringLiteral("Work/smtp")));

        QFile raw(path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray bytes = raw.readAll();
        QVERIFY(!bytes.contains("s3cr3t"));
        QVERIFY(readJson(path).value(QStringLiteral("iterations")).toInt() >= 200000);
        QCOMPARE(raw.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    // Two open vaults on one file (the window's, and the wizard's or tern-cli's): each sees what the other
    // wrote, neither write drops the other's entry, and a vault made anew is not read with the old key.
    void openVaultsSeeEachOthersWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vault.json"));
        Vault first(path);
        QVERIFY(first.open("correct horse"));
        QVERIFY(first.write(QStringLiteral("Work/incoming"), "one"));
        Vault second(path);
        QVERIFY(second.open("correct horse"));
        QVERIFY(second.write(QStringLiteral("Home/incoming"), "two"));
        QCOMPARE(first.read(QStringLiteral("Home/incoming")), QByteArray("two"));
        QVERIFY(first.write(QStringLiteral("Work/smtp"), "three"));
        QCOMPARE(second.read(QStringLiteral("Work/smtp")), QByteArray("three"));
        QCOMPARE(second.read(QStringLiteral("Work/incoming")), QByteArray("one"));
        QCOMPARE(second.read(QStringLiteral("Home/incoming")), QByteArray("two"));

        QVERIFY(QFile::remove(path));
        {
            Vault other(path);
            QVERIFY(other.open("battery staple"));
            QVERIFY(other.write(QStringLiteral("Work/incoming"), "theirs"));
        }
        QVERIFY(!first.read(QStringLiteral("Work/incoming")));
        QVERIFY2(first.error().contains(QLatin1String("replaced")), qPrintable(first.error()));
        QVERIFY(!first.isOpen());
    }

    void wrongPrimaryPasswordIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vault.json"));
        Vault created(path);
        QVERIFY(created.open("right"));
        QVERIFY(created.write(QStringLiteral("k"), "v"));
        Vault vault(path);
        QVERIFY(!vault.open("wrong"));
        QVERIFY(vault.error().contains(QStringLiteral("wrong")));
        QVERIFY(!vault.read(QStringLiteral("k")));
    }

    void tamperedOrSwappedEntriesDoNotDecrypt()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vault.json"));
        {
            Vault vault(path);
            QVERIFY(vault.open("pw"));
            QVERIFY(vault.write(QStringLiteral("a"), "alpha"));
            QVERIFY(vault.write(QStringLiteral("b"), "bravo"));
        }
        QJsonObject doc = readJson(path);
        QJsonObject entries = doc.value(QStringLiteral("entries")).toObject();
        // Move b's sealed box under a's name: the key name inside the plaintext must catch it.
        entries.insert(QStringLiteral("a"), entries.value(QStringLiteral("b")));
        // Flip one ciphertext bit in b: GCM's tag must catch it.
        QJsonObject b = entries.value(QStringLiteral("b")).toObject();
        QByteArray data = QByteArray::fromBase64(b.value(QStringLiteral("data")).toString().toLatin1());
        data[0] = char(data[0] ^ 1);
        b.insert(QStringLiteral("data"), QString::fromLatin1(data.toBase64()));
        entries.insert(QStringLiteral("b"), b);
        doc.insert(QStringLiteral("entries"), entries);
        writeJson(path, doc);

        Vault vault(path);
        QVERIFY(vault.open("pw"));
        QVERIFY(!vault.read(QStringLiteral("a")));
        QVERIFY(!vault.read(QStringLiteral("b")));
    }

    void weakenedIterationCountIsRejected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("vault.json"));
        {
            Vault vault(path);
            QVERIFY(vault.open("pw"));
        }
        QJsonObject doc = readJson(path);
        doc.insert(QStringLiteral("iterations"), 1000);
        writeJson(path, doc);
        Vault vault(path);
        QVERIFY(!vault.open("pw"));
    }

    void secretStoreFallsBackToTheVaultWithoutAKeyring()
    {
        qputenv("TERN_SECRETS", "vault");
        QTemporaryDir dir;
        {
            SecretStore noPassword(dir.path());
            QVERIFY(!noPassword.store(QStringLiteral("Work/incoming"), "x"));
            QVERIFY(noPassword.error().contains(QStringLiteral("TERN_PRIMARY_PASSWORD")));
        }
        SecretStore store(dir.path(), "primary");
        QVERIFY2(store.store(QStringLiteral("Work/incoming"), "hunter2"), qPrintable(store.error()));
        QCOMPARE(store.backend(), SecretStore::Backend::Vault);
        SecretStore again(dir.path(), "primary");
        QCOMPARE(again.load(QStringLiteral("Work/incoming")), QByteArray("hunter2"));
        QVERIFY(again.remove(QStringLiteral("Work/incoming")));
        QVERIFY(!again.load(QStringLiteral("Work/incoming")));
    }
};

QTEST_GUILESS_MAIN(TestVault)
#include "tst_vault.moc"
