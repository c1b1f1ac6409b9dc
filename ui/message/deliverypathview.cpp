// SPDX-License-Identifier: GPL-3.0-or-later
#include "message/deliverypathview.h"

#include "mime/deliverypath.h"
#include "mime/message.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace tern::ui {

namespace {

enum Column { HopColumn, FromColumn, ByColumn, ProtocolColumn, TlsColumn, DelayColumn, TimeColumn, NotesColumn };

QString verdictText(const QString &method, const QString &verdict)
{
    const QString shown = verdict.isEmpty() ? DeliveryPathView::tr("not checked") : verdict;
    const bool pass = verdict == QLatin1StringView("pass");
    const bool bad = verdict == QLatin1StringView("fail") || verdict == QLatin1StringView("softfail")
                     || verdict == QLatin1StringView("permerror");
    const QString mark = pass ? QStringLiteral("✔") : bad ? QStringLiteral("✘") : QStringLiteral("–");
    return QStringLiteral("<b>%1</b> %2 %3").arg(method, mark, shown.toHtmlEscaped());
}

} // namespace

DeliveryPathView::DeliveryPathView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("deliveryPathView"));
    setAccessibleName(tr("Delivery path"));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("deliverySummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_auth = new QLabel;
    m_auth->setObjectName(QStringLiteral("deliveryAuth"));
    m_auth->setTextFormat(Qt::RichText); // values are escaped
    m_auth->setWordWrap(true);
    m_hops = new QTreeWidget;
    m_hops->setObjectName(QStringLiteral("deliveryHops"));
    m_hops->setAccessibleName(tr("Hops"));
    m_hops->setRootIsDecorated(false);
    m_hops->setWordWrap(true);
    m_hops->setHeaderLabels({tr("#"), tr("From"), tr("Received by"), tr("With"), tr("TLS"), tr("Delay"), tr("Time"),
                             tr("Notes")});
    m_hops->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_hops->header()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_auth);
    layout->addWidget(m_hops, 1);
}

QString DeliveryPathView::durationText(qint64 seconds)
{
    if (seconds < 0)
        return tr("−%1").arg(durationText(-seconds));
    if (seconds < 120)
        return tr("%n s", nullptr, int(seconds));
    if (seconds < 2 * 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 2 * 86400)
        return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return tr("%n day(s)", nullptr, int(seconds / 86400));
}

void DeliveryPathView::setMessage(const mime::Message &message)
{
    setPath(mime::deliveryPath(message));
}

