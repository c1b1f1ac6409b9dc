// SPDX-License-Identifier: GPL-3.0-or-later
// tern::mime against GMime 3.2 on the same generated mbox, in one run, medians of 5 (PERFORMANCE.md).
//   parse:  split the mbox and build each message's headers and structure
//   decode: parse, plus every text part decoded to Unicode (transfer encoding + charset), Subject decoded
//           and the From list parsed: "structure + decoded text" of issue 5
//   full:   decode, plus every other leaf body (attachments) transfer-decoded
// Usage: bench_mime [MEGABYTES=120] [ROUNDS=5] [--verify]
//   --verify first checks, message by message, that both decode every text part to the same text, and that
//            GMime reads back what Tern's composer wrote.
#include "corpus.h"

#include "mime/address.h"
#include "mime/composer.h"
#include "mime/flowed.h"
#include "mime/message.h"

#include <QElapsedTimer>
#include <QStringList>

#include <gmime/gmime.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace tern::mime;

namespace {

enum class Mode { Parse, Decode, Full };

struct Sink
{
    Mode mode = Mode::Parse;
    qsizetype parts = 0;
    qsizetype textChars = 0;
    qsizetype binaryBytes = 0;
};

// The messages of an mbox: each starts at a "From " line at the start of a line.
template<typename F>
void forEachMessage(const QByteArray &mbox, F &&f)
{
    const char *d = mbox.constData();
    const qsizetype n = mbox.size();
    qsizetype start = 0;
    while (start < n) {
        const void *hit = memmem(d + start + 1, size_t(n - start - 1), "\nFrom ", 6);
        const qsizetype end = hit ? static_cast<const char *>(hit) - d + 1 : n;
        f(QByteArray::fromRawData(d + start, end - start));
        start = end;
    }
}

void ternRun(const QByteArray &mbox, Sink &sink)
{
    forEachMessage(mbox, [&](const QByteArray &raw) {
        const Message m(raw);
        sink.parts += qsizetype(m.parts().size());
        if (sink.mode == Mode::Parse)
            return;
        sink.textChars += m.headerText(0, "subject").size();
        sink.textChars += qsizetype(parseAddressList(m.header(0, "from")).size());
        for (size_t i = 0; i < m.parts().size(); ++i) {
            const Part &p = m.parts()[i];
            if (p.children.empty() && p.contentType.type == "text")
                sink.textChars += m.text(int(i)).size();
            else if (p.children.empty() && sink.mode == Mode::Full)
                sink.binaryBytes += m.decodedBody(int(i)).size();
        }
    });
}

void gmimeTextPart(GMimeObject *, GMimeObject *part, gpointer data)
{
    auto *sink = static_cast<Sink *>(data);
    ++sink->parts;
    if (GMIME_IS_TEXT_PART(part)) {
        char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        if (text) {
            sink->textChars += qsizetype(strlen(text));
            g_free(text);
        }
    } else if (GMIME_IS_MESSAGE_PART(part)) {
        // g_mime_message_foreach does not enter encapsulated messages; Tern's parser does, so GMime must too.
        if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part)))
            g_mime_message_foreach(inner, gmimeTextPart, data);
    } else if (GMIME_IS_PART(part) && sink->mode == Mode::Full) {
        GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
        if (content) {
            GMimeStream *out = g_mime_stream_null_new();
            g_mime_data_wrapper_write_to_stream(content, out);
            sink->binaryBytes += qsizetype(g_mime_stream_length(out));
            g_object_unref(out);
        }
    }
}

void gmimeRun(GByteArray *bytes, Sink &sink)
{
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
    while (!g_mime_parser_eos(parser)) {
        GMimeMessage *message = g_mime_parser_construct_message(parser, nullptr);
        if (!message)
            break;
        if (sink.mode != Mode::Parse) {
            const char *subject = g_mime_message_get_subject(message);
            sink.textChars += subject ? qsizetype(strlen(subject)) : 0;
            InternetAddressList *from = g_mime_message_get_from(message);
            sink.textChars += from ? internet_address_list_length(from) : 0;
            g_mime_message_foreach(message, gmimeTextPart, &sink);
        } else {
            ++sink.parts;
        }
        g_object_unref(message);
    }
    g_object_unref(parser);
    g_object_unref(stream);
}

