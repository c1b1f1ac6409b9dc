// SPDX-License-Identifier: GPL-3.0-or-later
#include "message.h"

#include "charset.h"
#include "encodedword.h"
#include "flowed.h"

#include <cctype>

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

namespace {

// An HTML part without a charset parameter often names it in a <meta> tag (HTML 5 "prescan", simplified):
// the first "charset=" in the first 1024 bytes.
QByteArray sniffHtmlCharset(QByteArrayView html)
{
    const QByteArray head = html.first(std::min<qsizetype>(1024, html.size())).toByteArray().toLower();
    const qsizetype at = head.indexOf("charset=");
    if (at < 0 || !head.contains("<meta"))
        return {};
    qsizetype i = at + 8;
    while (i < head.size() && (head[i] == '"' || head[i] == '\'' || head[i] == ' '))
        ++i;
    const qsizetype start = i;
    while (i < head.size() && (std::isalnum(uchar(head[i])) || head[i] == '-' || head[i] == '_' || head[i] == ':'))
        ++i;
    return head.mid(start, i - start);
}

} // namespace

QString Message::text(int index) const
{
    const Part &p = part(index);
    const QByteArray bytes = decodedBody(index);
    QByteArray charset = p.contentType.rawParam("charset");
    if (charset.isEmpty() && p.contentType.is("text", "html"))
        charset = sniffHtmlCharset(bytes);
    QString text = decodeCharset(bytes, charset);
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
