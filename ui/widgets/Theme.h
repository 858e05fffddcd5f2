#pragma once

#include "core/model/DeliveryResult.h"

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPalette>

class QApplication;

namespace kbatch::ui {

// Look and feel in one place: Fusion with a tuned light or dark palette, the status colours that read well on both,
// and icons (freedesktop theme names with our bundled SVGs as the fallback).
namespace Theme {

enum class Mode { Light, Dark };

void apply(Mode mode); // sets Fusion, the palette and a small style sheet on qApp
Mode current();        // derived from the application palette, so it follows whatever was applied
QPalette palette(Mode mode);

QColor statusColor(core::DeliveryStatus status);
QIcon statusIcon(core::DeliveryStatus status);
// Marks what cannot be sent as it is (a JSON value that is not valid JSON): red, a triangle with "!".
QIcon invalidIcon();
QString statusLabel(core::DeliveryStatus status); // translated
QColor mutedTextColor();
QColor accentColor();

// An action icon: the desktop theme's, else ours from :/icons/<fallback>.svg.
QIcon icon(const QString &themeName, const QString &fallback);
QIcon appIcon();

QFont monospaceFont();

// Registers the bundled icons and templates (a static library's resources must be pulled in explicitly).
void initResources();

} // namespace Theme
} // namespace kbatch::ui
