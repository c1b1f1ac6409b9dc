// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTemporaryDir>
#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QPushButton;
class QFrame;

namespace tern::ui {

class RemoteContentPolicy;
class SafeBrowser;

// One message: the header block (From with the real address always visible, To/Cc, Date, Subject), a framed
// note for encrypted or signed parts, the remote-content bar, the body (HTML in SafeBrowser, or plain text)
// and the attachments with Open/Save under safe names. Everything outside the body is client chrome: nothing
// the message contains can draw it (SECURITY.md C5).
class MessageView : public QWidget
{
    Q_OBJECT

public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    // Where "Always for <sender>" is remembered; without one the choice lasts for the session.
    void setRemoteContentPolicy(RemoteContentPolicy *policy) { m_policy = policy; }

    // Parses and shows raw RFC 5322 bytes; an empty array clears the view.
    void showMessage(const QByteArray &raw);
    // A notice instead of a message ("not downloaded yet").
    void setNotice(const QString &text);
    QByteArray raw() const;
    QString senderAddress() const { return m_sender; }

    // What the view shows, as text: headers, then the body.
    QString toPlainText() const;

    SafeBrowser *browser() const { return m_body; }
    QLabel *headerLabel() const { return m_headers; }
    QFrame *remoteBar() const { return m_remoteBar; }
    QPushButton *loadRemoteButton() const { return m_loadOnce; }
    QPushButton *alwaysRemoteButton() const { return m_loadAlways; }
    QLabel *securityNote() const { return m_security; }
    QListWidget *attachmentList() const { return m_attachments; }
    int blockedRemoteRequests() const;

    // Saves attachment `row` into directory under its safe name; returns the path written, empty on failure.
    QString saveAttachment(int row, const QString &directory);

Q_SIGNALS:
    void linkHovered(const QString &target);
    void mailtoActivated(const QUrl &url);

private:
    struct Shown;
    void renderHeaders();
    void renderBody();
    void renderSecurityNote();
    void renderAttachments();
    void loadRemoteOnce();
    void loadRemoteAlways();
    void openLink(const QUrl &url);
    void openAttachment();
    void saveSelectedAttachment();

    RemoteContentPolicy *m_policy = nullptr;
    std::unique_ptr<Shown> m_shown;
    QString m_sender;
    QLabel *m_headers = nullptr;
    QLabel *m_security = nullptr;
    QFrame *m_remoteBar = nullptr;
    QLabel *m_remoteText = nullptr;
    QPushButton *m_loadOnce = nullptr;
    QPushButton *m_loadAlways = nullptr;
    SafeBrowser *m_body = nullptr;
    QFrame *m_attachmentPane = nullptr;
    QListWidget *m_attachments = nullptr;
    std::unique_ptr<QTemporaryDir> m_openDir; // attachments opened with another program, removed on exit
};

} // namespace tern::ui
