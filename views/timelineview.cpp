#include "views/timelineview.h"

#include "app/text/plural.h"
#include "model/visibletext.h"
#include "views/models/tracelistmodel.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <unordered_map>

namespace rw {

namespace {

constexpr qreal kGutter = 118;  // lane labels
constexpr qreal kAxis = 34;     // time axis at the top
constexpr qreal kMarker = 6;    // marker radius
constexpr qreal kLaneMin = 22;

// tooltips: hidden characters of the values escaped
QString qstr(std::string_view s) { return visibleUtf8(s); }

} // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Trace timeline"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(0);
    connect(&m_refresh, &QTimer::timeout, this, qOverload<>(&QWidget::update));
}

void TimelineView::setTrace(const ReplayModel* model, const std::vector<std::uint32_t>& events,
                            const TimelineOptions& options)
{
    m_model = model;
    m_content = {};
    m_selected = -1;
    if (model && !events.empty())
        m_content = buildTimelineContent(*model, events, options);
    m_spans.setStalls(m_content.stalls, font());
    m_t0 = m_content.marks.empty() ? 0 : m_content.first;
    const std::int64_t t1 = m_content.marks.empty() ? 1 : m_content.last;
    // a little air on both sides so edge markers are not cut
    const std::int64_t pad = std::max<std::int64_t>(1, (t1 - m_t0) / 40);
    m_geometry.setWidth(plotRect().width());
    m_geometry.setRange(m_t0 - pad, t1 + pad);
    updateMarkerPaints();
    scheduleUpdate();
}

QRectF TimelineView::stepRect(std::uint32_t eventIndex) const
{
    if (!m_content.runSteps)
        return {};
    for (const TimelineMark& m : m_content.marks)
        if (m.event == eventIndex)
            return TimelineSpanPainter::barRect(spanScene(), m);
    return {};
}

TimelineSpanPainter::Scene TimelineView::spanScene() const
{
    const QRectF plot = plotRect();
    const qreal h = std::max(kLaneMin, plot.height() / std::max<qreal>(1, static_cast<qreal>(m_content.lanes.size())));
    return {&m_content, &m_geometry, plot, h, m_selected, &m_badgePaints};
}

void TimelineView::updateMarkerPaints()
{
    // the outline stands off the background: dark on a light theme, light on a dark one
    const QColor outline = palette().color(QPalette::Base).lightnessF() > 0.5 ? QColor(40, 40, 40) : QColor(230, 230, 230);
    m_spans.setStyle(palette(), m_content.kinds.size()); // its pens follow the highlight and text colours too
    if (outline == m_markerOutline)
        return;
    m_markerOutline = outline;
    for (std::size_t i = 0; i < kDecisionCount; ++i) {
        const BadgeStyle style = decisionStyle(static_cast<Decision>(i));
        m_markerPaints[i] = markerPaint(style.shape, kMarker, style.color, outline);
    }
    for (std::size_t i = 0; i < m_badgePaints.size(); ++i) {
        const BadgeStyle style = severityStyle(static_cast<int>(i));
        m_badgePaints[i] = markerPaint(style.shape, kMarker * 0.75, style.color, outline);
    }
}

int TimelineView::anomalyBadge(std::uint32_t eventIndex) const
{
    const auto it = std::find_if(m_content.marks.begin(), m_content.marks.end(), [&](const TimelineMark& m) { return m.event == eventIndex; });
    return it == m_content.marks.end() ? 0 : it->anomaly;
}

void TimelineView::setEventAnomalies(const std::vector<std::pair<std::uint32_t, std::uint8_t>>& worst)
{
    for (TimelineMark& m : m_content.marks)
        m.anomaly = 0;
    if (!worst.empty()) {
        std::unordered_map<std::uint32_t, std::uint8_t> byEvent(worst.begin(), worst.end());
        for (TimelineMark& m : m_content.marks)
            if (const auto it = byEvent.find(m.event); it != byEvent.end())
                m.anomaly = static_cast<std::uint8_t>(1 + std::min<std::uint8_t>(it->second, 2));
    }
    scheduleUpdate();
}

void TimelineView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        updateMarkerPaints();
        scheduleUpdate();
    }
    QWidget::changeEvent(event);
}

void TimelineView::setSelectedEvent(std::int64_t eventIndex)
{
    const auto it = std::find_if(m_content.marks.begin(), m_content.marks.end(),
                                 [&](const TimelineMark& m) { return static_cast<std::int64_t>(m.event) == eventIndex; });
    selectMark(it == m_content.marks.end() ? -1 : static_cast<int>(it - m_content.marks.begin()), false);
}

