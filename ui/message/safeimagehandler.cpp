// SPDX-License-Identifier: GPL-3.0-or-later
#include "message/safeimagehandler.h"

#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QTextDocument>
#include <QTextFormat>
#include <QUrl>

namespace tern::ui {

namespace {
constexpr qreal kPlaceholder = 16; // a blocked or broken image keeps a small box, as mail clients show
constexpr int kMaxSide = 8192;     // a declared 1,000,000 px image must not make the layout that large
}

QImage SafeImageHandler::image(QTextDocument *doc, const QTextImageFormat &format)
{
    const QVariant data = doc->resource(QTextDocument::ImageResource, QUrl(format.name()));
    QImage image;
    if (data.userType() == QMetaType::QImage)
        image = data.value<QImage>();
    else if (data.userType() == QMetaType::QPixmap)
        image = data.value<QPixmap>().toImage();
    else if (data.userType() == QMetaType::QByteArray)
        image = QImage::fromData(data.toByteArray());
    return image;
}

QSizeF SafeImageHandler::intrinsicSize(QTextDocument *doc, int, const QTextFormat &format)
{
    const QTextImageFormat f = format.toImageFormat();
    qreal w = f.hasProperty(QTextFormat::ImageWidth) ? f.width() : -1;
    qreal h = f.hasProperty(QTextFormat::ImageHeight) ? f.height() : -1;
    if (w < 0 || h < 0) {
        const QImage img = image(doc, f);
        if (img.isNull()) {
            w = w < 0 ? (h < 0 ? kPlaceholder : h) : w;
            h = h < 0 ? w : h;
        } else if (w < 0 && h < 0) {
            w = img.width();
            h = img.height();
        } else if (w < 0) {
            w = img.height() ? h * img.width() / img.height() : h;
        } else {
            h = img.width() ? w * img.height() / img.width() : w;
        }
    }
    return {std::min<qreal>(w, kMaxSide), std::min<qreal>(h, kMaxSide)};
}

void SafeImageHandler::drawObject(QPainter *painter, const QRectF &rect, QTextDocument *doc, int,
                                  const QTextFormat &format)
{
    const QImage img = image(doc, format.toImageFormat());
    if (!img.isNull()) {
        painter->drawImage(rect, img);
        return;
    }
    if (rect.width() < 4 || rect.height() < 4)
        return; // a 1×1 tracking pixel stays invisible
    painter->save();
    painter->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    painter->drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    painter->restore();
}

} // namespace tern::ui
