#pragma once

#include "views/styles.h"
#include "views/timelinecontent.h"
#include "views/timelinegeometry.h"

#include <QPalette>
#include <QStaticText>
#include <QRectF>

#include <array>
#include <vector>

class QPainter;

namespace rw {

// How an action type is drawn: a colour of the Okabe-Ito palette and a fill
// pattern, so that the bars read without colour vision too. Kind `count - 1`
// is "other" (grey, no pattern); the rest go round the palette in order.
struct ActionTypePaint
{
    QColor color;
    Qt::BrushStyle pattern = Qt::NoBrush;
};
ActionTypePaint actionTypePaint(std::size_t kind, std::size_t count);

// Paints a run trace's steps on the timeline: a bar per step from its start
// to its timestamp in its action type's lane, stalls as hatched gaps, decision
// points (steps with alternatives) as a fork above the bar's start, steps gone
// back to as dashed arcs, anomaly badges at a bar's end. Brushes and pens are
// made when the palette or the kinds change, none while painting.
class TimelineSpanPainter
{
public:
    struct Scene
    {
        const TimelineContent* content = nullptr;
        const TimelineGeometry* geometry = nullptr;
        QRectF plot;
        qreal laneHeight = 0;
        std::int64_t selectedEvent = -1;
        const std::array<MarkerPaint, 3>* badges = nullptr; // info, warn, critical
    };

    void setStyle(const QPalette& palette, std::size_t kinds);
    // the stall labels laid out once per trace (text laid out while
    // painting allocates for each)
    void setStalls(const std::vector<TimelineStall>& stalls, const QFont& font);
    // the bars of marks in `exposed` (time-sorted marks, found by binary search)
    void paint(QPainter& p, const Scene& scene, const QRectF& exposed) const;
    // the swatch of a lane's kind, beside its name
    void paintSwatch(QPainter& p, const QRectF& r, std::size_t kind) const;
    // the mark whose bar (or fork) is under `pos`, -1 if none
    int markAt(const Scene& scene, QPointF pos) const;
    // a bar's rectangle (tests and hit-testing)
    static QRectF barRect(const Scene& scene, const TimelineMark& m);

private:
    std::vector<QBrush> m_fills, m_patterns;
    QPen m_outline, m_selected, m_link, m_fork;
    QBrush m_stall;
    QPen m_stallEdge;
    std::vector<QStaticText> m_stallLabels;
    QColor m_stallText;
};

} // namespace rw