void TimelineView::selectMark(int mark, bool emitSignal)
{
    const std::int64_t event = mark < 0 ? -1 : m_content.marks[static_cast<std::size_t>(mark)].event;
    if (event == m_selected)
        return;
    m_selected = event;
    if (mark >= 0)
        m_geometry.ensureVisible(m_content.marks[static_cast<std::size_t>(mark)].t, 24);
    scheduleUpdate();
    if (emitSignal && mark >= 0)
        Q_EMIT eventSelected(static_cast<std::uint32_t>(event));
}

void TimelineView::scheduleUpdate()
{
    if (!m_refresh.isActive())
        m_refresh.start();
}

QRectF TimelineView::plotRect() const
{
    return QRectF(kGutter, kAxis, std::max<qreal>(10, width() - kGutter - 8), std::max<qreal>(10, height() - kAxis - 6));
}

qreal TimelineView::laneY(int lane) const
{
    const QRectF plot = plotRect();
    const qreal h = std::max(kLaneMin, plot.height() / std::max<qreal>(1, static_cast<qreal>(m_content.lanes.size())));
    return plot.top() + h * (lane + 0.5);
}

void TimelineView::paintAxis(QPainter& p, const QRectF& plot)
{
    const QPalette pal = palette();
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(plot.left(), plot.top() - 0.5), QPointF(plot.right(), plot.top() - 0.5));
    const std::int64_t step = m_geometry.tickStep(110);
    const std::int64_t start = m_geometry.visibleStart();
    const std::int64_t first = (start - m_t0) / step * step + m_t0;
    const QFontMetrics fm(font());
    for (std::int64_t t = first; t <= m_geometry.visibleEnd(); t += step) {
        const qreal x = plot.left() + m_geometry.xForTime(t);
        if (x < plot.left() - 1 || x + fm.horizontalAdvance(formatTimeUs(t).mid(11)) + 6 > width())
            continue;
        p.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DotLine));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(pal.color(QPalette::WindowText));
        const QString rel = QStringLiteral("+") + formatDurationUs(t - m_t0);
        p.drawText(QPointF(x + 3, kAxis - 6), rel);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QPointF(x + 3, kAxis - 6 - fm.height()), formatTimeUs(t).mid(11));
    }
}

