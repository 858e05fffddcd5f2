#pragma once

#include <QIconEngine>

namespace kbatch::ui {

// One of our monochrome action icons (:/icons/*.svg, drawn in the ink colour #5b6470), painted in the ink of the
// palette in use when it is painted: a fixed grey was barely visible on the dark palette (the Message dock's header
// buttons, the toolbar), and icons made once at start must follow a later switch of palette.
class InkIconEngine : public QIconEngine
{
public:
    explicit InkIconEngine(const QString &svgPath);

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    QIconEngine *clone() const override;
    QString key() const override;
    bool isNull() override;

    // The colour the ink is drawn in for a mode, from the application palette.
    static QColor inkColor(QIcon::Mode mode);

private:
    QString m_path;
};

} // namespace kbatch::ui
