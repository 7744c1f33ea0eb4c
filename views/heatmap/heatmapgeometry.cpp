#include "views/heatmap/heatmapgeometry.h"

#include <algorithm>

namespace rw {

bool HeatmapGeometry::cellAt(QPoint p, int* row, int* column) const
{
    if (cell <= 0 || p.x() < labelWidth || p.y() < headerHeight)
        return false;
    const int c = (p.x() - labelWidth) / cell;
    const int r = (p.y() - headerHeight) / cell;
    if (r >= rows || c >= columns)
        return false;
    *row = r;
    *column = c;
    return true;
}

HeatmapGeometry::Range HeatmapGeometry::visible(const QRect& exposed) const
{
    Range r;
    if (cell <= 0)
        return r;
    const auto clampTo = [](int v, int hi) { return std::clamp(v, 0, hi); };
    r.firstRow = clampTo((exposed.top() - headerHeight) / cell, rows);
    r.endRow = clampTo((exposed.bottom() - headerHeight) / cell + 1, rows);
    r.firstColumn = clampTo((exposed.left() - labelWidth) / cell, columns);
    r.endColumn = clampTo((exposed.right() - labelWidth) / cell + 1, columns);
    if (exposed.bottom() < headerHeight)
        r.endRow = r.firstRow; // only the header is exposed: no cell row
    if (exposed.right() < labelWidth)
        r.endColumn = r.firstColumn;
    return r;
}

} // namespace rw
