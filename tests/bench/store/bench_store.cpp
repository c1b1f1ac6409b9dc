// SPDX-License-Identifier: GPL-3.0-or-later
// The store on a 100,000-message folder: cold insert of summaries (what a first sync adds on top of the
// FETCH), search, and opening the folder in the list model. Prints medians of 5 runs.
#include "models/messagelistmodel.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace tern;

namespace {

int kMessages = 100000; // --messages N (smaller for profiling under callgrind)
constexpr int kBatch = 2000; // one transaction per few thousand messages (PERFORMANCE.md)

QList<store::MessageSummary> makeSummaries()
{
    static const char *const words[] = {"report", "meeting", "invoice", "lunch", "project", "update", "review",
                                        "budget", "travel", "release", "draft", "question", "urgent", "weekly",
                                        "notes", "engine", "loom", "garden", "conference", "schedule"};
    QRandomGenerator rng(42);
    QList<store::MessageSummary> list;
    list.reserve(kMessages);
    for (int i = 1; i <= kMessages; ++i) {
        store::MessageSummary m;
        m.uid = i;
        QString subject;
        for (int w = 0, n = 3 + int(rng.bounded(6)); w < n; ++w)
            subject += QLatin1String(words[rng.bounded(20)]) + QLatin1Char(' ');
        m.subject = subject.trimmed() + QStringLiteral(" #%1").arg(i);
        m.fromName = QStringLiteral("Sender %1").arg(rng.bounded(500));
        m.fromAddress = QStringLiteral("sender%1@example.org").arg(rng.bounded(500));
        m.to = QStringLiteral("me@example.org");
        m.messageId = QStringLiteral("<%1.%2@example.org>").arg(i).arg(rng.generate());
        m.date = 1'600'000'000 + qint64(i) * 300;
        m.internalDate = m.date + 5;
        m.size = 2000 + rng.bounded(50000);
        m.flags = rng.bounded(10) < 7 ? store::Seen : 0;
        list.append(m);
    }
    return list;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(QStringLiteral("--messages")); i > 0 && i + 1 < args.size())
        kMessages = args.at(i + 1).toInt();
    const bool insertOnly = args.contains(QStringLiteral("--insert-only"));
    const QList<store::MessageSummary> summaries = makeSummaries();
    QTemporaryDir dir;
    QList<double> insertMs, indexMs, searchMs, openMs;
    store::Store kept;
    qint64 keptFolder = 0;
    for (int run = 0; run < 5; ++run) {
        auto *store = run == 4 ? &kept : new store::Store;
        if (!store->open(dir.filePath(QStringLiteral("bench-%1.sqlite").arg(run)))) {
            std::fprintf(stderr, "cannot open store: %s\n", qPrintable(store->error()));
            return 1;
        }
        store::Folder f;
        f.account = QStringLiteral("Bench");
        f.path = QStringLiteral("INBOX");
        const qint64 folder = store->saveFolder(f);
        QElapsedTimer t;
        t.start();
        for (qsizetype i = 0; i < summaries.size(); i += kBatch) {
            const auto batch = std::span(summaries).subspan(size_t(i), size_t(qMin<qsizetype>(kBatch, summaries.size() - i)));
            if (store->insertSummaries(folder, batch) < 0) {
                std::fprintf(stderr, "insert failed: %s\n", qPrintable(store->error()));
                return 1;
            }
        }
        insertMs << double(t.nsecsElapsed()) / 1e6;
        if (insertOnly) {
            std::printf("insert of %d summaries: %.0f ms\n", kMessages, insertMs.last());
            return 0;
        }
        t.restart();
        if (store->indexPending() != kMessages) {
            std::fprintf(stderr, "indexing failed: %s\n", qPrintable(store->error()));
            return 1;
        }
        indexMs << double(t.nsecsElapsed()) / 1e6;
        if (run == 4)
            keptFolder = folder;
        else
            delete store;
    }
    static const char *const queries[] = {"invoice", "meeting notes", "sender42", "urgent budget", "loom #99"};
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        qsizetype hits = 0;
        for (const char *q : queries)
            hits += kept.search(QStringLiteral("Bench"), QString::fromLatin1(q)).size();
        searchMs << double(t.nsecsElapsed()) / 1e6 / double(std::size(queries));
        if (hits == 0)
            return 1;
    }
    for (int run = 0; run < 5; ++run) {
        QElapsedTimer t;
        t.start();
        models::MessageListModel model(&kept);
        model.setFolder(keptFolder);
        for (int row = 0; row < 50; ++row) // the rows a list view shows first
            model.index(row, models::MessageListModel::SubjectColumn).data();
        openMs << double(t.nsecsElapsed()) / 1e6;
    }
    std::printf("store, %d messages, median of 5:\n", kMessages);
    std::printf("  cold insert of summaries, batches of %d:      %.0f ms (%.1f us/message)\n", kBatch,
                median(insertMs), median(insertMs) * 1000.0 / kMessages);
    std::printf("  search index of all of them afterwards:        %.0f ms\n", median(indexMs));
    std::printf("  search (FTS5, newest first, limit 200):       %.1f ms per query\n", median(searchMs));
    std::printf("  open folder in the list model + first 50 rows: %.1f ms\n", median(openMs));
    return 0;
}
