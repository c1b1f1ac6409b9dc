// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QSet>
#include <QTextBrowser>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;

namespace tern::ui {

// The body of one message, rendered by QTextDocument: no scripts, no forms, no plug-ins, no frames
// (SECURITY.md H2). Every resource the document asks for passes loadResource():
// - cid: (RFC 2392) comes from the message's own parts, data: from the URL itself;
// - http/https is blocked and counted until setRemoteAllowed(true), then fetched without cookies, bounded in
//   size and number (H1);
// - file:, ftp:, relative paths and anything else are never loaded.
// Links are never followed by the widget: hovering shows the real target (D4), a click is reported.
class SafeBrowser : public QTextBrowser
{
    Q_OBJECT

public:
    explicit SafeBrowser(QWidget *parent = nullptr);
    ~SafeBrowser() override;

    using CidResolver = std::function<QByteArray(const QString &contentId)>;
    void setCidResolver(CidResolver resolver) { m_cid = std::move(resolver); }

    // Replaces the document; remote content stays blocked unless the user allowed it for this sender.
    void showHtml(const QString &html, bool remoteAllowed = false);
    void setRemoteAllowed(bool allowed);
    bool isRemoteAllowed() const { return m_remoteAllowed; }

    int blockedRemoteRequests() const { return m_blocked; }
    int remoteFetches() const { return m_fetches; }
    QString hoveredLink() const { return m_hovered; }

    QVariant loadResource(int type, const QUrl &name) override;

    static constexpr qint64 kMaxRemoteBytes = 8 * 1024 * 1024;
    static constexpr int kMaxRemoteFetches = 100;

Q_SIGNALS:
    void remoteContentBlocked();
    void linkHovered(const QString &target); // empty when the pointer left the link
    void linkActivated(const QUrl &target);

private:
    void fetch(const QUrl &url);
    void rerender();
    void setDocumentHtml(const QString &html);

    CidResolver m_cid;
    QString m_html;
    bool m_remoteAllowed = false;
    int m_blocked = 0;
    int m_fetches = 0;
    QString m_hovered;
    QNetworkAccessManager *m_network = nullptr;
    QHash<QUrl, QByteArray> m_remote; // fetched for this message
    QSet<QUrl> m_pending;
    QTimer m_rerender;
    class SafeImageHandler *m_images = nullptr;
    quint64 m_generation = 0; // replies for an earlier message are dropped
};

} // namespace tern::ui
