// SPDX-License-Identifier: GPL-3.0-or-later
#include "profile.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using tern::core::Profile;

class TestProfile : public QObject
{
    Q_OBJECT

private slots:
    void createsAnOwnerOnlyDirectory()
    {
        QTemporaryDir tmp;
        const Profile profile(tmp.filePath(QStringLiteral("a/b/profile")));
        QString error;
        QVERIFY2(profile.ensureExists(&error), qPrintable(error));
        const QFileInfo info(profile.directory());
        QVERIFY(info.isDir());
        // Mail is private: nobody but the owner may list the profile.
        QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::ExeOther), QFile::Permissions());
    }

    void pathsAreAbsoluteAndClean()
    {
        const Profile profile(QStringLiteral("relative/../dir"));
        QVERIFY(QFileInfo(profile.directory()).isAbsolute());
        QVERIFY(!profile.directory().contains(QStringLiteral("..")));
        QCOMPARE(profile.filePath(QStringLiteral("store.sqlite")), profile.directory() + QStringLiteral("/store.sqlite"));
    }

    void defaultIsInTheUsersDataDirectory()
    {
        QVERIFY(Profile::defaultDirectory().endsWith(QStringLiteral("/tern")));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