void collectGmimeText(GMimeObject *, GMimeObject *part, gpointer data)
{
    if (GMIME_IS_TEXT_PART(part)) {
        char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        static_cast<QStringList *>(data)->append(QString::fromUtf8(text ? text : ""));
        g_free(text);
    } else if (GMIME_IS_MESSAGE_PART(part)) {
        if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part)))
            g_mime_message_foreach(inner, collectGmimeText, data);
    }
}

// Differential check against GMime: the decoded text of every text part, in order. Returns mismatches.
int verify(const QByteArray &mbox)
{
    int checked = 0, mismatches = 0;
    forEachMessage(mbox, [&](const QByteArray &raw) {
        const Message m(raw);
        QStringList ours;
        for (size_t i = 0; i < m.parts().size(); ++i) {
            const Part &p = m.parts()[i];
            if (p.children.empty() && p.contentType.type == "text")
                ours << m.text(int(i));
        }
        GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw.constData(), size_t(raw.size()));
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
        GMimeMessage *message = g_mime_parser_construct_message(parser, nullptr);
        QStringList theirs;
        if (message) {
            g_mime_message_foreach(message, collectGmimeText, &theirs);
            g_object_unref(message);
        }
        g_object_unref(parser);
        g_object_unref(stream);
        ++checked;
        if (ours != theirs && mismatches++ < 3) {
            std::printf("mismatch in message %d: %lld vs %lld text parts\n", checked, static_cast<long long>(ours.size()),
                        static_cast<long long>(theirs.size()));
            for (qsizetype k = 0; k < std::min(ours.size(), theirs.size()); ++k) {
                if (ours[k] != theirs[k]) {
                    qsizetype at = 0;
                    while (at < ours[k].size() && at < theirs[k].size() && ours[k][at] == theirs[k][at])
                        ++at;
                    std::printf("  part %lld differs at %lld: tern \"%s\" gmime \"%s\"\n", static_cast<long long>(k),
                                static_cast<long long>(at), qPrintable(ours[k].mid(at, 40)), qPrintable(theirs[k].mid(at, 40)));
                    break;
                }
            }
        }
    });
    std::printf("verify: %d messages, %d with different text\n", checked, mismatches);
    return mismatches;
}

struct GmimeView
{
    QString subject, fromName, fromAddress, text;
    QStringList fileNames;
    QList<QByteArray> contents;
};

void collectGmimeView(GMimeObject *, GMimeObject *part, gpointer data)
{
    auto *view = static_cast<GmimeView *>(data);
    if (!GMIME_IS_PART(part))
        return;
    GMimePart *p = GMIME_PART(part);
    if (const char *name = g_mime_part_get_filename(p)) {
        view->fileNames << QString::fromUtf8(name);
        GMimeStream *out = g_mime_stream_mem_new();
        g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(p), out);
        GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
        view->contents << QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
        g_object_unref(out);
    } else if (GMIME_IS_TEXT_PART(part) && g_mime_content_type_is_type(g_mime_object_get_content_type(part), "text", "plain")) {
        char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        view->text = QString::fromUtf8(text ? text : "");
        g_free(text);
    }
}

