#pragma once

// Where a governance chart's parts lie for a given size: the plot area, the
// axes' ticks and labels, one polyline per series, the legend, and which
// point lies under the pointer. A tested value type (like TimelineGeometry):
// the widget paints it and the SVG export writes it, so both show the same.
#include "replay/analysis/governanceseries.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <functional>
#include <vector>

namespace rw {

struct ChartGeometry
{
    struct Tick
    {
        double pos = 0; // x or y in the chart's coordinates
        QString label;
        double labelX = 0; // x ticks: the label's left edge, kept inside the chart
    };
    struct Line
    {
        std::vector<QPointF> points; // one per bucket
        std::vector<bool> counted;   // whether the bucket holds anything (a zero has no traces behind it)
        int series = 0;
    };
    struct LegendItem
    {
        QRectF swatch;
        QPointF textAt; // baseline start
        QString text;
        int series = 0;
    };
    // which bucket of which series a point is
    struct Hit
    {
        int bucket = -1;
        int series = -1;
        bool valid() const { return bucket >= 0 && series >= 0; }
    };

    QSizeF size;
    QRectF plot;
    QString title, footer; // exports: what the chart shows, and where it comes from
    QPointF titleAt, footerAt; // their baselines' starts
    std::vector<Tick> xTicks, yTicks;
    std::vector<Line> lines;
    std::vector<LegendItem> legend;
    std::int64_t yMax = 0; // the top of the y axis
    QString emptyText;     // shown instead of lines when there is nothing to draw

    // the counted point nearest `at` within `radius` (pixels), preferring the
    // series drawn last where points coincide; zeros are never hit
    Hit hitTest(QPointF at, double radius = 8) const;
};

// The layout of `data` in `size`; `textWidth` measures a label in the font
// it will be drawn with, `lineHeight` its height. A title and a footer (for
// exports, which travel without the window) take a line each.
ChartGeometry layoutChart(const analysis::GovernanceChartData& data, QSizeF size,
                          const std::function<double(const QString&)>& textWidth, double lineHeight,
                          const QString& title = {}, const QString& footer = {});

// The label of a bucket's start as the tooltip writes it ("2026-03-05 14:00",
// "2026-03-05", "week of 2026-03-02"); on the x axis an hour is "14:00", with
// its date where the day changes (or at the first tick)
QString bucketLabel(const analysis::GovernanceChartData& data, std::size_t bucket);

// the legend's name of a series ("prod-triage", "(no agent)", "12 others")
QString seriesLabel(const analysis::GovernanceChartData& data, const analysis::GovernanceSeries& s);

} // namespace rw
