// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace tern::mime {
class Message;
struct DeliveryPath;
}

namespace tern::ui {

// How the message travelled: one row per Received hop, oldest first (host names and the address each
// receiver saw, protocol, TLS, the delay since the previous hop), the receiving server's SPF/DKIM/DMARC
// verdicts, and plain-language warnings where the chain looks forged or damaged. Built by
// mime::deliveryPath(); this only shows it.
class DeliveryPathView : public QWidget
{
    Q_OBJECT

public:
    explicit DeliveryPathView(QWidget *parent = nullptr);

    void setMessage(const mime::Message &message);
    void setPath(const mime::DeliveryPath &path);

    QTreeWidget *hopList() const { return m_hops; }
    QLabel *summaryLabel() const { return m_summary; }
    QLabel *authLabel() const { return m_auth; }

    static QString durationText(qint64 seconds);

private:
    QLabel *m_summary = nullptr;
    QLabel *m_auth = nullptr;
    QTreeWidget *m_hops = nullptr;
};

class DeliveryPathDialog : public QDialog
{
    Q_OBJECT

public:
    explicit DeliveryPathDialog(const QByteArray &raw, QWidget *parent = nullptr);
    DeliveryPathView *view() const { return m_view; }

private:
    DeliveryPathView *m_view = nullptr;
};

} // namespace tern::ui
