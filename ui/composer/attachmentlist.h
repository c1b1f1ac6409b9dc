// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "mime/composer.h"

#include <QWidget>

#include <vector>

class QLabel;
class QListWidget;
class QMimeData;
class QPushButton;

namespace tern::ui {

// The composer's attachments: each listed with its size, removable; the total shown, with a warning when
// it passes the outgoing server's SIZE limit (RFC 1870) where that is known.
class AttachmentList : public QWidget
{
    Q_OBJECT

public:
    explicit AttachmentList(QWidget *parent = nullptr);

    // Reads the file now (a later change on disk does not change the message); false with a reason on failure.
    bool addFile(const QString &path, QString *error = nullptr);
    void add(mime::OutgoingAttachment attachment);
    void removeAt(int row);
    void clear();
    const std::vector<mime::OutgoingAttachment> &attachments() const { return m_items; }
    int count() const { return int(m_items.size()); }
    qint64 totalSize() const;

    // 0: unknown. The encoded message is about 4/3 of the attachments' size (base64), which is what the
    // server counts.
    void setSizeLimit(qint64 bytes);
    bool exceedsLimit() const;

    QListWidget *list() const { return m_list; }
    QLabel *warning() const { return m_warning; }
    QPushButton *removeButton() const { return m_remove; }

    // The local files a drag carries (none for text, web links or remote files).
    static QStringList localFiles(const QMimeData *data);

Q_SIGNALS:
    void changed();

private:
    void refresh();

    QListWidget *m_list = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_warning = nullptr;
    QPushButton *m_remove = nullptr;
    std::vector<mime::OutgoingAttachment> m_items;
    qint64 m_limit = 0;
};

} // namespace tern::ui
