// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 5322 3.3 date-time with the obsolete forms of 4.3.
#include "received.h"

#include <QTimeZone>
#include <QVarLengthArray>

namespace tern::mime {

namespace {

int monthNumber(QByteArrayView m)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (m.size() < 3)
        return 0;
    for (int i = 0; i < 12; ++i) {
        if (m.first(3).compare(QByteArrayView(names[i]), Qt::CaseInsensitive) == 0)
            return i + 1;
    }
    return 0;
}

// Minutes east of UTC; named zones of RFC 5322 4.3; military and unknown zones count as +0000.
int zoneMinutes(QByteArrayView z, bool *ok)
{
    *ok = true;
    if (z.size() == 5 && (z[0] == '+' || z[0] == '-')) {
        bool good = false;
        const int hhmm = z.mid(1).toInt(&good);
        if (good && hhmm % 100 < 60) {
            const int minutes = hhmm / 100 * 60 + hhmm % 100;
            return z[0] == '-' ? -minutes : minutes;
        }
    }
    struct Named { const char *name; int hours; };
    static const Named named[] = {{"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"Z", 0}, {"EST", -5}, {"EDT", -4},
                                  {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
    for (const Named &n : named) {
        if (z.compare(QByteArrayView(n.name), Qt::CaseInsensitive) == 0)
            return n.hours * 60;
    }
    return 0;
}

} // namespace

// Called once per message of every FETCH ENVELOPE a sync reads (100k times on a big mailbox), so the tokens
// are views, of the text itself or, when it has comments, of a copy without them.
QDateTime parseDateTime(QByteArrayView s)
{
    QVarLengthArray<char, 128> uncommented;
    if (s.contains('(')) { // comments dropped; one inside a token joins its two halves, as before
        int depth = 0;
        for (char c : s) {
            if (c == '(')
                ++depth;
            else if (c == ')' && depth > 0)
                --depth;
            else if (depth == 0)
                uncommented.append(c);
        }
        s = QByteArrayView(uncommented.constData(), uncommented.size());
    }
    // Tokens separated by space, tab, comma and the line breaks of a folded header.
    constexpr int MaxTokens = 16;
    const auto separator = [](char c) { return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n'; };
    QByteArrayView tokens[MaxTokens];
    qsizetype count = 0;
    for (qsizetype at = 0; at < s.size();) {
        while (at < s.size() && separator(s[at]))
            ++at;
        const qsizetype start = at;
        while (at < s.size() && !separator(s[at]))
            ++at;
        if (at == start)
            break;
        if (count == MaxTokens)
            return {};
        tokens[count++] = s.sliced(start, at - start);
    }
    qsizetype i = 0;
    if (count > 0 && !std::isdigit(uchar(tokens[0][0])))
        ++i; // day of week
    if (count - i < 4)
        return {};
    bool ok = false;
    const int day = tokens[i].toInt(&ok);
    if (!ok)
        return {};
    const int month = monthNumber(tokens[i + 1]);
    const QByteArrayView yearText = tokens[i + 2];
    int year = yearText.toInt(&ok);
    if (!ok || month == 0)
        return {};
    if (yearText.size() == 2)
        year += year < 50 ? 2000 : 1900;
    else if (yearText.size() == 3)
        year += 1900;
    // hh:mm[:ss]; anything after a third colon is ignored.
    const QByteArrayView clock = tokens[i + 3];
    int hms[3] = {0, 0, 0};
    int fields = 0;
    for (qsizetype from = 0; fields < 3;) {
        const qsizetype colon = clock.indexOf(':', from);
        hms[fields++] = clock.sliced(from, (colon < 0 ? clock.size() : colon) - from).toInt();
        if (colon < 0)
            break;
        from = colon + 1;
    }
    if (fields < 2)
        return {};
    const QDate date(year, month, day);
    const QTime time(hms[0], hms[1], hms[2]);
    if (!date.isValid() || !time.isValid())
        return {};
    bool zoneOk = false;
    const int zone = i + 4 < count ? zoneMinutes(tokens[i + 4], &zoneOk) : 0;
    return QDateTime(date, time, QTimeZone::fromSecondsAheadOfUtc(zone * 60));
}

} // namespace tern::mime
