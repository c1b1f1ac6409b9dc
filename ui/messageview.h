// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextBrowser>

namespace tern::ui {

// Shows one message: a header block with the sender's real address always visible, then the text.
// Nothing remote is ever loaded here (SECURITY.md H1): loadResource() answers only for what the message
// itself carries, and links are never followed by the widget.
class MessageView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit MessageView(QWidget *parent = nullptr);

    // Parses and shows raw RFC 5322 bytes; an empty array clears the view.
    void showMessage(const QByteArray &raw);

    QVariant loadResource(int type, const QUrl &name) override;

    int blockedRemoteRequests() const { return m_blocked; }

private:
    int m_blocked = 0;
};

} // namespace tern::ui
