#pragma once

// Where the permission heatmap puts things (a value, tested without
// painting): agent labels on the left, permission labels on top (rotated),
// a square cell per agent × permission. Finding the cells of an exposed
// rectangle, or under the mouse, is arithmetic, never a search.
#include <QPoint>
#include <QRect>

namespace rw {

struct HeatmapGeometry
{
    int rows = 0, columns = 0;
    int labelWidth = 160;  // agent names
    int headerHeight = 120; // permission names, at 60 degrees
    int cell = 22;
    int rightMargin = 0;    // where the last names lean past the last column

    QSize size() const { return {labelWidth + columns * cell + 1 + rightMargin, headerHeight + rows * cell + 1}; }
    QRect cellRect(int row, int column) const
    {
        return {labelWidth + column * cell, headerHeight + row * cell, cell, cell};
    }
    // the cell at `p`, or false
    bool cellAt(QPoint p, int* row, int* column) const;
    // the rows and columns a rectangle touches, as [first, last) ranges (empty when none)
    struct Range
    {
        int firstRow = 0, endRow = 0, firstColumn = 0, endColumn = 0;
    };
    Range visible(const QRect& exposed) const;
};

} // namespace rw
