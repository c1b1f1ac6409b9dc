// SPDX-License-Identifier: GPL-3.0-or-later
// The message view on its own: remote content blocked until the user asks (and then loaded), cid: images from
// the message itself, the real link target on hover, the real sender, attachments under safe names, the
// note for encrypted parts, and "Always for <sender>" remembered in the profile.
#include "message/remotecontentpolicy.h"
#include "message/safebrowser.h"
#include "messageview.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>

#include <algorithm>
#include <memory>

using tern::ui::MessageView;
using tern::ui::RemoteContentPolicy;

namespace {

QByteArray crlf(QByteArray b)
{
    return b.replace("\r\n", "\n").replace("\n", "\r\n");
}

QByteArray png(const QColor &color, int size)
{
    QImage image(size, size, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray htmlMessage(const QString &html, const QByteArray &from = "Newsletter <news@shop.example>")
{
    return crlf("From: " + from + "\nTo: me@lab.test\nSubject: Offers\nDate: Mon, 04 Mar 2024 10:15:00 +0000\n"
                "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + html.toUtf8() + "\n");
}

// Counts how many pixels of the widget's rendering are (nearly) this colour.
int pixelsOf(QWidget *widget, const QColor &color)
{
    const QImage image = widget->grab().toImage();
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - color.red()) < 8 && qAbs(c.green() - color.green()) < 8 && qAbs(c.blue() - color.blue()) < 8)
                ++n;
        }
    }
    return n;
}

} // namespace