void DeliveryPathView::setPath(const mime::DeliveryPath &path)
{
    m_hops->clear();
    QStyle *style = QApplication::style();
    int tlsHops = 0;
    bool suspicious = false;
    for (size_t i = 0; i < path.hops.size(); ++i) {
        const mime::DeliveryHop &h = path.hops[i];
        QString from = h.fromHost.isEmpty() ? tr("(unnamed)") : h.fromHost;
        if (!h.fromAddress.isEmpty())
            from += QStringLiteral(" [%1]").arg(h.fromAddress);
        if (!h.hop.from.isEmpty() && h.hop.from.compare(h.fromHost, Qt::CaseInsensitive) != 0)
            from += tr("\ncalled itself %1").arg(h.hop.from);
        QStringList notes;
        if (h.notes & mime::DeliveryHop::ChainBreak)
            notes << tr("Does not continue from the previous hop: the hops before it may have been made up by the sender.");
        if (h.notes & mime::DeliveryHop::TimeWentBack)
            notes << tr("Dated before the previous hop.");
        if (h.notes & mime::DeliveryHop::InFuture)
            notes << tr("Dated after the message arrived.");
        if (h.notes & mime::DeliveryHop::MissingDate)
            notes << tr("No readable date.");
        if (h.notes & (mime::DeliveryHop::ChainBreak | mime::DeliveryHop::TimeWentBack | mime::DeliveryHop::InFuture))
            suspicious = true;
        if (h.hop.tls)
            ++tlsHops;
        QString tls = h.hop.tls ? tr("yes") : tr("no");
        if (!h.hop.tlsDetails.isEmpty()) // the version here, the cipher in the tooltip
            tls += QStringLiteral(" (%1)").arg(h.hop.tlsDetails.section(QLatin1Char(' '), 0, 0));
        auto *item = new QTreeWidgetItem(m_hops);
        item->setText(HopColumn, QString::number(i + 1));
        item->setText(FromColumn, from);
        item->setText(ByColumn, h.hop.by);
        item->setText(ProtocolColumn, h.hop.with);
        item->setText(TlsColumn, tls);
        item->setIcon(TlsColumn, style->standardIcon(h.hop.tls ? QStyle::SP_DialogApplyButton : QStyle::SP_MessageBoxWarning));
        item->setText(DelayColumn, h.hop.delaySeconds >= 0 && i > 0 ? durationText(h.hop.delaySeconds)
                                   : i == 0                         ? QString()
                                                                    : tr("unknown"));
        item->setText(TimeColumn, h.hop.timestamp.isValid()
                                      ? QLocale().toString(h.hop.timestamp.toLocalTime(), QLocale::ShortFormat)
                                      : tr("unknown"));
        item->setText(NotesColumn, notes.join(QLatin1Char(' ')));
        if (!notes.isEmpty() && (h.notes & ~unsigned(mime::DeliveryHop::MissingDate)))
            item->setIcon(NotesColumn, style->standardIcon(QStyle::SP_MessageBoxWarning));
        item->setToolTip(FromColumn, h.hop.fromDetails);
        item->setToolTip(TlsColumn, h.hop.tlsDetails);
    }

    QStringList summary;
    if (path.hops.empty()) {
        summary << tr("This message has no Received fields: it did not come through a mail server, or they were removed.");
    } else {
        summary << (path.hops.size() == 1 ? tr("1 hop") : tr("%1 hops").arg(path.hops.size()));
        if (path.totalSeconds >= 0)
            summary.last() += tr(" in %1").arg(durationText(path.totalSeconds));
        summary << tr("TLS on %1 of %2").arg(tlsHops).arg(path.hops.size());
        if (path.submitDelaySeconds >= 0)
            summary << tr("first hop %1 after the Date the sender wrote").arg(durationText(path.submitDelaySeconds));
    }
    QString text = summary.join(QStringLiteral(" · ")) + QLatin1Char('.');
    if (suspicious)
        text += QLatin1Char('\n') + tr("⚠ Parts of this path look forged or damaged; only the last hops, added by your "
                                       "own provider, can be trusted.");
    m_summary->setText(text);

    if (!path.hasAuth) {
        m_auth->setText(tr("No Authentication-Results: the receiving server recorded no SPF, DKIM or DMARC checks."));
    } else {
        QString auth = QStringLiteral("%1 &nbsp; %2 &nbsp; %3<br>")
                           .arg(verdictText(QStringLiteral("SPF"), path.spf()), verdictText(QStringLiteral("DKIM"), path.dkim()),
                                verdictText(QStringLiteral("DMARC"), path.dmarc()));
        auth += (path.authMatchesReceiver ? tr("Checked by %1, the server that received the message.")
                                          : tr("Checked by %1, which is not the server that received the message: "
                                               "these results may have been written by the sender."))
                    .arg(path.auth.authservId)
                    .toHtmlEscaped();
        if (path.otherAuthHeaders > 0)
            auth += QStringLiteral("<br>")
                    + tr("%n further Authentication-Results field(s) below it were ignored.", nullptr, path.otherAuthHeaders)
                          .toHtmlEscaped();
        m_auth->setText(auth);
    }
}

DeliveryPathDialog::DeliveryPathDialog(const QByteArray &raw, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("deliveryPathDialog"));
    setWindowTitle(tr("Delivery Path"));
    m_view = new DeliveryPathView;
    m_view->setMessage(mime::Message(raw));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view);
    layout->addWidget(buttons);
    resize(1000, 380);
}

} // namespace tern::ui
