// The trace page of the window: the selected trace below the list (events,
// timeline, graph) and the one selected event kept in step across them.
// (Step 2 of the architecture issue makes this a class of its own.)
#include "views/mainwindow.h"

#include "replay/graph/executiongraph.h"
#include "replay/graph/graphdot.h"
#include "replay/graph/graphlayout.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/graphview.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/session/session.h"
#include "views/timelineview.h"

#include <QDockWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace rw {

const ReplayModel* MainWindow::currentModel() const
{
    if (!m_ws || m_currentRow < 0)
        return nullptr;
    return &m_ws->fileOf(m_ws->row(static_cast<std::size_t>(m_currentRow)));
}

void MainWindow::showTrace(std::size_t workspaceRow)
{
    if (!m_ws || static_cast<std::int64_t>(workspaceRow) == m_currentRow)
        return;
    m_currentRow = static_cast<std::int64_t>(workspaceRow);
    m_currentEvent = -1;
    const TraceRow& row = m_ws->row(workspaceRow);
    const ReplayModel& model = m_ws->fileOf(row);
    const auto events = model.traceEvents(row.trace);
    std::vector<std::uint32_t> list(events.begin(), events.end());
    m_eventModel->setTrace(&model, list);
    m_timeline->setTrace(&model, list);
    m_drawer->clear();
    m_graph->showMessage(tr("Laying out the execution graph…"));
    m_session->tasks().cancelKind(TaskKind::Graph); // the layout of the trace before
    layoutGraph();
}

void MainWindow::layoutGraph()
{
    if (!m_ws || m_currentRow < 0 || m_traceTabs->currentWidget() != m_graph || m_graph->nodeCount() > 0 ||
        m_session->tasks().running(TaskKind::Graph))
        return;
    // build + Graphviz in a helper process that is killed past the time limit;
    // never on the GUI thread, latest request wins
    struct Laid
    {
        ExecutionGraph graph;
        std::optional<GraphLayout> layout;
        std::string error;
    };
    const std::shared_ptr<const Workspace> ws = m_ws;
    const TraceRow row = m_ws->row(static_cast<std::size_t>(m_currentRow));
    const ReplayModel* model = &ws->fileOf(row);
    m_session->tasks().start<Laid>(
        TaskKind::Graph, tr("Laying out the graph"),
        [ws, model, row](const CancelToken& cancel, TaskProgress&) {
            Laid out;
            out.graph = buildExecutionGraph(*model, row.trace);
            // killed when the next trace's layout replaces it: never two on 2 cores
            const LayoutRun run = runLayoutHelper(toDot(out.graph), "plain", 10000, cancel.flag());
            if (run.error != LayoutError::None)
                out.error = run.message;
            else
                out.layout = parsePlainLayout(run.output, out.graph.nodes.size(), &out.error);
            return out;
        },
        [this, ws, model](Laid laid) {
            if (ws != m_ws)
                return;
            if (!laid.layout) {
                m_graph->showMessage(tr("The execution graph could not be laid out: %1").arg(QString::fromStdString(laid.error)));
                return;
            }
            m_graph->setGraph(model, std::move(laid.graph), *laid.layout);
            m_graph->setSelectedEvent(m_currentEvent);
        });
}

void MainWindow::selectEvent(std::int64_t eventIndex, const QObject* origin)
{
    if (eventIndex == m_currentEvent)
        return;
    m_currentEvent = eventIndex;
    // keep the table, the timeline and the graph on the same event, whichever was clicked
    if (origin != m_eventView) {
        const int row = m_eventModel->rowOfEvent(static_cast<std::uint32_t>(eventIndex));
        if (row >= 0) {
            m_eventView->setCurrentIndex(m_eventModel->index(row, 0));
            m_eventView->scrollTo(m_eventModel->index(row, 0));
        }
    }
    if (origin != m_timeline)
        m_timeline->setSelectedEvent(eventIndex);
    m_graph->setSelectedEvent(eventIndex);
    if (m_drawerDock->isVisible())
        m_drawer->setEvent(currentModel(), eventIndex);
}

bool MainWindow::selectTrace(const QString& traceId)
{
    if (!m_ws)
        return false;
    const std::int64_t wsRow = m_ws->findRow(traceId.toStdString());
    if (wsRow < 0)
        return false;
    int row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(wsRow));
    if (row < 0) {
        // hidden by the filter: clear it, chips included, so the trace can be shown
        m_filter->clear();
        m_traceModel->setVisibleRows({});
        m_traceModel->setWorkspace(m_ws);
        m_visible = m_ws->rows().size();
        row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(wsRow));
    }
    m_traceView->setCurrentIndex(m_traceModel->index(row, 0));
    m_traceView->scrollTo(m_traceModel->index(row, 0));
    updateStatus();
    return true;
}

} // namespace rw
