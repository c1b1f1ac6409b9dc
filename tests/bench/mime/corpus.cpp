// SPDX-License-Identifier: GPL-3.0-or-later
#include "corpus.h"

#include "mime/encodedword.h"
#include "mime/transfer.h"

#include <QList>
#include <QStringEncoder>

namespace {

class Rng
{
public:
    explicit Rng(quint32 seed) : m_state(seed * 2654435761u + 1) {}
    quint32 next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return m_state;
    }
    int below(int n) { return int(next() % quint32(n)); }

private:
    quint32 m_state;
};

struct Language
{
    const char *charset;
    const char16_t *words[8];
};

// Words per language; the text is encoded into the language's charset.
const Language kLanguages[] = {
    {"utf-8", {u"meeting", u"agenda", u"report", u"tomorrow", u"please", u"review", u"the", u"draft"}},
    {"iso-8859-1", {u"réunion", u"demain", u"été", u"garçon", u"très", u"bientôt", u"façade", u"noël"}},
    {"iso-8859-2", {u"spotkanie", u"jutro", u"łódź", u"żółw", u"proszę", u"dziękuję", u"ściana", u"ćma"}},
    {"koi8-r", {u"привет", u"встреча", u"завтра", u"отчёт", u"пожалуйста", u"спасибо", u"проект", u"письмо"}},
    {"windows-1251", {u"документ", u"работа", u"неделя", u"город", u"время", u"вопрос", u"ответ", u"день"}},
    {"shift_jis", {u"会議", u"明日", u"報告", u"お願い", u"確認", u"資料", u"予定", u"東京"}},
    {"iso-2022-jp", {u"こんにちは", u"ありがとう", u"会社", u"今日", u"電話", u"連絡", u"時間", u"場所"}},
    {"gb2312", {u"会议", u"明天", u"报告", u"请", u"检查", u"文件", u"北京", u"谢谢"}},
    {"utf-8", {u"Grüße", u"naïve", u"café", u"😀", u"ok", u"thanks", u"see", u"you"}},
};

QString sentence(Rng &rng, const Language &lang, int words)
{
    QString s;
    for (int i = 0; i < words; ++i) {
        if (i)
            s += QLatin1Char(' ');
        s += QString::fromUtf16(lang.words[rng.below(8)]);
    }
    return s;
}

QString paragraphText(Rng &rng, const Language &lang, int bytes)
{
    QString text;
    while (text.size() < bytes) {
        text += sentence(rng, lang, 6 + rng.below(10));
        text += rng.below(4) == 0 ? QLatin1StringView(".\n\n") : QLatin1StringView(". ");
    }
    return text;
}

// Hard-wrapped at ~72 columns, CRLF.
QString wrap(const QString &text)
{
    QString out;
    int col = 0;
    const auto words = QStringView(text).split(QLatin1Char(' '));
    for (QStringView w : words) {
        if (col + w.size() > 72 && col > 0) {
            out += QLatin1StringView("\r\n");
            col = 0;
        } else if (col > 0) {
            out += QLatin1Char(' ');
            ++col;
        }
        out += w;
        col += int(w.size());
    }
    out.replace(QLatin1StringView("\n\n"), QLatin1StringView("\r\n\r\n"));
    return out;
}

QByteArray encodeIn(const QString &text, const char *charset)
{
    QStringEncoder enc(charset);
    return enc.isValid() ? QByteArray(enc.encode(text)) : text.toUtf8();
}

QByteArray textPart(Rng &rng, const char *subtype, int size)
{
    const Language &lang = kLanguages[rng.below(int(std::size(kLanguages)))];
    QString text = wrap(paragraphText(rng, lang, size));
    if (QByteArrayView(subtype) == "html")
        text = QLatin1StringView("<html><body><p>") + text + QLatin1StringView("</p></body></html>");
    const QByteArray bytes = encodeIn(text, lang.charset);
    QByteArray part = "Content-Type: text/" + QByteArray(subtype) + "; charset=\"" + lang.charset + "\"";
    const bool sevenBit = QByteArrayView(lang.charset) == "iso-2022-jp";
    switch (sevenBit ? 0 : rng.below(3)) {
    case 0: return part + (sevenBit ? "\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" : "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n") + bytes;
    case 1: return part + "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + tern::mime::encodeQuotedPrintable(bytes);
    default: return part + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + tern::mime::encodeBase64Lines(bytes);
    }
}

