// SPDX-License-Identifier: GPL-3.0-or-later
#include "message.h"

#include "charset.h"
#include "encodedword.h"
#include "flowed.h"

namespace tern::mime {

namespace {

bool sameName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArray Message::header(int index, QByteArrayView name) const
{
    const Part &p = part(index);
    for (int i = p.firstField; i < p.firstField + p.fieldCount; ++i) {
        const HeaderField &f = m_fields[size_t(i)];
        if (sameName(view(f.name), name))
            return unfold(view(f.value));
    }
    return {};
}

std::vector<QByteArray> Message::headers(int index, QByteArrayView name) const
{
    std::vector<QByteArray> out;
    const Part &p = part(index);
    for (int i = p.firstField; i < p.firstField + p.fieldCount; ++i) {
        const HeaderField &f = m_fields[size_t(i)];
        if (sameName(view(f.name), name))
            out.push_back(unfold(view(f.value)));
    }
    return out;
}

QString Message::headerText(int index, QByteArrayView name) const
{
    return decodeHeaderText(header(index, name));
}

QByteArray Message::decodedBody(int index) const
{
    const Part &p = part(index);
    return decodeTransfer(view(p.body), p.encoding);
}

QString Message::text(int index) const
{
    const Part &p = part(index);
    const QByteArray bytes = decodedBody(index);
    QString text = decodeCharset(bytes, p.contentType.rawParam("charset"));
    if (p.contentType.is("text", "plain") && p.contentType.rawParam("format").compare("flowed", Qt::CaseInsensitive) == 0)
        text = decodeFlowed(text, p.contentType.rawParam("delsp").compare("yes", Qt::CaseInsensitive) == 0);
    return text;
}

int Message::encapsulated(int index) const
{
    const Part &p = part(index);
    if (p.contentType.type == "message" && p.children.size() == 1)
        return p.children.front();
    return -1;
}

} // namespace tern::mime
