#pragma once

#include "model/workspace.h"

#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QDockWidget;
class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;
class QVBoxLayout;

namespace rw {

class EventDrawer;
class EventTableModel;
class FilterBar;
class GraphView;
class Session;
class TimelineView;
struct TimelineOptions;
namespace analysis {
class AnalysisRules;
}
class TraceListModel;
class Workbench;

// The page the window is built around (hotspot's results page): the filter
// bar, the trace list, the selected trace's tabs (timeline, execution graph,
// and those features add) over its events, and the event drawer, with the
// one selected trace and event kept in step across all of them. It receives
// finished results from the session and never parses.
class TracePage : public QWidget
{
    Q_OBJECT
public:
    explicit TracePage(Session& session, QWidget* parent = nullptr);
    ~TracePage() override;

    // Registers the page's actions (Edit, Go, Trace, View, Help) and the drawer dock.
    void install(Workbench& workbench);
    // The shell's message bar, shown under the filter bar.
    void setBanner(QWidget* banner);
    // A tab next to the timeline and the graph; `showsEvents` false hides the
    // event table while the tab is current (it needs the height).
    void addTab(QWidget* page, const QString& title, bool showsEvents = true);
    void showTab(QWidget* page);

    std::shared_ptr<const Workspace> workspace() const { return m_ws; }
    std::int64_t currentRow() const { return m_currentRow; } // workspace row shown below, or -1
    std::int64_t currentEvent() const { return m_currentEvent; }
    const ReplayModel* currentModel() const;
    // The workspace rows the list shows, in its order.
    std::vector<std::uint32_t> shownRows() const;
    bool selectTrace(const QString& traceId);
    // Selects workspace row `row` in the list (clearing a filter that hides it); false when it cannot be shown.
    bool selectRow(std::int64_t row);
    // Keeps the table, the timeline, the graph and the drawer on one event;
    // `origin` is the view that was clicked (nullptr: none of them).
    void selectEvent(std::int64_t eventIndex, const QObject* origin);
    // The raw record (which may belong to no trace) in the drawer's raw tab.
    void showRecord(const ReplayModel* model, std::int64_t record);
    void openDrawer();

    FilterBar* filterBar() const { return m_filter; }
    TraceListModel* traceModel() const { return m_traceModel; }
    EventTableModel* eventModel() const { return m_eventModel; }
    QTableView* traceView() const { return m_traceView; }
    QTableView* eventView() const { return m_eventView; }
    TimelineView* timeline() const { return m_timeline; }
    GraphView* graphView() const { return m_graph; }
    QTabWidget* tabs() const { return m_tabs; }
    EventDrawer* drawer() const { return m_drawer; }
    QDockWidget* drawerDock() const { return m_drawerDock; }

Q_SIGNALS:
    // the list shows the rows of a new filter or restriction
    void filtered();
    // the trace shown below the list (workspace row, -1: none) and the event
    // selected in it: tabs added by features follow them
    void traceShown(std::int64_t row);
    void eventSelected(std::int64_t eventIndex);

private:
    void buildUi();
    void connectViews();
    void onWorkspaceChanged(std::shared_ptr<const Workspace> ws, std::shared_ptr<const std::vector<std::uint32_t>> visible);
    void onVisibleRowsChanged(std::shared_ptr<const std::vector<std::uint32_t>> visible);
    // where a list is scrolled to, and whether that is its end
    struct ListPlace
    {
        int value = 0;
        bool atEnd = true;
    };
    static ListPlace placeOf(const QTableView* view);
    static void restorePlace(QTableView* view, const ListPlace& place);
    void showTrace(std::size_t workspaceRow);
    void clearTrace();
    void layoutGraph();
    TimelineOptions timelineOptions();
    void goToTrace();
    void moveTraceSelection(int delta);

    Session& m_session;
    Workbench* m_workbench = nullptr;
    std::shared_ptr<const Workspace> m_ws; // the session's, as last delivered
    QStringList m_shownPaths;              // its files (the same again: a refresh)
    std::int64_t m_currentRow = -1;
    std::int64_t m_currentEvent = -1;
    std::vector<QWidget*> m_tabsWithoutEvents;
    // the rules whose classifier coloured the timeline's run steps
    std::shared_ptr<const analysis::AnalysisRules> m_timelineRules;

    QVBoxLayout* m_layout = nullptr;
    FilterBar* m_filter = nullptr;
    QLabel* m_emptyState = nullptr;
    QSplitter* m_splitter = nullptr;
    TraceListModel* m_traceModel = nullptr;
    EventTableModel* m_eventModel = nullptr;
    QTableView* m_traceView = nullptr;
    QTableView* m_eventView = nullptr;
    QTabWidget* m_tabs = nullptr;
    TimelineView* m_timeline = nullptr;
    GraphView* m_graph = nullptr;
    EventDrawer* m_drawer = nullptr;
    QDockWidget* m_drawerDock = nullptr;
};

} // namespace rw
