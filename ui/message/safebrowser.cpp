// SPDX-License-Identifier: GPL-3.0-or-later
#include "message/safebrowser.h"

#include "message/safeimagehandler.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QCursor>
#include <QScrollBar>
#include <QTextDocument>
#include <QAbstractTextDocumentLayout>
#include <QToolTip>

namespace tern::ui {

namespace {

bool isRemote(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1StringView("http") || scheme == QLatin1StringView("https");
}

// "data:image/png;base64,AAAA" (RFC 2397): local content, decoded here rather than by anything that might
// reach further.
QByteArray dataUrl(const QUrl &url)
{
    const QString path = url.path(QUrl::FullyEncoded);
    const qsizetype comma = path.indexOf(QLatin1Char(','));
    if (comma < 0)
        return {};
    const QByteArray payload = QByteArray::fromPercentEncoding(path.mid(comma + 1).toLatin1());
    if (path.left(comma).endsWith(QLatin1StringView(";base64"), Qt::CaseInsensitive))
        return QByteArray::fromBase64(payload);
    return payload;
}

} // namespace

SafeBrowser::SafeBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("messageBody"));
    setAccessibleName(tr("Message text"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    m_images = new SafeImageHandler(this);
    m_rerender.setSingleShot(true);
    m_rerender.setInterval(50); // several images arriving together cost one relayout
    connect(&m_rerender, &QTimer::timeout, this, &SafeBrowser::rerender);
    connect(this, qOverload<const QUrl &>(&QTextBrowser::highlighted), this, [this](const QUrl &url) {
        // The real target, fully spelled out: the link text may claim another one (SECURITY.md D4).
        m_hovered = url.isEmpty() ? QString() : url.toString(QUrl::FullyEncoded);
        setToolTip(m_hovered);
        if (!m_hovered.isEmpty() && underMouse())
            QToolTip::showText(QCursor::pos(), m_hovered, this);
        Q_EMIT linkHovered(m_hovered);
    });
    connect(this, &QTextBrowser::anchorClicked, this, &SafeBrowser::linkActivated);
}

SafeBrowser::~SafeBrowser()
{
    // Pending replies finish while the manager is destroyed: they must find this object whole and ignore it.
    ++m_generation;
    delete m_network;
}

void SafeBrowser::showHtml(const QString &html, bool remoteAllowed)
{
    ++m_generation;
    m_html = html;
    m_remoteAllowed = remoteAllowed;
    m_fetches = 0;
    m_blocked = 0;
    m_remote.clear();
    m_pending.clear();
    m_hovered.clear();
    setToolTip(QString());
    setDocumentHtml(html);
}

void SafeBrowser::setDocumentHtml(const QString &html)
{
    // Registered on every document: ours replaces Qt's image handler, which reads local files (see
    // SafeImageHandler).
    document()->documentLayout()->registerHandler(QTextFormat::ImageObject, m_images);
    setHtml(html);
    document()->documentLayout()->registerHandler(QTextFormat::ImageObject, m_images);
}

void SafeBrowser::setRemoteAllowed(bool allowed)
{
    if (m_remoteAllowed == allowed)
        return;
    m_remoteAllowed = allowed;
    rerender();
}

void SafeBrowser::rerender()
{
    const int scroll = verticalScrollBar()->value();
    setDocumentHtml(m_html);
    verticalScrollBar()->setValue(scroll);
}

QVariant SafeBrowser::loadResource(int type, const QUrl &name)
{
    Q_UNUSED(type)
    const QString scheme = name.scheme().toLower();
    // Every answer is a QVariant holding bytes, even when empty: a null QVariant would let QTextDocument fall
    // back to reading the URL as a local file (relative to the working directory for a relative one).
    const QVariant nothing = QVariant(QByteArray());
    if (scheme == QLatin1StringView("cid"))
        return m_cid ? QVariant(m_cid(name.toString(QUrl::RemoveScheme))) : nothing;
    if (scheme == QLatin1StringView("data"))
        return QVariant(dataUrl(name));
    if (isRemote(name)) {
        if (!m_remoteAllowed) {
            // A remote image is a tracking pixel until the user says otherwise (SECURITY.md H1).
            // Queued: this runs inside the document's layout, and whoever shows a bar would resize this
            // widget and relayout the document re-entrantly.
            if (m_blocked++ == 0)
                QMetaObject::invokeMethod(this, &SafeBrowser::remoteContentBlocked, Qt::QueuedConnection);
            return nothing;
        }
        if (const auto it = m_remote.constFind(name); it != m_remote.constEnd())
            return it.value();
        fetch(name);
    }
    return nothing; // file:, ftp:, relative paths (they would resolve against a local file), anything else
}

void SafeBrowser::fetch(const QUrl &url)
{
    if (m_pending.contains(url) || m_fetches >= kMaxRemoteFetches)
        return;
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    ++m_fetches;
    m_pending.insert(url);
    QNetworkRequest request(url);
    // No cookies, no credentials, no redirect to a less safe scheme: the sender learns no more than that
    // the message was opened, which the user agreed to.
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setTransferTimeout(30000);
    QNetworkReply *reply = m_network->get(request);
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxRemoteBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, url, generation = m_generation] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        m_pending.remove(url);
        if (reply->error() != QNetworkReply::NoError || !m_remoteAllowed)
            return;
        m_remote.insert(url, reply->readAll());
        m_rerender.start();
    });
}

} // namespace tern::ui