QByteArray binaryPart(Rng &rng, int size)
{
    static const char *types[] = {"application/pdf", "image/jpeg", "image/png", "application/zip"};
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; i += 4) {
        const quint32 v = rng.next();
        for (int k = 0; k < 4 && i + k < size; ++k)
            data[i + k] = char(v >> (8 * k));
    }
    const char *type = types[rng.below(4)];
    const QString name = QStringLiteral("file-%1 résumé.%2").arg(rng.below(1000)).arg(QString::fromLatin1(type).section(QLatin1Char('/'), 1));
    return "Content-Type: " + QByteArray(type) + "; name=\"" + tern::mime::encodeHeaderText(name) + "\"\r\n"
        + "Content-Disposition: attachment; filename*=utf-8''" + name.toUtf8().toPercentEncoding() + "\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n" + tern::mime::encodeBase64Lines(data);
}

QByteArray multipart(Rng &rng, const char *subtype, const std::vector<QByteArray> &parts)
{
    const QByteArray boundary = "=_b" + QByteArray::number(rng.next(), 16) + "_" + QByteArray::number(rng.next(), 16);
    QByteArray out = "Content-Type: multipart/" + QByteArray(subtype) + ";\r\n\tboundary=\"" + boundary + "\"\r\n\r\n"
        + "This is a multi-part message in MIME format.\r\n";
    for (const QByteArray &p : parts)
        out += "\r\n--" + boundary + "\r\n" + p;
    out += "\r\n--" + boundary + "--\r\n";
    return out;
}

QByteArray headers(Rng &rng, int n)
{
    const Language &lang = kLanguages[rng.below(int(std::size(kLanguages)))];
    QByteArray h;
    for (int hop = 0; hop < 2 + rng.below(4); ++hop)
        h += "Received: from mx" + QByteArray::number(hop) + ".example.org (mx" + QByteArray::number(hop)
            + ".example.org [192.0.2." + QByteArray::number(hop + 1) + "])\r\n\tby mail.example.net (Postfix) with ESMTPS id "
            + QByteArray::number(rng.next(), 16).toUpper() + "\r\n\tfor <user@example.net>; Mon, 4 Mar 2024 10:"
            + QByteArray::number(10 + hop) + ":00 +0100\r\n";
    h += "Authentication-Results: mail.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org;\r\n\tdmarc=pass header.from=example.org\r\n";
    h += "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\r\n\tbh=" + QByteArray(44, 'x') + ";\r\n\tb=" + QByteArray(172, 'y') + "\r\n";
    h += "From: " + tern::mime::encodeHeaderText(sentence(rng, lang, 2), true) + " <sender" + QByteArray::number(n) + "@example.org>\r\n";
    h += "To: Team <team@example.net>, \"Doe, Jane\" <jane@example.net>\r\n";
    h += "Subject: " + tern::mime::encodeHeaderText(sentence(rng, lang, 3 + rng.below(8))) + "\r\n";
    h += "Date: Mon, 4 Mar 2024 10:15:00 +0100\r\nMessage-ID: <" + QByteArray::number(rng.next(), 16) + "." + QByteArray::number(n) + "@example.org>\r\n";
    h += "MIME-Version: 1.0\r\nX-Mailer: Generator 1.0\r\n";
    return h;
}

QByteArray body(Rng &rng, int depth)
{
    const int kind = rng.below(100);
    if (kind < 50 || depth > 2)
        return textPart(rng, "plain", 500 + rng.below(8000));
    if (kind < 80) {
        QByteArray alt = multipart(rng, "alternative", {textPart(rng, "plain", 1000 + rng.below(6000)), textPart(rng, "html", 1000 + rng.below(8000))});
        if (rng.below(3) == 0)
            return multipart(rng, "related", {alt, binaryPart(rng, 2000 + rng.below(20000)).replace("attachment;", "inline;")});
        return alt;
    }
    std::vector<QByteArray> parts{body(rng, depth + 1)};
    for (int i = rng.below(3); i >= 0; --i)
        parts.push_back(binaryPart(rng, 2000 + (rng.below(25) == 0 ? rng.below(1500000) : rng.below(60000))));
    if (rng.below(5) == 0)
        parts.push_back("Content-Type: message/rfc822\r\n\r\n" + headers(rng, -1) + body(rng, depth + 1));
    return multipart(rng, "mixed", parts);
}

} // namespace

QByteArray generateMbox(qsizetype minBytes, quint32 seed)
{
    Rng rng(seed);
    QByteArray mbox;
    mbox.reserve(minBytes + 4 * 1024 * 1024);
    for (int n = 0; mbox.size() < minBytes; ++n) {
        mbox += "From sender" + QByteArray::number(n) + "@example.org Mon Mar  4 10:15:00 2024\r\n";
        mbox += headers(rng, n);
        mbox += body(rng, 0);
        mbox += "\r\n";
    }
    return mbox;
}
