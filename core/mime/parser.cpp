// SPDX-License-Identifier: GPL-3.0-or-later
// The structure pass: one forward scan over the buffer, finding header blocks and boundary delimiter lines
// (RFC 2046 5.1.1). A delimiter of any enclosing multipart ends the current part, so a missing close
// delimiter cannot swallow the rest of the message. Depth and part count are bounded (SECURITY.md P3).
#include "message.h"

#include <cstring>

namespace tern::mime {

class StructureParser
{
public:
    StructureParser(Message &message, const Limits &limits)
        : m(message), lim(limits), d(message.m_raw.constData()), n(message.m_raw.size())
    {
    }

    void run()
    {
        m.m_parts.emplace_back();
        parseEntity(0, 0, 0);
    }

private:
    struct Delimiter
    {
        qsizetype lineStart = 0;
        qsizetype next = 0; // start of the line after the delimiter
        int level = 0;      // index into the boundary stack
        bool close = false;
    };

    Message &m;
    const Limits &lim;
    const char *d;
    qsizetype n;
    std::vector<QByteArray> stack; // boundaries of the open multiparts, outermost first
    unsigned generation = 0;       // changes with the stack; keys the memo below
    struct
    {
        unsigned generation = ~0u;
        qsizetype from = 0;
        bool found = false;
        Delimiter result;
    } memo;

    bool matchAt(qsizetype p, Delimiter &out) const
    {
        const char *nl = static_cast<const char *>(std::memchr(d + p, '\n', size_t(n - p)));
        const qsizetype lineEnd = nl ? nl - d : n;
        for (int level = int(stack.size()) - 1; level >= 0; --level) {
            const QByteArray &b = stack[size_t(level)];
            if (lineEnd - p - 2 < b.size() || std::memcmp(d + p + 2, b.constData(), size_t(b.size())) != 0)
                continue;
            qsizetype q = p + 2 + b.size();
            bool close = false;
            if (lineEnd - q >= 2 && d[q] == '-' && d[q + 1] == '-') {
                close = true;
                q += 2;
            }
            while (q < lineEnd && (d[q] == ' ' || d[q] == '\t' || d[q] == '\r'))
                ++q; // transport padding (RFC 2046 5.1.1)
            if (q != lineEnd)
                continue;
            out = Delimiter{p, nl ? lineEnd + 1 : n, level, close};
            return true;
        }
        return false;
    }

    // The first delimiter line of any open boundary at or after `from` (a line start).
    bool findDelimiter(qsizetype from, Delimiter &out)
    {
        if (stack.empty())
            return false;
        if (memo.generation == generation && from >= memo.from
            && (!memo.found ? true : from <= memo.result.lineStart)) {
            out = memo.result;
            return memo.found;
        }
        memo.generation = generation;
        memo.from = from;
        memo.found = false;
        qsizetype p = from;
        while (p < n) {
            if (n - p >= 2 && d[p] == '-' && d[p + 1] == '-' && matchAt(p, out)) {
                memo.found = true;
                memo.result = out;
                return true;
            }
            const void *hit = memmem(d + p, size_t(n - p), "\n--", 3);
            if (!hit)
                break;
            p = static_cast<const char *>(hit) - d + 1;
        }
        return false;
    }

    // The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    qsizetype endBefore(qsizetype lineStart, qsizetype floor) const
    {
        qsizetype e = lineStart;
        if (e > floor && d[e - 1] == '\n')
            --e;
        if (e > floor && d[e - 1] == '\r')
            --e;
        return e;
    }

    int newPart(int parent, int depth)
    {
        m.m_parts.emplace_back();
        Part &p = m.m_parts.back();
        p.parent = parent;
        p.depth = depth;
        const int index = int(m.m_parts.size() - 1);
        m.m_parts[size_t(parent)].children.push_back(index);
        return index;
    }

    static bool nameIs(QByteArrayView name, QByteArrayView want)
    {
        return name.size() == want.size() && name.compare(want, Qt::CaseInsensitive) == 0;
    }

    void readContentHeaders(Part &part, bool parentIsDigest)
    {
        const QByteArrayView raw(m.m_raw);
        bool haveType = false, haveEncoding = false;
        for (int i = part.firstField; i < part.firstField + part.fieldCount; ++i) {
            const HeaderField &f = m.m_fields[size_t(i)];
            const QByteArrayView name = raw.mid(f.name.begin, f.name.size());
            if (name.size() < 12 || (name[0] | 0x20) != 'c')
                continue;
            if (!haveType && nameIs(name, "content-type")) {
                part.contentType = parseContentType(unfold(raw.mid(f.value.begin, f.value.size())));
                part.hasContentType = haveType = true;
            } else if (!haveEncoding && nameIs(name, "content-transfer-encoding")) {
                part.encoding = parseTransferEncoding(unfold(raw.mid(f.value.begin, f.value.size())));
                haveEncoding = true;
            }
        }
        if (!haveType) {
            // RFC 2046 5.1.5: in a digest the default is message/rfc822.
            part.contentType.type = parentIsDigest ? QByteArrayLiteral("message") : QByteArrayLiteral("text");
            part.contentType.subtype = parentIsDigest ? QByteArrayLiteral("rfc822") : QByteArrayLiteral("plain");
        }
    }

    bool roomForParts(int extra) const { return qsizetype(m.m_parts.size()) + extra <= lim.maxParts; }