void TimelineView::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.setClipRect(event->rect());
    const QPalette pal = palette();
    p.fillRect(event->rect(), pal.color(QPalette::Base));
    const QRectF plot = plotRect();
    if (m_content.marks.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, m_model ? tr("This trace has no events") : tr("Select a trace to see its timeline"));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    paintAxis(p, plot);

    // lanes
    const QFontMetrics fm(font());
    for (int i = 0; i < static_cast<int>(m_content.lanes.size()); ++i) {
        const qreal y = laneY(i);
        p.setPen(QPen(pal.color(QPalette::Midlight), 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(pal.color(QPalette::WindowText));
        // a run step's lane is its action type: its swatch is the legend
        const qreal swatch = m_content.runSteps ? 18 : 0;
        p.drawText(QRectF(6, y - fm.height() / 2.0, kGutter - 12 - swatch, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_content.lanes[static_cast<std::size_t>(i)], Qt::ElideRight,
                                 static_cast<int>(kGutter - 12 - swatch)));
        if (m_content.runSteps)
            m_spans.paintSwatch(p, QRectF(kGutter - 8 - 14, y - 6, 14, 12), m_content.laneKinds[static_cast<std::size_t>(i)]);
    }
    if (m_content.runSteps) {
        p.save();
        p.setClipRect(plot.intersected(event->rect()));
        m_spans.paint(p, spanScene(), QRectF(event->rect()));
        p.restore();
        paintFocus(p);
        return;
    }

    // execution plans as bands behind the markers
    p.save();
    p.setClipRect(plot.intersected(event->rect()));
    QColor band = pal.color(QPalette::Highlight);
    band.setAlphaF(0.10);
    for (const TimelineBand& b : m_content.bands) {
        const qreal x0 = plot.left() + m_geometry.xForTime(b.t0) - kMarker - 2;
        const qreal x1 = plot.left() + m_geometry.xForTime(b.t1) + kMarker + 2;
        const QRectF r(x0, plot.top() + 2, std::max<qreal>(4, x1 - x0), plot.height() - 4);
        p.setPen(Qt::NoPen);
        p.setBrush(band);
        p.drawRoundedRect(r, 4, 4);
        // a narrow band (a plan that took milliseconds of a long trace) still
        // gets its label, next to it rather than squeezed into it
        p.setPen(pal.color(QPalette::Highlight));
        const qreal labelWidth = fm.horizontalAdvance(b.label) + 8;
        const QRectF labelRect(r.width() >= labelWidth ? r.left() + 4 : r.right() + 4, r.top() + 2, labelWidth, fm.height());
        p.drawText(labelRect, Qt::AlignLeft | Qt::AlignTop, b.label);
    }

    // markers: only the visible time range, found by binary search
    const std::int64_t tStart = m_geometry.timeForX(event->rect().left() - plot.left() - kMarker * 2);
    const std::int64_t tEnd = m_geometry.timeForX(event->rect().right() - plot.left() + kMarker * 2);
    auto it = std::lower_bound(m_content.marks.begin(), m_content.marks.end(), tStart, [](const TimelineMark& m, std::int64_t t) { return m.t < t; });
    qreal lastX = -1e9;
    int lastLane = -1;
    const TimelineMark* selected = nullptr;
    for (; it != m_content.marks.end() && it->t <= tEnd; ++it) {
        const qreal x = plot.left() + m_geometry.xForTime(it->t);
        // thousands of events in one pixel column add nothing: paint one
        if (static_cast<int>(x) == static_cast<int>(lastX) && it->lane == lastLane && it->event != m_selected)
            continue;
        lastX = x;
        lastLane = it->lane;
        paintMarker(p, m_markerPaints[vocabularyIndex(it->decision)], QPointF(x, laneY(it->lane)));
        // an anomaly found at this step: its severity's badge above the marker
        if (it->anomaly)
            paintMarker(p, m_badgePaints[it->anomaly - 1u], QPointF(x + kMarker * 1.1, laneY(it->lane) - kMarker * 1.7));
        if (static_cast<std::int64_t>(it->event) == m_selected)
            selected = &*it;
    }
    if (selected) {
        const QPointF c(plot.left() + m_geometry.xForTime(selected->t), laneY(selected->lane));
        p.setPen(QPen(pal.color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, kMarker + 4, kMarker + 4);
    }
    p.restore();
    paintFocus(p);
}

void TimelineView::paintFocus(QPainter& p)
{
    if (hasFocus()) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    }
}

void TimelineView::resizeEvent(QResizeEvent*)
{
    m_geometry.setWidth(plotRect().width());
    scheduleUpdate();
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const qreal steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ShiftModifier || event->angleDelta().x() != 0) {
        m_geometry.pan(-(event->angleDelta().x() + (event->modifiers() & Qt::ShiftModifier ? event->angleDelta().y() : 0)) / 2.0);
    } else {
        m_geometry.zoomAt(event->position().x() - plotRect().left(), std::pow(1.25, steps));
    }
    scheduleUpdate();
    event->accept();
}

int TimelineView::markAt(QPointF pos) const
{
    if (m_content.runSteps)
        return m_spans.markAt(spanScene(), pos);
    const QRectF plot = plotRect();
    const std::int64_t t0 = m_geometry.timeForX(pos.x() - plot.left() - kMarker * 1.5);
    const std::int64_t t1 = m_geometry.timeForX(pos.x() - plot.left() + kMarker * 1.5);
    auto it = std::lower_bound(m_content.marks.begin(), m_content.marks.end(), t0, [](const TimelineMark& m, std::int64_t t) { return m.t < t; });
    int best = -1;
    qreal bestDist = kMarker * 1.6;
    for (; it != m_content.marks.end() && it->t <= t1; ++it) {
        const QPointF c(plot.left() + m_geometry.xForTime(it->t), laneY(it->lane));
        const qreal d = QLineF(c, pos).length();
        if (d < bestDist) {
            bestDist = d;
            best = static_cast<int>(it - m_content.marks.begin());
        }
    }
    return best;
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragStart = event->pos();
        m_dragging = true;
        m_dragged = false;
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragging && (event->buttons() & Qt::LeftButton)) {
        const int dx = event->pos().x() - m_dragStart.x();
        if (std::abs(dx) > 2 || m_dragged) {
            m_dragged = true;
            m_geometry.pan(-dx);
            m_dragStart = event->pos();
            setCursor(Qt::ClosedHandCursor);
            scheduleUpdate();
        }
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    unsetCursor();
    m_dragging = false;
    if (!m_dragged) {
        const int mark = markAt(event->position());
        if (mark >= 0)
            selectMark(mark, true);
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int mark = markAt(event->position());
    if (mark >= 0)
        Q_EMIT eventActivated(m_content.marks[static_cast<std::size_t>(mark)].event);
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const auto current = std::find_if(m_content.marks.begin(), m_content.marks.end(),
                                      [&](const TimelineMark& m) { return static_cast<std::int64_t>(m.event) == m_selected; });
    const int index = current == m_content.marks.end() ? -1 : static_cast<int>(current - m_content.marks.begin());
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomIn(); break;
    case Qt::Key_Minus: zoomOut(); break;
    case Qt::Key_0:
    case Qt::Key_Home: zoomFit(); break;
    case Qt::Key_Left:
    case Qt::Key_H:
        if (shift)
            m_geometry.pan(-m_geometry.width() / 5);
        else if (!m_content.marks.empty())
            selectMark(std::max(0, index - 1), true);
        scheduleUpdate();
        break;
    case Qt::Key_Right:
    case Qt::Key_L:
        if (shift)
            m_geometry.pan(m_geometry.width() / 5);
        else if (!m_content.marks.empty())
            selectMark(std::min(static_cast<int>(m_content.marks.size()) - 1, index + 1), true);
        scheduleUpdate();
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_selected >= 0)
            Q_EMIT eventActivated(static_cast<std::uint32_t>(m_selected));
        break;
    default: QWidget::keyPressEvent(event); return;
    }
}

