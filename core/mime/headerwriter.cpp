// SPDX-License-Identifier: GPL-3.0-or-later
// Writing header fields: mailboxes, dates, folding (RFC 5322 2.2.3, 3.3, 3.4) and RFC 2231 parameters.
#include "composer.h"

#include "encodedword.h"

#include <QRandomGenerator>
#include <QTimeZone>
#include <QUrl>

namespace tern::mime {

namespace {

bool isAtext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

} // namespace

QByteArray formatMailbox(const Mailbox &m)
{
    const QByteArray address = m.aceAddress().toUtf8();
    if (m.name.isEmpty())
        return address;
    QByteArray name;
    bool ascii = true, atoms = true;
    for (QChar c : m.name) {
        ascii = ascii && c.unicode() >= 0x20 && c.unicode() < 0x7f;
        atoms = atoms && (c == QLatin1Char(' ') || (c.unicode() < 0x80 && isAtext(char(c.unicode()))));
    }
    if (!ascii || m.name.contains(QLatin1StringView("=?")) || m.name != m.name.simplified()) {
        name = encodeHeaderText(m.name, true);
    } else if (atoms) {
        name = m.name.toLatin1();
    } else {
        name = "\"";
        for (QChar c : m.name) {
            if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
                name += '\\';
            name += char(c.unicode());
        }
        name += '"';
    }
    return name + " <" + address + '>';
}

QByteArray foldHeader(QByteArrayView name, QByteArrayView value)
{
    // Break before a space so that lines stay within 78 characters where the value allows (RFC 5322 2.1.1);
    // unfolding removes only the CRLF, so the value reads back exactly.
    QByteArray out = name.toByteArray() + ": ";
    qsizetype lineStart = 0;
    qsizetype i = 0;
    while (i < value.size()) {
        const qsizetype nl = value.indexOf("\r\n", i);
        const qsizetype end = nl < 0 ? value.size() : nl;
        // Already folded by the caller (encoded words): copy those breaks as they are.
        QByteArrayView piece = value.mid(i, end - i);
        while (out.size() - lineStart + piece.size() > 78) {
            const qsizetype room = 78 - (out.size() - lineStart);
            qsizetype cut = room > 0 ? piece.first(std::min(room, piece.size())).lastIndexOf(' ') : -1;
            if (cut <= 0)
                cut = piece.indexOf(' ', 1);
            if (cut <= 0)
                break;
            out += piece.first(cut);
            out += "\r\n";
            lineStart = out.size();
            piece = piece.mid(cut);
        }
        out += piece;
        if (nl < 0)
            break;
        out += "\r\n";
        lineStart = out.size();
        i = nl + 2;
    }
    out += "\r\n";
    return out;
}

QByteArray formatDateTime(const QDateTime &dt)
{
    static const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int offset = dt.offsetFromUtc() / 60;
    const int abs = offset < 0 ? -offset : offset;
    const QDate d = dt.date();
    const QTime t = dt.time();
    return QByteArray(days[d.dayOfWeek() - 1]) + ", " + QByteArray::number(d.day()) + ' ' + months[d.month() - 1] + ' '
        + QByteArray::number(d.year()) + ' ' + QTime(t.hour(), t.minute(), t.second()).toString(u"HH:mm:ss").toLatin1()
        + ' ' + (offset < 0 ? '-' : '+') + QByteArray::number(abs / 60 * 100 + abs % 60).rightJustified(4, '0');
}

QByteArray generateMessageId(const QString &domain)
{
    QByteArray ace = QUrl::toAce(domain);
    if (ace.isEmpty())
        ace = QByteArrayLiteral("localhost");
    quint64 random[2];
    QRandomGenerator::system()->fillRange(random);
    const QByteArray left = QByteArray::number(random[0], 36) + QByteArray::number(random[1], 36) + '.'
        + QByteArray::number(QDateTime::currentMSecsSinceEpoch(), 36);
    return '<' + left + '@' + ace + '>';
}

// RFC 2231 for a file name: plain when it is short printable ASCII, else filename*=utf-8''... split into
// continuations so that no line grows past 78 characters.
QByteArray fileNameParameter(QByteArrayView param, const QString &fileName)
{
    bool plain = fileName.size() <= 60;
    for (QChar c : fileName)
        plain = plain && c.unicode() >= 0x20 && c.unicode() < 0x7f && c != QLatin1Char('"') && c != QLatin1Char('\\');
    if (plain)
        return ";\r\n " + param.toByteArray() + "=\"" + fileName.toLatin1() + '"';
    const QByteArray encoded = fileName.toUtf8().toPercentEncoding();
    QByteArray out;
    int section = 0;
    qsizetype i = 0;
    while (i < encoded.size()) {
        qsizetype n = std::min<qsizetype>(60, encoded.size() - i);
        while (n > 1 && (encoded[i + n - 1] == '%' || encoded[i + n - 2] == '%'))
            --n; // never split a %XX escape
        out += ";\r\n " + param.toByteArray() + '*' + QByteArray::number(section) + "*=" + (section == 0 ? "utf-8''" : "")
            + encoded.mid(i, n);
        i += n;
        ++section;
    }
    return out;
}

} // namespace tern::mime
