#include "views/timelinespans.h"

#include "views/models/tracelistmodel.h"

#include <QCoreApplication>
#include <QPainter>

#include <algorithm>
#include <array>
#include <climits>

namespace rw {

namespace {

constexpr qreal kBarMax = 16;  // bar height at most
constexpr qreal kBarMin = 3;   // a step of a few milliseconds still shows
constexpr qreal kFork = 6;     // the decision point's fork
constexpr qreal kReach = 12;   // how far a badge, fork or selection ring stands out of its bar
constexpr int kArcPiecesMax = 96; // an arc back to a step: straight pieces of about 6 px, every other one drawn

qreal laneCenter(const TimelineSpanPainter::Scene& s, int lane)
{
    return s.plot.top() + s.laneHeight * (lane + 0.5);
}

} // namespace

ActionTypePaint actionTypePaint(std::size_t kind, std::size_t count)
{
    if (count == 0 || kind + 1 >= count)
        return {QColor(0x99, 0x99, 0x99), Qt::Dense5Pattern}; // other: grey and dotted, never plain like observe
    // Okabe-Ito, without the yellow that vanishes on white
    static const std::array<QColor, 6> kColors = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                                  QColor(0xD5, 0x5E, 0x00), QColor(0xCC, 0x79, 0xA7),
                                                  QColor(0x00, 0x9E, 0x73), QColor(0x56, 0xB4, 0xE9)};
    static const std::array<Qt::BrushStyle, 6> kPatterns = {Qt::NoBrush,    Qt::BDiagPattern, Qt::DiagCrossPattern,
                                                            Qt::Dense6Pattern, Qt::HorPattern, Qt::FDiagPattern};
    return {kColors[kind % kColors.size()], kPatterns[(kind + kind / kColors.size()) % kPatterns.size()]};
}

void TimelineSpanPainter::setStyle(const QPalette& palette, std::size_t kinds)
{
    const bool light = palette.color(QPalette::Base).lightnessF() > 0.5;
    m_fills.clear();
    m_patterns.clear();
    for (std::size_t k = 0; k < kinds; ++k) {
        const ActionTypePaint a = actionTypePaint(k, kinds);
        m_fills.emplace_back(a.color);
        // the pattern in a shade that stands off the fill
        m_patterns.emplace_back(a.color.lightnessF() > 0.55 ? QColor(20, 20, 20, 150) : QColor(255, 255, 255, 190), a.pattern);
    }
    m_outline = QPen(light ? QColor(40, 40, 40) : QColor(230, 230, 230), 1);
    m_selected = QPen(palette.color(QPalette::Highlight), 2.5);
    m_link = QPen(palette.color(QPalette::WindowText), 1.2);
    m_fork = QPen(palette.color(QPalette::WindowText), 1.6);
    // a stall is an empty stretch, not a bar: a faint wash with dashed edges
    // (no hatching, which the modify lane uses)
    QColor wash = palette.color(QPalette::Mid);
    wash.setAlphaF(0.12);
    m_stall = QBrush(wash);
    m_stallEdge = QPen(palette.color(QPalette::Mid), 1); // solid: a dashed stroke allocates
    m_stallText = palette.color(QPalette::WindowText);
}

void TimelineSpanPainter::setStalls(const std::vector<TimelineStall>& stalls, const QFont& font)
{
    m_stallLabels.clear();
    for (const TimelineStall& st : stalls) {
        QStaticText& t = m_stallLabels.emplace_back(st.label);
        t.setTextFormat(Qt::PlainText);
        t.prepare(QTransform(), font);
    }
}

QRectF TimelineSpanPainter::barRect(const Scene& s, const TimelineMark& m)
{
    const qreal h = std::clamp(s.laneHeight * 0.5, 6.0, kBarMax);
    const qreal x0 = s.plot.left() + s.geometry->xForTime(m.start);
    qreal x1 = s.plot.left() + s.geometry->xForTime(m.t);
    if (x1 - x0 < kBarMin)
        x1 = x0 + kBarMin;
    return QRectF(x0, laneCenter(s, m.lane) - h / 2, x1 - x0, h);
}