    // Parses the entity whose header starts at pos; returns where it stops (a delimiter line start or n).
    qsizetype parseEntity(int index, qsizetype pos, int depth)
    {
        Delimiter next;
        const bool hasNext = findDelimiter(pos, next);
        const qsizetype headerLimit = hasNext ? next.lineStart : n;
        bool truncated = false;
        const int firstField = int(m.m_fields.size());
        const qsizetype bodyStart = parseHeaderBlock(QByteArrayView(m.m_raw), pos, headerLimit, lim.header, m.m_fields,
                                                     &truncated);
        if (truncated)
            m.m_issues |= unsigned(Issue::HeaderTruncated);
        const int parent = m.m_parts[size_t(index)].parent;
        const bool parentIsDigest = parent >= 0 && m.m_parts[size_t(parent)].contentType.is("multipart", "digest");
        {
            Part &part = m.m_parts[size_t(index)];
            part.header = Range{pos, bodyStart};
            part.firstField = firstField;
            part.fieldCount = int(m.m_fields.size()) - firstField;
            part.body.begin = bodyStart;
            readContentHeaders(part, parentIsDigest);
        }
        Part &part = m.m_parts[size_t(index)];
        const ContentType &ct = part.contentType;
        if (ct.type == "multipart") {
            QByteArray boundary = ct.rawParam("boundary");
            if (!boundary.isEmpty() && boundary.size() <= 200) {
                if (depth < lim.maxDepth && roomForParts(1))
                    return parseMultipart(index, bodyStart, depth, std::move(boundary));
                part.opaque = true;
                m.m_issues |= unsigned(depth < lim.maxDepth ? Issue::PartLimit : Issue::DepthLimit);
            }
        } else if (ct.type == "message" && (ct.subtype == "rfc822" || ct.subtype == "global")
                   && part.encoding != TransferEncoding::Base64 && part.encoding != TransferEncoding::QuotedPrintable) {
            if (depth < lim.maxDepth && roomForParts(1)) {
                const int child = newPart(index, depth + 1);
                const qsizetype stop = parseEntity(child, bodyStart, depth + 1);
                m.m_parts[size_t(index)].body.end = std::max(bodyStart, endBefore(stop, bodyStart));
                return stop;
            }
            part.opaque = true;
            m.m_issues |= unsigned(depth < lim.maxDepth ? Issue::PartLimit : Issue::DepthLimit);
        }
        // A leaf: the body runs to the next delimiter (the one found above: none lies in between).
        Delimiter end;
        if (findDelimiter(bodyStart, end)) {
            part.body.end = std::max(bodyStart, endBefore(end.lineStart, bodyStart));
            return end.lineStart;
        }
        part.body.end = n;
        return n;
    }

    qsizetype parseMultipart(int index, qsizetype bodyStart, int depth, QByteArray boundary)
    {
        stack.push_back(std::move(boundary));
        ++generation;
        const int level = int(stack.size()) - 1;
        auto finish = [&](qsizetype stop, bool closed) {
            stack.pop_back();
            ++generation;
            Part &part = m.m_parts[size_t(index)];
            part.body.end = stop == n ? n : std::max(bodyStart, endBefore(stop, bodyStart));
            if (!closed) {
                part.missingCloseBoundary = true;
                m.m_issues |= unsigned(Issue::MissingCloseBoundary);
            }
            return stop;
        };
        qsizetype pos = bodyStart;
        bool first = true;
        Delimiter delim;
        for (;;) {
            const bool found = findDelimiter(pos, delim);
            if (!found || delim.level != level) {
                const qsizetype stop = found ? delim.lineStart : n;
                if (first)
                    m.m_parts[size_t(index)].preamble = Range{bodyStart, stop == n ? n : endBefore(stop, bodyStart)};
                return finish(stop, false);
            }
            if (first) {
                m.m_parts[size_t(index)].preamble = Range{bodyStart, endBefore(delim.lineStart, bodyStart)};
                first = false;
            }
            if (delim.close) {
                const qsizetype epilogueStart = delim.next;
                stack.pop_back();
                ++generation;
                Delimiter outer;
                const bool hasOuter = findDelimiter(epilogueStart, outer);
                const qsizetype stop = hasOuter ? outer.lineStart : n;
                Part &part = m.m_parts[size_t(index)];
                part.epilogue = Range{epilogueStart, hasOuter ? std::max(epilogueStart, endBefore(stop, epilogueStart)) : n};
                part.body.end = hasOuter ? std::max(bodyStart, endBefore(stop, bodyStart)) : n;
                return stop;
            }
            if (!roomForParts(2)) {
                pos = skipToEnd(index, depth, delim);
                continue;
            }
            const int child = newPart(index, depth + 1);
            pos = parseEntity(child, delim.next, depth + 1);
        }
    }

    // Past the part limit: the rest of this multipart becomes one opaque part (if there is still room for
    // one), and scanning resumes at this multipart's close delimiter or an enclosing one.
    qsizetype skipToEnd(int index, int depth, const Delimiter &from)
    {
        m.m_issues |= unsigned(Issue::PartLimit);
        const int level = from.level;
        Delimiter delim = from;
        const qsizetype start = from.next;
        qsizetype stop = n;
        qsizetype pos = from.next;
        while (findDelimiter(pos, delim)) {
            if (delim.level != level || delim.close) {
                stop = delim.lineStart;
                break;
            }
            pos = delim.next;
        }
        if (roomForParts(1)) {
            const int child = newPart(index, depth + 1);
            Part &p = m.m_parts[size_t(child)];
            p.header = Range{start, start};
            p.body = Range{start, stop == n ? n : std::max(start, endBefore(stop, start))};
            p.contentType.type = QByteArrayLiteral("application");
            p.contentType.subtype = QByteArrayLiteral("octet-stream");
            p.opaque = true;
        }
        return stop;
    }
};

Message::Message(QByteArray raw, const Limits &limits)
    : m_raw(std::move(raw))
{
    StructureParser(*this, limits).run();
}

} // namespace tern::mime
