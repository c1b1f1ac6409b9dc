// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/attachmentlist.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QMimeDatabase>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace tern::ui {

namespace {

// Nothing larger is read into memory: no mail server takes it, and reading it would only stall the window.
constexpr qint64 kMaxAttachmentBytes = 512LL * 1024 * 1024;

} // namespace

AttachmentList::AttachmentList(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("attachmentList"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("attachmentListView"));
    m_list->setAccessibleName(tr("Attachments"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    layout->addWidget(m_list);

    auto *row = new QHBoxLayout;
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("attachmentSummary"));
    m_summary->setAccessibleName(tr("Attachment total"));
    row->addWidget(m_summary, 1);
    m_remove = new QPushButton(tr("&Remove"));
    m_remove->setObjectName(QStringLiteral("removeAttachmentButton"));
    m_remove->setAccessibleName(tr("Remove attachment"));
    m_remove->setEnabled(false);
    row->addWidget(m_remove);
    layout->addLayout(row);

    m_warning = new QLabel;
    m_warning->setObjectName(QStringLiteral("attachmentSizeWarning"));
    m_warning->setAccessibleName(tr("Size warning"));
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    layout->addWidget(m_warning);

    connect(m_list, &QListWidget::itemSelectionChanged, this, [this] {
        m_remove->setEnabled(!m_list->selectedItems().isEmpty());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QListWidgetItem *item : m_list->selectedItems())
            rows << m_list->row(item);
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (int r : rows)
            removeAt(r);
    });
    refresh();
}

bool AttachmentList::addFile(const QString &path, QString *error)
{
    QFile file(path);
    const QFileInfo info(path);
    if (info.size() > kMaxAttachmentBytes) {
        if (error)
            *error = tr("%1 is too large to attach (%2)").arg(info.fileName(), QLocale().formattedDataSize(info.size()));
        return false;
    }
    if (!info.isFile() || !file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    mime::OutgoingAttachment a;
    a.data = file.readAll();
    a.fileName = info.fileName();
    a.mimeType = QMimeDatabase().mimeTypeForFileNameAndData(path, a.data).name().toLatin1();
    add(std::move(a));
    return true;
}

void AttachmentList::add(mime::OutgoingAttachment attachment)
{
    m_items.push_back(std::move(attachment));
    refresh();
    Q_EMIT changed();
}

void AttachmentList::removeAt(int row)
{
    if (row < 0 || row >= count())
        return;
    m_items.erase(m_items.begin() + row);
    refresh();
    Q_EMIT changed();
}

void AttachmentList::clear()
{
    m_items.clear();
    refresh();
    Q_EMIT changed();
}

qint64 AttachmentList::totalSize() const
{
    qint64 total = 0;
    for (const auto &a : m_items)
        total += a.data.size();
    return total;
}

void AttachmentList::setSizeLimit(qint64 bytes)
{
    m_limit = bytes;
    refresh();
}

bool AttachmentList::exceedsLimit() const
{
    // base64 turns 3 bytes into 4 plus a CRLF every 76 characters.
    return m_limit > 0 && totalSize() * 4 / 3 * 78 / 76 > m_limit;
}

void AttachmentList::refresh()
{
    const QLocale locale;
    m_list->clear();
    for (const auto &a : m_items) {
        const QString size = locale.formattedDataSize(a.data.size());
        auto *item = new QListWidgetItem(QIcon::fromTheme(QStringLiteral("mail-attachment")),
                                         tr("%1 (%2)").arg(a.fileName, size), m_list);
        item->setToolTip(tr("Type: %1").arg(QString::fromLatin1(a.mimeType)));
    }
    // As tall as its rows (up to four), so that one attachment does not take the text's room.
    if (!m_items.empty()) {
        const int rows = std::min(count(), 4);
        m_list->setFixedHeight(rows * std::max(m_list->sizeHintForRow(0), m_list->fontMetrics().height() + 4)
                               + 2 * m_list->frameWidth() + 2);
    }
    m_list->setVisible(!m_items.empty());
    m_remove->setVisible(!m_items.empty());
    m_summary->setText(m_items.empty()
                           ? tr("No attachments. Drop files here or use Attach.")
                           : (count() == 1 ? tr("1 attachment, %1") : tr("%n attachments, %1", nullptr, count()))
                                 .arg(locale.formattedDataSize(totalSize())));
    m_warning->setText(tr("The attachments are larger than the %1 the outgoing server accepts: the server will "
                          "probably refuse this message.")
                           .arg(locale.formattedDataSize(m_limit)));
    m_warning->setVisible(exceedsLimit());
}

QStringList AttachmentList::localFiles(const QMimeData *data)
{
    QStringList files;
    if (!data || !data->hasUrls())
        return files;
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files << url.toLocalFile();
    }
    return files;
}

} // namespace tern::ui
