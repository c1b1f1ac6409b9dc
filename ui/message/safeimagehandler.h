// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QTextObjectInterface>

class QTextDocument;
class QTextImageFormat;

namespace tern::ui {

// Draws <img> for SafeBrowser from QTextDocument::resource() only, i.e. from SafeBrowser::loadResource().
// Qt's own image handler falls back to opening the image's name as a local file when the resource gives
// nothing, which would let a message show (and so probe) files on this machine.
class SafeImageHandler : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    using QObject::QObject;

    QSizeF intrinsicSize(QTextDocument *doc, int posInDocument, const QTextFormat &format) override;
    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *doc, int posInDocument,
                    const QTextFormat &format) override;

    static QImage image(QTextDocument *doc, const QTextImageFormat &format);
};

} // namespace tern::ui
