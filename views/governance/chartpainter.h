#pragma once

// Draws a ChartGeometry: on a QPainter (the window, the PNG export) and as
// SVG text (the SVG export, without Qt SVG): the same parts, colours and
// patterns. Series differ by colour (Okabe-Ito, safe for colour-blind
// readers) and by dash pattern and marker shape, so they differ in grey too.
#include "views/governance/chartgeometry.h"

#include <QColor>
#include <QString>

#include <string>
#include <vector>

class QPainter;
class QPalette;

namespace rw {

struct ChartStyle
{
    QColor background, text, grid, axis;
    std::vector<QColor> series;
};

ChartStyle chartStyle(const QPalette& palette);

// `highlight`: a point to ring (the one under the pointer), or none
void paintChart(QPainter& painter, const ChartGeometry& g, const ChartStyle& style,
                ChartGeometry::Hit highlight = {});

// a standalone SVG document of the chart; `title` its <title> (escaped)
std::string chartSvg(const ChartGeometry& g, const ChartStyle& style, const QString& title);

} // namespace rw
