// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the main-window tests share: a notifier that records instead of showing, and finding a row.
#include "models/messagelistmodel.h"
#include "newmailnotifier.h"

#include <QAbstractItemModel>
#include <QList>
#include <QString>

namespace tern::test {

struct Note
{
    QString summary, body;
};

// Records each desktop notification the window would show.
class StubNotifier : public ui::Notifier
{
public:
    explicit StubNotifier(QList<Note> *notes) : m_notes(notes) { }
    void notify(const QString &summary, const QString &body) override { m_notes->append({summary, body}); }

private:
    QList<Note> *m_notes;
};

// The first row of a message list whose subject is this, or -1.
inline int rowWithSubject(const QAbstractItemModel *model, const QString &subject)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, models::MessageListModel::SubjectColumn).data().toString() == subject)
            return row;
    }
    return -1;
}

} // namespace tern::test