// The composer's bytes read by an independent parser: subject, sender, plain text (format=flowed joined with
// Tern's decoder, the transfer and charset decoding is GMime's), attachment names and contents.
int verifyComposer(int count)
{
    int mismatches = 0;
    const QString words[] = {QStringLiteral("Grüße"), QStringLiteral("日本語"), QStringLiteral("plain"), QStringLiteral("\U0001F600"),
                             QStringLiteral("\"q\""), QStringLiteral("a,b;c"), QStringLiteral("=?x?="), QStringLiteral("longer-words-here")};
    for (int n = 0; n < count; ++n) {
        auto phrase = [&](int k) {
            QString s;
            for (int i = 0; i < k; ++i)
                s += (i ? QStringLiteral(" ") : QString()) + words[(n * 7 + i * 3 + k) % 8];
            return s;
        };
        Draft d;
        d.from.name = phrase(1 + n % 3);
        d.from.address = QStringLiteral("sender%1@example.org").arg(n);
        Mailbox to;
        to.address = QStringLiteral("to@example.net");
        d.to = {to};
        d.subject = phrase(n % 40);
        d.text = phrase(n % 200) + QStringLiteral("\n\n") + phrase(n % 17);
        if (n % 2)
            d.html = QStringLiteral("<p>") + phrase(5) + QStringLiteral("</p>");
        d.allow8bit = n % 3 == 0;
        for (int a = 0; a < n % 3; ++a) {
            QByteArray data(100 + n * 13 % 3000, Qt::Uninitialized);
            for (qsizetype i = 0; i < data.size(); ++i)
                data[i] = char((i * 31 + n) & 0xff);
            d.attachments.push_back({phrase(1 + a) + QStringLiteral(".bin"), "application/octet-stream", data, {}});
        }
        const Composed c = compose(d);
        GMimeStream *stream = g_mime_stream_mem_new_with_buffer(c.bytes.constData(), size_t(c.bytes.size()));
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        GMimeMessage *message = g_mime_parser_construct_message(parser, nullptr);
        GmimeView view;
        if (message) {
            view.subject = QString::fromUtf8(g_mime_message_get_subject(message));
            InternetAddressList *from = g_mime_message_get_from(message);
            if (from && internet_address_list_length(from) == 1) {
                InternetAddress *a = internet_address_list_get_address(from, 0);
                view.fromName = QString::fromUtf8(internet_address_get_name(a));
                view.fromAddress = QString::fromUtf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
            }
            g_mime_message_foreach(message, collectGmimeView, &view);
            g_object_unref(message);
        }
        g_object_unref(parser);
        g_object_unref(stream);
        QStringList names;
        QList<QByteArray> contents;
        for (const OutgoingAttachment &a : d.attachments) {
            names << a.fileName;
            contents << a.data;
        }
        const QString text = decodeFlowed(view.text, false);
        const bool same = view.subject == d.subject && view.fromName == d.from.name && view.fromAddress == d.from.address
            && text == d.text + QLatin1Char('\n') && view.fileNames == names && view.contents == contents;
        if (!same && mismatches++ < 3)
            std::printf("composer mismatch %d: subject %d name %d address %d text %d files %d contents %d\n", n,
                        view.subject == d.subject, view.fromName == d.from.name, view.fromAddress == d.from.address,
                        text == d.text + QLatin1Char('\n'), view.fileNames == names, view.contents == contents);
    }
    std::printf("verify: %d composed messages read back by GMime, %d different\n", count, mismatches);
    return mismatches;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    const qsizetype megabytes = argc > 1 ? std::atoi(argv[1]) : 120;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    g_mime_init();
    QElapsedTimer timer;
    timer.start();
    const QByteArray mbox = generateMbox(megabytes * 1024 * 1024);
    qsizetype messages = 0;
    forEachMessage(mbox, [&](const QByteArray &) { ++messages; });
    std::printf("corpus: %.1f MB, %lld messages, generated in %.1f s\n", double(mbox.size()) / 1e6,
                static_cast<long long>(messages), double(timer.elapsed()) / 1000);
    if (argc > 3 && QByteArrayView(argv[3]) == "--verify" && (verify(mbox) != 0 || verifyComposer(2000) != 0))
        return 1;
    GByteArray *bytes = g_byte_array_sized_new(guint(mbox.size()));
    g_byte_array_append(bytes, reinterpret_cast<const guint8 *>(mbox.constData()), guint(mbox.size()));

    for (const Mode mode : {Mode::Parse, Mode::Decode, Mode::Full}) {
        std::vector<double> tern, gmime;
        Sink ternSink, gmimeSink;
        for (int r = 0; r < rounds; ++r) { // interleaved, so both see the same machine state
            Sink s1{mode}, s2{mode};
            timer.restart();
            ternRun(mbox, s1);
            tern.push_back(double(mbox.size()) / 1e6 / (double(timer.nsecsElapsed()) / 1e9));
            timer.restart();
            gmimeRun(bytes, s2);
            gmime.push_back(double(mbox.size()) / 1e6 / (double(timer.nsecsElapsed()) / 1e9));
            ternSink = s1;
            gmimeSink = s2;
        }
        const double t = median(tern), g = median(gmime);
        const char *name = mode == Mode::Parse ? "parse" : mode == Mode::Decode ? "decode" : "full";
        std::printf("%-6s  tern %7.1f MB/s   gmime %7.1f MB/s   ratio %.2f   (parts %lld/%lld, binary bytes %lld/%lld)\n", name,
                    t, g, t / g, static_cast<long long>(ternSink.parts), static_cast<long long>(gmimeSink.parts),
                    static_cast<long long>(ternSink.binaryBytes), static_cast<long long>(gmimeSink.binaryBytes));
    }
    g_byte_array_unref(bytes);
    return 0;
}
