// SPDX-License-Identifier: GPL-3.0-or-later
#include "compose/seenaddresses.h"

#include "mime/address.h"
#include "store/sqlite.h"

#include <QHash>

#include <algorithm>

namespace tern::compose {

QString SeenAddress::display() const
{
    return name.isEmpty() ? address : QStringLiteral("%1 <%2>").arg(name, address);
}

QList<SeenAddress> seenAddresses(store::Database &db, int limit, int scanLimit)
{
    // to_text / cc_text hold the header's address list as the summary kept it; parsing it again with the MIME
    // address parser gives one mailbox per recipient.
    store::Statement q = db.prepare("SELECT from_name, from_addr, to_text, cc_text FROM messages "
                                    "ORDER BY id DESC LIMIT ?1");
    QList<SeenAddress> out;
    if (!q.isValid())
        return out;
    q.bind(1, qint64(scanLimit));
    QHash<QString, qsizetype> index; // lower-cased address -> position in out
    auto count = [&](const QString &name, const QString &address) {
        if (address.isEmpty() || !address.contains(QLatin1Char('@')))
            return;
        const QString key = address.toLower();
        auto it = index.constFind(key);
        if (it == index.cend()) {
            index.insert(key, out.size());
            out.append(SeenAddress{name, address, 1});
            return;
        }
        SeenAddress &seen = out[*it];
        ++seen.count;
        if (seen.name.isEmpty())
            seen.name = name;
    };
    while (q.next()) {
        count(q.text(0), q.text(1));
        for (int column : {2, 3}) {
            const QString list = q.text(column);
            if (list.isEmpty())
                continue;
            for (const mime::Mailbox &m : mime::parseAddressList(list.toUtf8())) {
                if (m.isValid())
                    count(m.name, m.address);
            }
        }
    }
    // Stable: equally frequent addresses keep the newest-first order they were met in.
    std::stable_sort(out.begin(), out.end(), [](const SeenAddress &a, const SeenAddress &b) { return a.count > b.count; });
    if (out.size() > limit)
        out.resize(limit);
    return out;
}

} // namespace tern::compose
