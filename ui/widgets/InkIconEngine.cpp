#include "ui/widgets/InkIconEngine.h"

#include <QApplication>
#include <QFile>
#include <QPainter>
#include <QPalette>
#include <QPixmapCache>
#include <QSvgRenderer>

namespace kbatch::ui {

namespace {
// The colour the bundled icons are drawn in; it is replaced by the palette's ink.
constexpr char DrawnInk[] = "#5b6470";

QByteArray inkedSvg(const QString &path, const QColor &ink)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().replace(DrawnInk, ink.name().toLatin1());
}
} // namespace

InkIconEngine::InkIconEngine(const QString &svgPath) : m_path(svgPath) {}

QColor InkIconEngine::inkColor(QIcon::Mode mode)
{
    const QPalette p = QApplication::palette();
    if (mode == QIcon::Disabled)
        return p.color(QPalette::Disabled, QPalette::ButtonText);
    // Between the text and the window colour, as the grey was on the light palette: quieter than the text, and
    // well over 3:1 against the window and buttons on both palettes.
    const QColor text = p.color(QPalette::ButtonText), window = p.color(QPalette::Window);
    const bool dark = window.lightness() < 128;
    const qreal t = dark ? 0.2 : 0.25; // how far from the text towards the window
    return QColor::fromRgbF(float(text.redF() + (window.redF() - text.redF()) * t),
                            float(text.greenF() + (window.greenF() - text.greenF()) * t),
                            float(text.blueF() + (window.blueF() - text.blueF()) * t));
}

void InkIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State)
{
    QSvgRenderer renderer(inkedSvg(m_path, inkColor(mode)));
    renderer.render(painter, rect);
}

QPixmap InkIconEngine::pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state)
{
    return scaledPixmap(size, mode, state, 1.0);
}

QPixmap InkIconEngine::scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale)
{
    const QColor ink = inkColor(mode);
    const QSize pixels = size * scale;
    const QString cacheKey =
        QStringLiteral("kbatch-ink:%1:%2:%3x%4").arg(m_path, ink.name()).arg(pixels.width()).arg(pixels.height());
    QPixmap out;
    if (QPixmapCache::find(cacheKey, &out))
        return out;
    out = QPixmap(pixels);
    out.fill(Qt::transparent);
    {
        QPainter painter(&out);
        paint(&painter, QRect(QPoint(0, 0), pixels), mode, state);
    }
    out.setDevicePixelRatio(scale);
    QPixmapCache::insert(cacheKey, out);
    return out;
}

QSize InkIconEngine::actualSize(const QSize &size, QIcon::Mode, QIcon::State)
{
    return size;
}

QIconEngine *InkIconEngine::clone() const
{
    return new InkIconEngine(m_path);
}

QString InkIconEngine::key() const
{
    return QStringLiteral("KBatchInkIconEngine");
}

bool InkIconEngine::isNull()
{
    return !QFile::exists(m_path);
}

} // namespace kbatch::ui
