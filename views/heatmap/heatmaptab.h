#pragma once

#include "replay/analysis/permissionheatmap.h"

#include <QObject>

#include <memory>
#include <utility>

class QLabel;
class QScrollArea;
class QTimer;

namespace rw {

class HeatmapView;
class RangeSlider;
class Workbench;

// The permission heatmap as a tab beside the timeline and the graph (issue
// 15): agents × permissions of the analysed runs, made in a task each time
// the session's analysis arrives; clicking a cell filters the trace list to
// the agent's traces with a step using that permission. A range slider over
// the span the runs started in narrows the count to a time window (runs
// without a start time count only while the window is the whole span); the
// map exports as PNG or SVG, painted by the same code as on screen.
class PermissionHeatmapTab : public QObject
{
    Q_OBJECT
public:
    explicit PermissionHeatmapTab(Workbench& workbench);

    QWidget* page() const { return m_page; }
    HeatmapView* view() const { return m_view; }
    RangeSlider* slider() const { return m_slider; }
    // the window's dates and, once counted, how many runs it holds, as shown
    QString windowText() const;
    // The shown heatmap to a PNG or SVG file (by its extension), through the
    // output-path guard (never over an open audit file); "" or why not.
    QString exportTo(const QString& path) const;
    // the trace filter a cell stands for
    static QString filterFor(const QString& agent, const QString& permission);

Q_SIGNALS:
    void shown(); // a new heatmap is painted (tests, screenshots)

private:
    // [from, to) in µs of the slider's window; kNoTime, kNoTime for the whole span
    std::pair<std::int64_t, std::int64_t> window() const;
    void updateWindowText();
    void count();

    Workbench& m_workbench;
    std::shared_ptr<const analysis::WorkspaceAnalysis> m_analysis;
    analysis::RunStartSpan m_span;
    bool m_spanKnown = false; // m_span is the analysis's (the first count found it)
    RangeSlider* m_slider = nullptr;
    QLabel* m_window = nullptr;
    QTimer* m_recount = nullptr;
    QWidget* m_page = nullptr;
    QLabel* m_caption = nullptr;
    QScrollArea* m_scroll = nullptr;
    HeatmapView* m_view = nullptr;
};

} // namespace rw