void TimelineSpanPainter::paint(QPainter& p, const Scene& s, const QRectF& exposed) const
{
    const TimelineContent& c = *s.content;
    const TimelineGeometry& g = *s.geometry;
    // stalls first, behind the bars
    for (std::size_t i = 0; i < c.stalls.size(); ++i) {
        const TimelineStall& st = c.stalls[i];
        const qreal x0 = s.plot.left() + g.xForTime(st.t0), x1 = s.plot.left() + g.xForTime(st.t1);
        if (x1 < exposed.left() || x0 > exposed.right())
            continue;
        const QRectF r(x0, s.plot.top() + 1, x1 - x0, s.plot.height() - 2);
        p.fillRect(r.toAlignedRect(), m_stall); // whole pixels: a fractional translucent fill allocates
        p.setPen(m_stallEdge);
        p.drawLine(QPointF(x0, r.top()), QPointF(x0, r.bottom()));
        p.drawLine(QPointF(x1, r.top()), QPointF(x1, r.bottom()));
        if (i < m_stallLabels.size() && m_stallLabels[i].size().width() + 6 < r.width()) {
            p.setPen(m_stallText);
            const QSizeF size = m_stallLabels[i].size();
            p.drawStaticText(QPointF(r.center().x() - size.width() / 2, r.top() + 2), m_stallLabels[i]);
        }
    }
    // the visible marks: every bar ending after the exposed start and starting
    // before its end (the margin: a badge, the fork and the selection ring stand out of a bar)
    const std::int64_t tStart = g.timeForX(exposed.left() - s.plot.left() - kReach);
    const std::int64_t tEnd = g.timeForX(exposed.right() - s.plot.left() + kReach);
    auto it = std::lower_bound(c.marks.begin(), c.marks.end(), tStart, [](const TimelineMark& m, std::int64_t t) { return m.t < t; });
    const TimelineMark* selected = nullptr;
    int lastColumn = INT_MIN, lastLane = -1;
    for (; it != c.marks.end() && it->t - c.longestStep <= tEnd; ++it) {
        if (it->start > tEnd)
            continue;
        const bool isSelected = static_cast<std::int64_t>(it->event) == s.selectedEvent;
        if (isSelected)
            selected = &*it;
        QRectF r = barRect(s, *it);
        // thousands of steps in one pixel column of a lane add nothing: one bar
        if (static_cast<int>(r.right()) == lastColumn && it->lane == lastLane && !isSelected && !it->anomaly)
            continue;
        lastColumn = static_cast<int>(r.right());
        lastLane = it->lane;
        if (r.width() >= 4)
            r.setRight(r.right() - 1); // steps back to back stay apart
        p.setPen(m_outline);
        p.setBrush(m_fills[std::min<std::size_t>(it->kind, m_fills.size() - 1)]);
        p.drawRect(r);
        const QBrush& pattern = m_patterns[std::min<std::size_t>(it->kind, m_patterns.size() - 1)];
        if (pattern.style() != Qt::NoBrush)
            p.fillRect(r.adjusted(1, 1, -1, -1), pattern);
        if (it->alternatives > 0) { // a fork above the bar's start: the agent chose among options here
            const QPointF base(r.left() + 1, r.top() - 1);
            p.setPen(m_fork);
            p.drawLine(base, base - QPointF(0, kFork * 0.6));
            p.drawLine(base - QPointF(0, kFork * 0.6), base + QPointF(-kFork * 0.6, -kFork * 1.3));
            p.drawLine(base - QPointF(0, kFork * 0.6), base + QPointF(kFork * 0.6, -kFork * 1.3));
        }
        // the badge on the bar's top right corner: its own step's, not the next one's
        if (it->anomaly && s.badges)
            paintMarker(p, (*s.badges)[it->anomaly - 1u], QPointF(r.right() - 3, r.top() - 2));
    }
    // arcs back to the step an agent returned to: over the bars, from the
    // chosen step's end to the step that resumed from it, with an arrowhead
    p.setBrush(Qt::NoBrush);
    for (const TimelineLink& l : c.links) {
        const QRectF a = barRect(s, c.marks[l.from]), b = barRect(s, c.marks[l.to]);
        if (std::max(a.right(), b.left()) < exposed.left() || std::min(a.right(), b.left()) > exposed.right())
            continue;
        // from the top of the step gone back to, over the bars, into the left
        // end of the step that resumed from it (the fork stays above that end)
        const QPointF from(a.left() + a.width() / 2, a.top()), to(b.left() - 2, b.center().y());
        const qreal rise = std::min(std::max(10.0, std::abs(to.x() - from.x()) * 0.15), std::max(10.0, s.laneHeight * 0.45));
        const qreal lead = std::max<qreal>(14, std::abs(to.x() - from.x()) * 0.2);
        // flattened here and dashed by leaving every other piece out: a
        // dashed or curved stroke makes QPainter allocate for each arc
        const QPointF c1 = from - QPointF(0, rise), c2(to.x() - lead, std::min(to.y(), from.y()) - rise);
        const auto at = [&](qreal u) {
            const qreal v = 1 - u;
            return v * v * v * from + 3 * v * v * u * c1 + 3 * v * u * u * c2 + u * u * u * to;
        };
        const int pieces = std::clamp(static_cast<int>(QLineF(from, to).length() / 6) / 2 * 2, 8, kArcPiecesMax);
        std::array<QLineF, kArcPiecesMax / 2> dashes;
        for (int i = 0; i < pieces; i += 2)
            dashes[static_cast<std::size_t>(i / 2)] = QLineF(at(qreal(i) / pieces), at(qreal(i + 1) / pieces));
        p.setPen(m_link);
        p.drawLines(dashes.data(), pieces / 2);
        p.setPen(m_fork);
        p.drawLine(to, to + QPointF(-4, -4)); // the arrowhead, pointing into the bar
        p.drawLine(to, to + QPointF(-4, 4));
    }
    if (selected) {
        p.setPen(m_selected);
        p.setBrush(Qt::NoBrush);
        p.drawRect(barRect(s, *selected).adjusted(-3, -3, 3, 3));
    }
}

