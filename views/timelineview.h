#pragma once

#include "model/replaymodel.h"
#include "views/styles.h"
#include "views/timelinecontent.h"
#include "views/timelinegeometry.h"
#include "views/timelinespans.h"

#include <QTimer>
#include <QWidget>

#include <array>
#include <vector>

namespace rw {

// The painted timeline of one trace: a lane per decision stage (plan,
// evaluate, decision, execute, MCP policy, LLM input/output), a marker per
// event coloured and shaped by decision, execution plans as bands, a time axis
// with absolute (UTC) and relative time. Wheel / drag / keys zoom and pan;
// hover shows a tooltip; click selects. Painting clips to the exposed area and
// binary-searches the first visible event, so 10k events paint in well under a
// frame.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    // `options`: how run steps are classified into action types (their lanes
    // and colours) and how long a pause is a stall
    void setTrace(const ReplayModel* model, const std::vector<std::uint32_t>& events, const TimelineOptions& options = {});
    // what is drawn (tests)
    const TimelineContent& content() const { return m_content; }
    // where a run step's bar is drawn, empty when the trace has no such step (tests)
    QRectF stepRect(std::uint32_t eventIndex) const;
    void setSelectedEvent(std::int64_t eventIndex);
    // The worst anomaly of each event of the trace (event index, 0 info / 1 warn / 2 critical), shown as a
    // badge beside its marker (the analysis arrives after setTrace: set again, or empty to clear).
    void setEventAnomalies(const std::vector<std::pair<std::uint32_t, std::uint8_t>>& worst);
    // the badge of an event: 0 none, else 1 + the severity (tests)
    int anomalyBadge(std::uint32_t eventIndex) const;
    std::int64_t selectedEvent() const { return m_selected; }
    const TimelineGeometry& geometryModel() const { return m_geometry; }
    int laneCount() const { return static_cast<int>(m_content.lanes.size()); }

    QSize sizeHint() const override { return {800, 220}; }
    QSize minimumSizeHint() const override { return {300, 120}; }

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomFit();

Q_SIGNALS:
    void eventSelected(std::uint32_t eventIndex);
    void eventActivated(std::uint32_t eventIndex);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    void scheduleUpdate();
    QRectF plotRect() const;
    qreal laneY(int lane) const;
    int markAt(QPointF pos) const; // index into m_content.marks, -1 if none
    void selectMark(int mark, bool emitSignal);
    QString tooltipFor(const TimelineMark& m) const;
    QString stepTooltip(const TimelineMark& m) const;
    QString tooltipTail(const TimelineMark& m) const;
    void paintFocus(QPainter& p);
    void paintAxis(QPainter& p, const QRectF& plot);
    void updateMarkerPaints();
    TimelineSpanPainter::Scene spanScene() const;

    const ReplayModel* m_model = nullptr;
    TimelineContent m_content;          // marks sorted by time
    // a marker per decision, pens and brushes made: painting allocates nothing per marker
    std::array<MarkerPaint, kDecisionCount> m_markerPaints;
    std::array<MarkerPaint, 3> m_badgePaints; // an anomaly's severity: info, warn, critical
    QColor m_markerOutline;
    TimelineSpanPainter m_spans;        // run steps as bars
    std::int64_t m_t0 = 0;
    TimelineGeometry m_geometry;
    std::int64_t m_selected = -1;       // event index
    QPoint m_dragStart;
    bool m_dragging = false;
    bool m_dragged = false;
    QTimer m_refresh;                   // coalesces updates
};

} // namespace rw
