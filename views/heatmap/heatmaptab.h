#pragma once

#include <QObject>

class QLabel;
class QScrollArea;

namespace rw {

class HeatmapView;
class Workbench;

// The permission heatmap as a tab beside the timeline and the graph (issue
// 15): agents × permissions of the analysed runs, made in a task each time
// the session's analysis arrives; clicking a cell filters the trace list to
// the agent's traces with a step using that permission.
class PermissionHeatmapTab : public QObject
{
    Q_OBJECT
public:
    explicit PermissionHeatmapTab(Workbench& workbench);

    QWidget* page() const { return m_page; }
    HeatmapView* view() const { return m_view; }
    // the trace filter a cell stands for
    static QString filterFor(const QString& agent, const QString& permission);

Q_SIGNALS:
    void shown(); // a new heatmap is painted (tests, screenshots)

private:
    Workbench& m_workbench;
    QWidget* m_page = nullptr;
    QLabel* m_caption = nullptr;
    QScrollArea* m_scroll = nullptr;
    HeatmapView* m_view = nullptr;
};

} // namespace rw