class TestMessageView : public QObject
{
    Q_OBJECT

private slots:
    void remoteContentWaitsForTheUser()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int connections = 0;
        QList<QByteArray> requests; // each request's header block
        const QByteArray image = png(QColor(0, 200, 0), 24);
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                ++connections;
                auto buffer = std::make_shared<QByteArray>();
                connect(s, &QTcpSocket::readyRead, s, [s, buffer, &requests, image] {
                    *buffer += s->readAll();
                    if (!buffer->contains("\r\n\r\n"))
                        return;
                    requests.append(*buffer);
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + QByteArray::number(image.size())
                             + "\r\nConnection: close\r\n\r\n" + image);
                    s->disconnectFromHost();
                });
            }
        });
        const QString url = QStringLiteral("http://127.0.0.1:%1/pixel.png").arg(server.serverPort());
        MessageView view;
        view.resize(700, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showMessage(htmlMessage(QStringLiteral("<p>Our offers</p><img src='%1' width='24' height='24'>"
                                                    "<div style='background-image: url(%1)'>x</div>"
                                                    "<link rel='stylesheet' href='%1.css'>").arg(url)));
        QTRY_VERIFY(view.blockedRemoteRequests() >= 1);
        QTRY_VERIFY(view.remoteBar()->isVisible());
        QCoreApplication::processEvents();
        QCOMPARE(connections, 0); // the local server saw nothing (SECURITY.md H1)
        QCOMPARE(pixelsOf(view.browser()->viewport(), QColor(0, 200, 0)), 0);

        QTest::mouseClick(view.loadRemoteButton(), Qt::LeftButton);
        QVERIFY(!view.remoteBar()->isVisible());
        QTRY_VERIFY(std::any_of(requests.cbegin(), requests.cend(),
                                [](const QByteArray &r) { return r.startsWith("GET /pixel.png HTTP/1.1"); }));
        for (const QByteArray &r : std::as_const(requests))
            QVERIFY(!r.toLower().contains("cookie:"));
        // The image arrives and is drawn in place.
        QTRY_VERIFY(pixelsOf(view.browser()->viewport(), QColor(0, 200, 0)) >= 24 * 24 / 2);

        // Another message from the same sender is blocked again: "for this message" meant this one.
        const int before = connections;
        view.showMessage(htmlMessage(QStringLiteral("<img src='%1?2'>").arg(url)));
        QTRY_VERIFY(view.remoteBar()->isVisible());
        QCoreApplication::processEvents();
        QCOMPARE(connections, before);
    }

    void alwaysForSenderIsRemembered()
    {
        QTemporaryDir profile;
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const QString url = QStringLiteral("http://127.0.0.1:%1/t.png").arg(server.serverPort());
        {
            RemoteContentPolicy policy(profile.path());
            MessageView view;
            view.setRemoteContentPolicy(&policy);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            view.showMessage(htmlMessage(QStringLiteral("<img src='%1'>").arg(url)));
            QTRY_VERIFY(view.remoteBar()->isVisible());
            QVERIFY(view.alwaysRemoteButton()->text().contains(QStringLiteral("news@shop.example")));
            QTest::mouseClick(view.alwaysRemoteButton(), Qt::LeftButton);
            QTRY_VERIFY(server.hasPendingConnections());
        }
        const RemoteContentPolicy reread(profile.path());
        QVERIFY(reread.isAllowed(QStringLiteral("NEWS@shop.example")));
        QVERIFY(!reread.isAllowed(QStringLiteral("other@shop.example")));
    }

    void cidImagesComeFromTheMessage()
    {
        const QByteArray red = png(QColor(220, 0, 0), 32);
        const QByteArray raw = crlf(
            "From: a@b.example\nTo: me@lab.test\nSubject: Logo\nMIME-Version: 1.0\n"
            "Content-Type: multipart/related; boundary=\"rel\"\n\n"
            "--rel\nContent-Type: text/html; charset=utf-8\n\n"
            "<p>Logo:</p><img src=\"cid:logo@b.example\" width=\"32\" height=\"32\">\n"
            "--rel\nContent-Type: image/png\nContent-ID: <logo@b.example>\nContent-Transfer-Encoding: base64\n\n"
            + red.toBase64() + "\n--rel--\n");
        MessageView view;
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showMessage(raw);
        QTRY_VERIFY(pixelsOf(view.browser()->viewport(), QColor(220, 0, 0)) >= 32 * 32 / 2);
        QCOMPARE(view.blockedRemoteRequests(), 0);
        QVERIFY(!view.remoteBar()->isVisible());
        QCOMPARE(view.attachmentList()->count(), 0); // the image is shown in place, not listed
    }

    void linkHoverShowsTheRealTarget()
    {
        MessageView view;
        view.resize(600, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy hovered(&view, &MessageView::linkHovered);
        view.showMessage(htmlMessage(QStringLiteral("<p>Log in at <a href='https://evil.example/login?x=1'>"
                                                    "https://bank.example</a> today</p>")));
        QTextCursor link = view.browser()->document()->find(QStringLiteral("bank.example"));
        QVERIFY(!link.isNull());
        link.setPosition(link.selectionStart() + 3); // inside the anchor, not just after it
        const QPoint at = view.browser()->cursorRect(link).center();
        QMouseEvent move(QEvent::MouseMove, at, view.browser()->viewport()->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view.browser()->viewport(), &move);
        QTRY_VERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.last().first().toString(), QStringLiteral("https://evil.example/login?x=1"));
        QCOMPARE(view.browser()->hoveredLink(), QStringLiteral("https://evil.example/login?x=1"));
        QCOMPARE(view.browser()->toolTip(), QStringLiteral("https://evil.example/login?x=1"));
    }

    void scriptsFormsAndLocalFilesDoNothing()
    {
        QTemporaryDir dir;
        QFile secret(dir.filePath(QStringLiteral("secret.png")));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(png(QColor(0, 0, 230), 16));
        secret.close();
        MessageView view;
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showMessage(htmlMessage(QStringLiteral("<script>document.write('pwned')</script><p>text</p>"
                                                    "<form action='http://127.0.0.1:1/'><input name=q value=pwned2></form>"
                                                    "<img src='%1' width=16 height=16><img src='secret.png'>")
                                         .arg(QUrl::fromLocalFile(secret.fileName()).toString())));
        QVERIFY(!view.browser()->toPlainText().contains(QStringLiteral("pwned")));
        QCOMPARE(pixelsOf(view.browser()->viewport(), QColor(0, 0, 230)), 0);
    }

    void headersShowTheRealSender()
    {
        MessageView view;
        view.showMessage(crlf("From: \"security@bank.example\" <phish@evil.example>\nTo: me@lab.test\n"
                              "Cc: Carol <carol@lab.test>\nSubject: Verify\nDate: Mon, 04 Mar 2024 10:15:00 +0000\n\n"
                              "Plain body line.\n"));
        const QString text = view.toPlainText();
        QVERIFY2(text.contains(QStringLiteral("phish@evil.example")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("carol@lab.test")));
        QVERIFY(text.contains(QStringLiteral("Verify")));
        QVERIFY(text.contains(QStringLiteral("Plain body line.")));
        QCOMPARE(view.senderAddress(), QStringLiteral("phish@evil.example"));
        QVERIFY(!view.securityNote()->isVisible());
    }

    void attachmentsSaveUnderSafeNames()
    {
        QTemporaryDir dir;
        const QByteArray raw = crlf("From: a@b.example\nTo: me@lab.test\nSubject: Files\nMIME-Version: 1.0\n"
                                    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
                                    "--m\nContent-Type: text/plain\n\nSee attached.\n"
                                    "--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../.bashrc\"\n\n"
                                    "rm -rf ~\n--m--\n");
        MessageView view;
        view.show();
        view.showMessage(raw);
        QCOMPARE(view.attachmentList()->count(), 1);
        const QString path = view.saveAttachment(0, dir.path());
        QVERIFY(!path.isEmpty());
        const QFileInfo saved(path);
        QCOMPARE(saved.absolutePath(), QDir(dir.path()).absolutePath());
        QVERIFY2(!saved.fileName().startsWith(QLatin1Char('.')), qPrintable(saved.fileName()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("rm -rf ~"));
        // Saving again never overwrites.
        const QString second = view.saveAttachment(0, dir.path());
        QVERIFY(!second.isEmpty() && second != path);
    }

    void encryptedPartsAreDelimited()
    {
        MessageView view;
        view.show();
        view.showMessage(crlf("From: a@b.example\nTo: me@lab.test\nSubject: Secret\nMIME-Version: 1.0\n"
                              "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"\n\n"
                              "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
                              "--e\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nhQEMA\n"
                              "-----END PGP MESSAGE-----\n--e--\n"));
        QVERIFY(view.securityNote()->isVisible());
        QVERIFY(view.securityNote()->text().contains(QStringLiteral("encrypted")));
    }
};

QTEST_MAIN(TestMessageView)
#include "tst_messageview.moc"
