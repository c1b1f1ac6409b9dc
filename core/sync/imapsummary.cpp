// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/imapsummary.h"

#include "mime/address.h"
#include "mime/encodedword.h"
#include "mime/received.h"

#include <QStringList>

namespace tern::sync {

namespace {

bool same(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

void appendAddress(QString &out, const imap::Address &a)
{
    out.append(QUtf8StringView(a.mailbox));
    out.append(QLatin1Char('@'));
    out.append(QUtf8StringView(a.host));
}

QString addressOf(const imap::Address &a)
{
    QString out;
    out.reserve(a.mailbox.size() + 1 + a.host.size());
    appendAddress(out, a);
    return out;
}

// A display name as the list shows it: decoded, and never able to pass for another address (SECURITY.md D1).
QString nameOf(const imap::Address &a)
{
    if (a.name.isEmpty())
        return {};
    QString name = mime::decodeHeaderText(a.name);
    mime::neutraliseDisplayName(name);
    return name;
}

// "Name <mailbox@host>, mailbox@host", built in one string (this runs for To and Cc of every message synced).
QString addressList(const QList<imap::Address> &list)
{
    qsizetype bytes = 0;
    for (const imap::Address &a : list)
        bytes += a.name.size() + a.mailbox.size() + a.host.size() + 6;
    QString out;
    out.reserve(bytes); // UTF-8 never has fewer bytes than UTF-16 code units; names decoded longer grow it
    for (const imap::Address &a : list) {
        if (a.isGroupStart() || a.isGroupEnd())
            continue; // RFC 5322 §3.4 group markers carry no address
        if (!out.isEmpty())
            out.append(QLatin1StringView(", "));
        const QString name = nameOf(a);
        if (name.isEmpty()) {
            appendAddress(out, a);
        } else {
            out.append(name);
            out.append(QLatin1StringView(" <"));
            appendAddress(out, a);
            out.append(QLatin1Char('>'));
        }
    }
    return out;
}

QByteArray paramValue(const QList<imap::BodyParam> &params, QByteArrayView name)
{
    for (const imap::BodyParam &p : params) {
        if (same(p.name, name))
            return p.value;
    }
    return {};
}

bool hasAttachmentsAt(const imap::BodyStructure &b, int depth)
{
    if (depth > 64) // the parser bounds nesting already; this keeps the walk bounded on its own
        return false;
    if (same(b.disposition, "ATTACHMENT"))
        return true;
    if (b.isMessage())
        return true;
    if (b.isMultipart()) {
        for (const imap::BodyStructure &part : b.parts) {
            if (hasAttachmentsAt(part, depth + 1))
                return true;
        }
        return false;
    }
    if (same(b.disposition, "INLINE") || b.type == "TEXT")
        return false;
    // A named leaf without a disposition (older mailers put the name in Content-Type only).
    return !paramValue(b.params, "NAME").isEmpty() || !paramValue(b.dispositionParams, "FILENAME").isEmpty();
}

} // namespace

Flags flagsFromImap(const QList<QByteArray> &flags)
{
    static const std::pair<const char *, quint32> kSystem[] = {
        {"\\Seen", store::Seen},       {"\\Answered", store::Answered}, {"\\Flagged", store::Flagged},
        {"\\Deleted", store::Deleted}, {"\\Draft", store::Draft},       {"$Forwarded", store::Forwarded}};
    Flags out;
    for (const QByteArray &flag : flags) {
        bool system = false;
        for (const auto &[name, bit] : kSystem) {
            if (same(flag, name)) {
                out.bits |= bit;
                system = true;
                break;
            }
        }
        if (!system && !same(flag, "\\Recent"))
            out.keywords.append(QString::fromUtf8(flag));
    }
    return out;
}

bool hasAttachments(const imap::BodyStructure &body)
{
    return hasAttachmentsAt(body, 0);
}

store::MessageSummary summaryFromFetch(const imap::FetchData &f)
{
    store::MessageSummary s;
    s.uid = f.uid.value_or(0);
    if (f.flags) {
        const Flags flags = flagsFromImap(*f.flags);
        s.flags = flags.bits;
        s.keywords = flags.keywords;
    }
    s.internalDate = f.internalDate ? f.internalDate->toSecsSinceEpoch() : 0;
    s.size = f.size.value_or(0);
    s.modseq = qint64(f.modseq.value_or(0));
    if (f.body)
        s.hasAttachments = hasAttachments(*f.body);
    if (f.preview && !f.preview->isNull())
        s.preview = QString::fromUtf8(*f.preview);
    s.date = s.internalDate;
    if (const auto &e = f.envelope) {
        s.subject = mime::decodeHeaderText(e->subject);
        s.messageId = QString::fromLatin1(e->messageId);
        s.inReplyTo = QString::fromLatin1(e->inReplyTo);
        for (const imap::Address &a : e->from) {
            if (a.isGroupStart() || a.isGroupEnd())
                continue;
            s.fromName = nameOf(a);
            s.fromAddress = addressOf(a);
            break;
        }
        s.to = addressList(e->to);
        s.cc = addressList(e->cc);
        if (!e->date.isEmpty()) {
            const QDateTime date = mime::parseDateTime(e->date);
            if (date.isValid())
                s.date = date.toSecsSinceEpoch();
        }
    }
    return s;
}

QString roleFor(const QString &path, const QList<QByteArray> &attributes, bool serverHasSpecialUse)
{
    if (path.compare(QLatin1StringView("INBOX"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("inbox"); // RFC 3501 §5.1: INBOX is case-insensitive
    static const std::pair<const char *, const char *> kUses[] = {
        {"\\Sent", "sent"}, {"\\Drafts", "drafts"}, {"\\Trash", "trash"},    {"\\Junk", "junk"},
        {"\\Archive", "archive"}, {"\\All", "all"}, {"\\Flagged", "flagged"}};
    for (const QByteArray &attribute : attributes) {
        for (const auto &[flag, role] : kUses) {
            if (same(attribute, flag))
                return QString::fromLatin1(role);
        }
    }
    if (serverHasSpecialUse)
        return {}; // the server said which folders have roles: a name alone does not make one
    static const std::pair<const char *, const char *> kNames[] = {
        {"Sent", "sent"},   {"Sent Items", "sent"},  {"Sent Messages", "sent"}, {"Drafts", "drafts"},
        {"Trash", "trash"}, {"Deleted Items", "trash"}, {"Junk", "junk"},       {"Spam", "junk"},
        {"Archive", "archive"}};
    for (const auto &[name, role] : kNames) {
        if (path.compare(QLatin1StringView(name), Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(role);
    }
    return {};
}

} // namespace tern::sync
