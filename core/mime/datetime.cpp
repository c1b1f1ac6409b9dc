// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 5322 3.3 date-time with the obsolete forms of 4.3.
#include "received.h"

#include <QTimeZone>

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

QDateTime parseDateTime(QByteArrayView s)
{
    // Tokens separated by space, comma; comments dropped.
    QList<QByteArray> tokens;
    QByteArray current;
    int depth = 0;
    for (char c : s) {
        if (c == '(')
            ++depth;
        else if (c == ')' && depth > 0)
            --depth;
        else if (depth == 0 && (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n')) {
            if (!current.isEmpty())
                tokens << current;
            current.clear();
        } else if (depth == 0) {
            current += c;
        }
        if (tokens.size() > 16)
            return {};
    }
    if (!current.isEmpty())
        tokens << current;
    qsizetype i = 0;
    if (!tokens.isEmpty() && !tokens[0].isEmpty() && !std::isdigit(uchar(tokens[0][0])))
        ++i; // day of week
    if (tokens.size() - i < 4)
        return {};
    bool ok = false;
    const int day = tokens[i].toInt(&ok);
    if (!ok)
        return {};
    const int month = monthNumber(tokens[i + 1]);
    int year = tokens[i + 2].toInt(&ok);
    if (!ok || month == 0)
        return {};
    if (tokens[i + 2].size() == 2)
        year += year < 50 ? 2000 : 1900;
    else if (tokens[i + 2].size() == 3)
        year += 1900;
    const QList<QByteArray> hms = tokens[i + 3].split(':');
    if (hms.size() < 2)
        return {};
    const int hour = hms[0].toInt(), minute = hms[1].toInt(), second = hms.size() > 2 ? hms[2].toInt() : 0;
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid())
        return {};
    bool zoneOk = false;
    const int zone = i + 4 < tokens.size() ? zoneMinutes(tokens[i + 4], &zoneOk) : 0;
    return QDateTime(date, time, QTimeZone::fromSecondsAheadOfUtc(zone * 60));
}

} // namespace tern::mime