void TimelineSpanPainter::paintSwatch(QPainter& p, const QRectF& r, std::size_t kind) const
{
    if (m_fills.empty())
        return;
    p.setPen(m_outline);
    p.setBrush(m_fills[std::min(kind, m_fills.size() - 1)]);
    p.drawRect(r);
    const QBrush& pattern = m_patterns[std::min(kind, m_patterns.size() - 1)];
    if (pattern.style() != Qt::NoBrush)
        p.fillRect(r.adjusted(1, 1, -1, -1), pattern);
}

int TimelineSpanPainter::markAt(const Scene& s, QPointF pos) const
{
    const TimelineContent& c = *s.content;
    const std::int64_t t0 = s.geometry->timeForX(pos.x() - s.plot.left() - kBarMin * 2);
    const std::int64_t t1 = s.geometry->timeForX(pos.x() - s.plot.left() + kBarMin * 2);
    auto it = std::lower_bound(c.marks.begin(), c.marks.end(), t0, [](const TimelineMark& m, std::int64_t t) { return m.t < t; });
    int hit = -1; // the last one: bars painted later lie on top
    for (; it != c.marks.end() && it->t - c.longestStep <= t1; ++it) {
        const QRectF r = barRect(s, *it);
        // the bar with a little slack, and the fork above it
        if (r.adjusted(-2, -2 - (it->alternatives ? kFork * 1.5 : 0), 2, 2).contains(pos))
            hit = static_cast<int>(it - c.marks.begin());
    }
    return hit;
}

} // namespace rw
