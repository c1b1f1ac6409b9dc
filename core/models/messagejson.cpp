// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/messagejson.h"

#include "mime/address.h"
#include "mime/bodymodel.h"
#include "mime/message.h"
#include "mime/received.h"

#include <QJsonArray>
#include <QTimeZone>

namespace tern::models {

namespace {

QString addressList(const mime::Message &m, QByteArrayView name)
{
    QStringList shown;
    for (const QByteArray &value : m.headers(0, name)) {
        for (const mime::Mailbox &mailbox : mime::parseAddressList(value))
            shown << mailbox.displayString();
    }
    return shown.join(QStringLiteral(", "));
}

QJsonObject headersJson(const mime::Message &m)
{
    QJsonObject headers;
    const mime::Part &root = m.root();
    for (int i = root.firstField; i < root.firstField + root.fieldCount; ++i) {
        const mime::HeaderField &field = m.fields()[size_t(i)];
        const QString name = QString::fromLatin1(m.fieldName(field));
        const QString value = m.headerText(0, m.fieldName(field));
        if (!headers.contains(name)) {
            // Repeated fields (Received, ...) become arrays of all their values, in order.
            const auto all = m.headers(0, m.fieldName(field));
            if (all.size() <= 1) {
                headers.insert(name, value);
            } else {
                QJsonArray values;
                for (const QByteArray &v : all)
                    values.append(QString::fromUtf8(v));
                headers.insert(name, values);
            }
        }
    }
    return headers;
}

QJsonObject structureJson(const mime::Message &m, int index)
{
    const mime::Part &part = m.part(index);
    const QByteArray mimeType = part.contentType.type + '/' + part.contentType.subtype;
    QJsonObject node{{QStringLiteral("content_type"), QString::fromLatin1(mimeType)},
                     {QStringLiteral("encoding"), QString::fromLatin1(mime::transferEncodingName(part.encoding))},
                     {QStringLiteral("size"), qint64(part.body.size())}};
    const QString filename = part.contentType.param("name");
    if (!filename.isEmpty())
        node.insert(QStringLiteral("filename"), mime::safeFileName(filename, mimeType));
    if (part.opaque)
        node.insert(QStringLiteral("opaque"), true);
    if (!part.children.empty()) {
        QJsonArray children;
        for (int child : part.children)
            children.append(structureJson(m, child));
        node.insert(QStringLiteral("parts"), children);
    }
    return node;
}

} // namespace

QJsonObject messageJson(const mime::Message &message, bool withStructure)
{
    const mime::BodyModel body(message);
    const QDateTime date = mime::parseDateTime(message.header(0, "Date"));
    QJsonArray attachments;
    for (const mime::Attachment &a : body.attachments()) {
        const QByteArray content = body.content(a.part);
        attachments.append(QJsonObject{{QStringLiteral("filename"), a.fileName},
                                       {QStringLiteral("mime_type"), QString::fromLatin1(a.mimeType)},
                                       {QStringLiteral("size"), qint64(content.size())},
                                       {QStringLiteral("sha256"), QString::fromLatin1(mime::BodyModel::sha256(content).toHex())}});
    }
    QJsonObject json{{QStringLiteral("headers"), headersJson(message)},
                     {QStringLiteral("from"), addressList(message, "From")},
                     {QStringLiteral("to"), addressList(message, "To")},
                     {QStringLiteral("cc"), addressList(message, "Cc")},
                     {QStringLiteral("subject"), message.headerText(0, "Subject")},
                     {QStringLiteral("date"), date.isValid() ? date.toUTC().toString(Qt::ISODate) : QString()},
                     {QStringLiteral("text"), body.plainPart() >= 0 ? body.plainText() : QString()},
                     {QStringLiteral("html"), body.htmlPart() >= 0 ? QJsonValue(body.html()) : QJsonValue()},
                     {QStringLiteral("attachments"), attachments}};
    if (withStructure)
        json.insert(QStringLiteral("structure"), structureJson(message, 0));
    return json;
}

} // namespace tern::models