QString TimelineView::tooltipFor(const TimelineMark& m) const
{
    if (m_content.runSteps)
        return stepTooltip(m);
    const EventRecord& e = m_model->event(m.event);
    auto s = [&](Field f) { return qstr(m_model->str(e, f)); };
    QString text = QStringLiteral("<b>%1</b> — %2<br>%3 (+%4)").arg(s(Field::EventType).toHtmlEscaped(),
                                                                   s(Field::Decision).toHtmlEscaped(),
                                                                   s(Field::Timestamp).toHtmlEscaped(),
                                                                   formatDurationUs(m.t - m_t0));
    if (e.s(Field::ToolName) != kNoStr)
        text += QStringLiteral("<br>tool: ") + s(Field::ToolName).toHtmlEscaped();
    if (e.s(Field::Reason) != kNoStr)
        text += QStringLiteral("<br>") + s(Field::Reason).left(200).toHtmlEscaped();
    text += QStringLiteral("<br><i>line %1</i>").arg(e.line);
    return text + tooltipTail(m);
}

// what an event's and a step's tooltips both end with
QString TimelineView::tooltipTail(const TimelineMark& m) const
{
    QString text;
    if (m.untimed)
        text += tr("<br><i>no usable timestamp: placed after its predecessor</i>");
    if (m.anomaly)
        text += tr("<br><b>anomaly found here</b> (worst: %1; the Anomalies panel lists them)")
                    .arg(m.anomaly == 3 ? tr("critical") : m.anomaly == 2 ? tr("warn") : tr("info"));
    return text;
}

QString TimelineView::stepTooltip(const TimelineMark& m) const
{
    const EventRecord& e = m_model->event(m.event);
    auto s = [&](Field f) { return qstr(m_model->str(e, f)).toHtmlEscaped(); };
    const QString what = s(Field::PlanIntent).isEmpty() ? s(Field::EventType) : s(Field::PlanIntent);
    QString text = m.step >= 0 ? tr("<b>step %1</b> — %2").arg(m.step).arg(what) : QStringLiteral("<b>%1</b>").arg(what);
    text += tr("<br>%1 · %2").arg(m_content.kinds[m.kind].toHtmlEscaped(), s(Field::ToolName));
    text += tr("<br>+%1 → +%2 (%3)")
                .arg(formatDurationUs(m.start - m_t0), formatDurationUs(m.t - m_t0), formatDurationUs(m.t - m.start));
    if (m.clipped)
        text += tr("<br><i>its duration_ms reaches before the run's start, or past a day: the bar is cut</i>");
    if (e.s(Field::Reason) != kNoStr)
        text += QStringLiteral("<br>") + qstr(m_model->str(e, Field::Reason)).left(200).toHtmlEscaped();
    if (m.alternatives)
        text += tr("<br>decision point: %1 weighed").arg(counted(m.alternatives, "alternative", "alternatives"));
    if (const RunStep* step = m_model->runStep(m.event); step && step->parentStepIndex != kNoNumber)
        text += tr("<br>parent step: %1").arg(step->parentStepIndex);
    return text + tooltipTail(m);
}

bool TimelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int mark = markAt(help->pos());
        if (mark >= 0)
            QToolTip::showText(help->globalPos(), tooltipFor(m_content.marks[static_cast<std::size_t>(mark)]), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void TimelineView::zoomIn()
{
    m_geometry.zoomAt(m_geometry.width() / 2, 1.5);
    scheduleUpdate();
}

void TimelineView::zoomOut()
{
    m_geometry.zoomAt(m_geometry.width() / 2, 1 / 1.5);
    scheduleUpdate();
}

void TimelineView::zoomFit()
{
    m_geometry.fit();
    scheduleUpdate();
}

} // namespace rw
