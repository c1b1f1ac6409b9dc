// SPDX-License-Identifier: GPL-3.0-or-later
#include "bodymodel.h"

#include "encodedword.h"

#include <QCryptographicHash>

namespace tern::mime {

namespace {

QByteArray stripAngles(QByteArray id)
{
    id = id.trimmed();
    if (id.startsWith('<'))
        id.remove(0, 1);
    if (id.endsWith('>'))
        id.chop(1);
    return id.trimmed();
}

} // namespace

BodyModel::BodyModel(const Message &message)
    : m_message(message)
{
    visit(0);
}

QString BodyModel::plainText() const
{
    return m_plain >= 0 ? m_message.text(m_plain) : QString();
}

QString BodyModel::html() const
{
    return m_html >= 0 ? m_message.text(m_html) : QString();
}

QByteArray BodyModel::sha256(const QByteArray &content)
{
    return QCryptographicHash::hash(content, QCryptographicHash::Sha256);
}

bool BodyModel::isAttachmentDisposition(int index) const
{
    const QByteArray disposition = m_message.header(index, "content-disposition");
    if (disposition.isEmpty())
        return false;
    const ContentType d = parseDisposition(disposition);
    return d.type == "attachment" || !d.param("filename").isEmpty();
}

void BodyModel::visit(int index)
{
    const Part &p = m_message.part(index);
    const ContentType &ct = p.contentType;
    if (p.opaque) {
        addAttachment(index, false);
        return;
    }
    if (ct.type == "multipart") {
        if (ct.subtype == "alternative") {
            visitAlternative(index);
        } else if (ct.subtype == "related") {
            visitRelated(index);
        } else if (ct.subtype == "signed" && p.children.size() >= 1) {
            visit(p.children[0]); // the signature part is not content (RFC 1847)
        } else {
            for (int child : p.children)
                visit(child);
        }
        return;
    }
    const bool isText = ct.type == "text" && (ct.subtype == "plain" || ct.subtype == "html");
    // The first body text is the body; later texts in a mixed part are offered as (inline) attachments.
    if (isText && m_plain < 0 && m_html < 0 && !isAttachmentDisposition(index)) {
        (ct.subtype == "html" ? m_html : m_plain) = index;
        return;
    }
    addAttachment(index, false);
}

void BodyModel::visitAlternative(int index)
{
    // RFC 2046 5.1.4: alternatives in increasing order of preference; take the last plain and the last html.
    int plain = -1, html = -1;
    for (int child : m_message.part(index).children) {
        const Part &c = m_message.part(child);
        if (c.contentType.is("text", "plain"))
            plain = child;
        else if (c.contentType.is("text", "html"))
            html = child;
        else if (c.contentType.is("multipart", "related")) {
            const int savedPlain = m_plain, savedHtml = m_html;
            m_plain = m_html = -1;
            visitRelated(child);
            if (m_html >= 0)
                html = m_html;
            if (m_plain >= 0)
                plain = m_plain;
            m_plain = savedPlain;
            m_html = savedHtml;
        } else if (c.contentType.type == "multipart") {
            visit(child);
        }
    }
    if (m_plain < 0)
        m_plain = plain;
    if (m_html < 0)
        m_html = html;
}

void BodyModel::visitRelated(int index)
{
    // RFC 2387: the root is the part named by "start", else the first; the rest are resources for it.
    const Part &p = m_message.part(index);
    if (p.children.empty())
        return;
    int root = p.children.front();
    const QByteArray start = stripAngles(p.contentType.rawParam("start"));
    for (int child : p.children) {
        if (!start.isEmpty() && stripAngles(m_message.header(child, "content-id")) == start)
            root = child;
    }
    visit(root);
    for (int child : p.children) {
        if (child != root)
            addAttachment(child, true);
    }
}

void BodyModel::addAttachment(int index, bool isInline)
{
    const Part &p = m_message.part(index);
    Attachment a;
    a.part = index;
    a.mimeType = p.contentType.type + '/' + p.contentType.subtype;
    a.contentId = stripAngles(m_message.header(index, "content-id"));
    a.isOpaque = p.opaque;
    const QByteArray dispositionValue = m_message.header(index, "content-disposition");
    const ContentType disposition = parseDisposition(dispositionValue);
    a.isInline = isInline || disposition.type == "inline";
    QString name = disposition.param("filename");
    if (name.isEmpty())
        name = p.contentType.param("name");
    if (name.isEmpty() && p.contentType.type == "message" && !p.children.empty()) {
        name = m_message.headerText(p.children.front(), "subject") + QLatin1StringView(".eml");
    } else if (name.isEmpty() && p.contentType.is("message", "rfc822") && !p.opaque) {
        // Encoded (base64/QP) messages are not parsed in place; read just their Subject for the name.
        const Limits headerOnly{0, 1, {}};
        name = Message(m_message.decodedBody(index), headerOnly).headerText(0, "subject") + QLatin1StringView(".eml");
    }
    a.declaredName = withoutInvisible(name);
    a.fileName = safeFileName(name, a.mimeType);
    a.encodedSize = p.body.size();
    // Base64 in 76-character lines (RFC 2045 section 6.8): 78 bytes with CRLF carry 57, so one byte in 39 is a
    // line break and the rest decode 4 to 3: size * 3/4 - size/52.
    a.approximateSize = p.encoding == TransferEncoding::Base64 ? a.encodedSize * 3 / 4 - a.encodedSize / 52
                                                              : a.encodedSize;
    m_attachments.push_back(std::move(a));
}

int BodyModel::partForContentId(QStringView cid) const
{
    if (cid.startsWith(QLatin1StringView("cid:"), Qt::CaseInsensitive))
        cid = cid.mid(4);
    // RFC 2392: the URL form is %-encoded.
    const QByteArray wanted = stripAngles(QByteArray::fromPercentEncoding(cid.toUtf8()));
    for (const Attachment &a : m_attachments) {
        if (!a.contentId.isEmpty() && a.contentId == wanted)
            return a.part;
    }
    return -1;
}

} // namespace tern::mime
