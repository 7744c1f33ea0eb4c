#include "views/trace/tracepage.h"

#include "app/text/layouttext.h"
#include "app/text/queryhelptext.h"
#include "replay/graph/graphpipeline.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/graphview.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "model/visibletext.h"
#include "replay/analysis/analyzer.h"
#include "views/session/session.h"
#include "views/timelineview.h"
#include "views/trace/tablesetup.h"
#include "views/workbench.h"

#include <QDockWidget>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rw {

TracePage::TracePage(Session& session, QWidget* parent) : QWidget(parent), m_session(session)
{
    buildUi();
    connectViews();
    connect(&m_session, &Session::workspaceChanged, this, &TracePage::onWorkspaceChanged);
    connect(&m_session, &Session::visibleRowsChanged, this, &TracePage::onVisibleRowsChanged);
    connect(&m_session, &Session::analysed, this, [this](std::shared_ptr<const analysis::WorkspaceAnalysis> result) {
        const bool ours = result && m_session.workspace() == m_ws;
        m_traceModel->setAnomalies(ours ? result->rows : std::vector<RowAnomalies>());
        // other analysis rules (a profile loaded): the run steps' lanes are its action types
        const auto rules = m_session.analysisRules() ? m_session.analysisRules() : analysis::defaultAnalysisRules();
        if (ours && m_currentRow >= 0 && rules != m_timelineRules) {
            const TraceRow& row = m_ws->row(static_cast<std::size_t>(m_currentRow));
            const ReplayModel& model = m_ws->fileOf(row);
            const auto events = model.traceEvents(row.trace);
            m_timeline->setTrace(&model, std::vector<std::uint32_t>(events.begin(), events.end()), timelineOptions());
            m_timeline->setSelectedEvent(m_currentEvent);
        }
        // the trace shown: its anomalies as badges on the timeline
        m_timeline->setEventAnomalies(ours && m_currentRow >= 0 ? analysis::worstByEvent(*result, m_currentRow)
                                                               : std::vector<std::pair<std::uint32_t, std::uint8_t>>());
    });
    // an invalid query is red in the bar and changes nothing
    connect(m_filter, &FilterBar::queryChanged, this, [this](const QString& query) { m_session.setFilter(query); });
}

TracePage::~TracePage() = default;

void TracePage::buildUi()
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_filter = new FilterBar(this);
    m_layout->addWidget(m_filter);

    m_emptyState = new QLabel(this);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setText(tr("<h3>No audit file open</h3><p>Open an AISecOps audit log (JSONL) or a run trace with "
                             "<b>File ▸ Open</b> (Ctrl+O), or drop files here.</p>"));
    m_layout->addWidget(m_emptyState, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_traceModel = new TraceListModel(this);
    m_traceView = makeTable(m_splitter, tr("Trace list"));
    setUpTraceTable(m_traceView, m_traceModel);
    m_splitter->addWidget(m_traceView);

    auto* lower = new QSplitter(Qt::Vertical, m_splitter);
    m_tabs = new QTabWidget(lower);
    m_timeline = new TimelineView(m_tabs);
    m_graph = new GraphView(m_tabs);
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_tabs->addTab(m_graph, tr("Execution graph"));
    m_tabs->setDocumentMode(true);
    lower->addWidget(m_tabs);
    m_eventModel = new EventTableModel(this);
    m_eventView = makeTable(lower, tr("Events of the selected trace"));
    setUpEventTable(m_eventView, m_eventModel);
    lower->addWidget(m_eventView);
    lower->setStretchFactor(0, 1);
    lower->setStretchFactor(1, 1);
    m_splitter->addWidget(lower);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({300, 560});
    lower->setSizes({240, 320});
    m_splitter->hide();
    m_layout->addWidget(m_splitter, 1);

    m_drawer = new EventDrawer(this);
    m_drawerDock = new QDockWidget(tr("Event"), this);
    m_drawerDock->setObjectName(QStringLiteral("eventDrawer"));
    m_drawerDock->setWidget(m_drawer);
    m_drawerDock->setAccessibleName(tr("Event drawer"));
}

void TracePage::connectViews()
{
    connect(m_traceView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            showTrace(m_traceModel->workspaceRow(current.row()));
    });
    connect(m_eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            selectEvent(m_eventModel->eventIndex(current.row()), m_eventView);
    });
    connect(m_timeline, &TimelineView::eventSelected, this, [this](std::uint32_t e) { selectEvent(e, m_timeline); });
    connect(m_timeline, &TimelineView::eventActivated, this, [this](std::uint32_t e) {
        selectEvent(e, m_timeline);
        openDrawer();
    });
    connect(m_graph, &GraphView::eventSelected, this, [this](std::uint32_t e) { selectEvent(e, m_graph); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        // the graph is laid out when it is first looked at, not for every trace passed by
        layoutGraph();
        const bool wide = std::find(m_tabsWithoutEvents.begin(), m_tabsWithoutEvents.end(), m_tabs->currentWidget()) !=
                          m_tabsWithoutEvents.end();
        m_eventView->setVisible(!wide);
        if (wide) {
            // the list keeps a third of the height at most
            const QList<int> sizes = m_splitter->sizes();
            const int total = sizes.value(0) + sizes.value(1);
            if (sizes.value(0) > total / 3)
                m_splitter->setSizes({total / 3, total - total / 3});
        }
    });
    connect(m_traceView, &QTableView::activated, this, [this] { openDrawer(); });
    connect(m_eventView, &QTableView::activated, this, [this] { openDrawer(); });
    connect(m_drawerDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && m_currentEvent >= 0)
            m_drawer->setEvent(currentModel(), m_currentEvent);
    });
}

void TracePage::setBanner(QWidget* banner)
{
    m_layout->insertWidget(1, banner);
}

void TracePage::addTab(QWidget* page, const QString& title, bool showsEvents)
{
    m_tabs->addTab(page, title);
    if (!showsEvents)
        m_tabsWithoutEvents.push_back(page);
}

void TracePage::showTab(QWidget* page)
{
    m_tabs->setCurrentWidget(page);
}

void TracePage::onWorkspaceChanged(std::shared_ptr<const Workspace> ws, std::shared_ptr<const std::vector<std::uint32_t>> visible)
{
    // The same files again, or more beside them (Load new lines, View ▸ Follow,
    // which may keep a rotated file under its new name; files added to the open
    // ones): the selected trace and event stay, and each list stays where it
    // was, or at its end if it was there (so that a followed file's new rows scroll into view).
    const QStringList now = m_session.paths();
    const bool refresh = m_ws && std::all_of(m_shownPaths.begin(), m_shownPaths.end(), [&](const QString& p) { return now.contains(p); });
    m_shownPaths = m_session.paths();
    const ListPlace tracePlace = placeOf(m_traceView), eventPlace = placeOf(m_eventView);
    std::string keepTrace;
    const std::int64_t keepEvent = m_currentEvent;
    if (refresh && m_currentRow >= 0 && static_cast<std::size_t>(m_currentRow) < m_ws->rows().size()) {
        const TraceRow& r = m_ws->row(static_cast<std::size_t>(m_currentRow));
        keepTrace = std::string(m_ws->str(r, r.traceId));
    }
    m_ws = std::move(ws);
    m_currentRow = -1;
    m_currentEvent = -1;
    Q_EMIT traceShown(-1); // the old workspace's trace is gone (it may be shown again below)
    // the list appears once, already filtered: no flash of every trace, one reset, one sort
    m_traceModel->setWorkspace(m_ws, visible ? *visible : std::vector<std::uint32_t>());
    m_traceView->setColumnHidden(TraceListModel::FileColumn, m_ws->fileCount() < 2);
    m_traceView->setColumnHidden(TraceListModel::TenantColumn,
                                 std::none_of(m_ws->rows().begin(), m_ws->rows().end(),
                                              [](const TraceRow& r) { return r.tenant != kNoStr; }));
    m_eventModel->setTrace(nullptr, {});
    m_timeline->setTrace(nullptr, {});
    m_drawer->clear();
    m_emptyState->hide();
    m_splitter->show();
    const std::int64_t kept = keepTrace.empty() ? -1 : m_ws->findRow(keepTrace);
    const int row = kept < 0 ? -1 : m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(kept));
    if (row >= 0) {
        m_traceView->setCurrentIndex(m_traceModel->index(row, 0));
        // the same event only if it is still one of this trace's (a rotated file numbers anew)
        if (keepEvent >= 0 && m_eventModel->rowOfEvent(static_cast<std::uint32_t>(keepEvent)) >= 0)
            selectEvent(keepEvent, nullptr);
        // once the views have laid the new rows out (a scroll range set before that would clamp the value)
        QTimer::singleShot(0, this, [this, tracePlace, eventPlace] {
            restorePlace(m_traceView, tracePlace);
            restorePlace(m_eventView, eventPlace);
        });
    } else if (m_traceModel->rowCount() > 0) {
        m_traceView->setCurrentIndex(m_traceModel->index(0, 0));
    }
}

TracePage::ListPlace TracePage::placeOf(const QTableView* view)
{
    const QScrollBar* bar = view->verticalScrollBar();
    return {bar->value(), bar->value() >= bar->maximum()};
}

void TracePage::restorePlace(QTableView* view, const ListPlace& place)
{
    if (place.atEnd)
        view->scrollToBottom();
    else
        view->verticalScrollBar()->setValue(place.value);
}

void TracePage::onVisibleRowsChanged(std::shared_ptr<const std::vector<std::uint32_t>> visible)
{
    const std::int64_t keep = m_currentRow;
    m_traceModel->setVisibleRows(*visible);
    if (keep >= 0) {
        const int row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(keep));
        if (row >= 0)
            m_traceView->setCurrentIndex(m_traceModel->index(row, 0));
        else
            clearTrace(); // hidden now: its events must not stay below as if they were among those shown
    }
    Q_EMIT filtered();
}

void TracePage::clearTrace()
{
    m_currentRow = -1;
    m_currentEvent = -1;
    m_eventModel->setTrace(nullptr, {});
    m_timeline->setTrace(nullptr, {});
    m_graph->showMessage(tr("No trace selected"));
    m_drawer->clear();
    Q_EMIT traceShown(-1);
}

std::vector<std::uint32_t> TracePage::shownRows() const
{
    std::vector<std::uint32_t> rows;
    rows.reserve(static_cast<std::size_t>(m_traceModel->rowCount()));
    for (int r = 0; r < m_traceModel->rowCount(); ++r)
        rows.push_back(static_cast<std::uint32_t>(m_traceModel->workspaceRow(r)));
    return rows;
}

const ReplayModel* TracePage::currentModel() const
{
    if (!m_ws || m_currentRow < 0)
        return nullptr;
    return &m_ws->fileOf(m_ws->row(static_cast<std::size_t>(m_currentRow)));
}

void TracePage::showTrace(std::size_t workspaceRow)
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
    m_timeline->setTrace(&model, list, timelineOptions());
    if (const std::shared_ptr<const analysis::WorkspaceAnalysis> found = m_session.analysis(); found && m_session.workspace() == m_ws)
        m_timeline->setEventAnomalies(analysis::worstByEvent(*found, static_cast<std::int64_t>(workspaceRow)));
    m_drawer->clear();
    m_graph->showMessage(tr("Laying out the execution graph…"));
    m_session.tasks().cancelKind(TaskKind::Graph); // the layout of the trace before
    layoutGraph();
    Q_EMIT traceShown(m_currentRow);
}

TimelineOptions TracePage::timelineOptions()
{
    // run steps coloured by the action types of the session's analysis profile
    TimelineOptions o;
    m_timelineRules = m_session.analysisRules() ? m_session.analysisRules() : analysis::defaultAnalysisRules();
    o.classifier = &m_timelineRules->classifier();
    for (const analysis::ActionType& t : m_timelineRules->config().profile.actionTypes)
        o.actionTypes.push_back(visibleUtf8(t.name)); // lane names: hidden characters shown escaped
    return o;
}

void TracePage::layoutGraph()
{
    if (!m_ws || m_currentRow < 0 || m_tabs->currentWidget() != m_graph || m_graph->nodeCount() > 0 ||
        m_session.tasks().running(TaskKind::Graph))
        return;
    // build + Graphviz in a helper process that is killed past the time limit
    // or when the next trace's layout replaces it (never two on 2 cores);
    // never on the GUI thread, latest request wins
    const std::shared_ptr<const Workspace> ws = m_ws;
    const TraceRow row = m_ws->row(static_cast<std::size_t>(m_currentRow));
    const ReplayModel* model = &ws->fileOf(row);
    m_session.tasks().start<LaidOutGraph>(
        TaskKind::Graph, tr("Laying out the graph"),
        [ws, model, row](const CancelToken& cancel, TaskProgress&) { return layOutTraceGraph(*model, row.trace, 10000, cancel.flag()); },
        [this, ws, model](LaidOutGraph laid) {
            if (ws != m_ws)
                return;
            if (!laid.placement.layout) {
                m_graph->showMessage(tr("The execution graph could not be laid out: %1")
                                         .arg(QString::fromStdString(layoutErrorText(laid.placement.run, Reader::Window))));
                return;
            }
            m_graph->setGraph(model, std::move(laid.graph), *laid.placement.layout);
            m_graph->setSelectedEvent(m_currentEvent);
        });
}

void TracePage::selectEvent(std::int64_t eventIndex, const QObject* origin)
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
    Q_EMIT eventSelected(eventIndex);
}

bool TracePage::selectTrace(const QString& traceId)
{
    return m_ws && selectRow(m_ws->findRow(traceId.toStdString()));
}

bool TracePage::selectRow(std::int64_t wsRow)
{
    if (!m_ws || wsRow < 0 || static_cast<std::size_t>(wsRow) >= m_ws->rows().size())
        return false;
    int row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(wsRow));
    if (row < 0) {
        // hidden by the filter: clear it, chips included, so the trace can be shown
        m_filter->clear();
        m_traceModel->setVisibleRows({});
        m_traceModel->setWorkspace(m_ws);
        row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(wsRow));
        Q_EMIT filtered();
    }
    if (row < 0)
        return false;
    m_traceView->setCurrentIndex(m_traceModel->index(row, 0));
    m_traceView->scrollTo(m_traceModel->index(row, 0));
    return true;
}

void TracePage::showRecord(const ReplayModel* model, std::int64_t record)
{
    m_drawer->setEvent(model, record);
    m_drawerDock->show();
    m_drawer->tabs()->setCurrentIndex(1);
}

void TracePage::openDrawer()
{
    if (m_currentEvent < 0 && m_eventModel->rowCount() > 0)
        m_eventView->setCurrentIndex(m_eventModel->index(0, 0));
    m_drawerDock->show();
    m_drawerDock->raise();
}

void TracePage::install(Workbench& workbench)
{
    m_workbench = &workbench;
    QMenu* edit = workbench.menu(Workbench::Menu::Edit);
    edit->addAction(tr("&Filter Traces"), QKeySequence::Find, this, [this] {
        m_filter->lineEdit()->setFocus();
        m_filter->lineEdit()->selectAll();
    });
    edit->addAction(tr("&Go to Trace…"), QKeySequence(Qt::CTRL | Qt::Key_G), this, &TracePage::goToTrace);
    edit->addAction(tr("Find in &Event JSON"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        openDrawer();
        m_drawer->focusSearch();
    });
    edit->addSeparator();
    edit->addAction(tr("Copy Event &Line"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), m_drawer, &EventDrawer::copyLine);
    edit->addAction(tr("Copy &Pretty JSON"), m_drawer, &EventDrawer::copyPretty);
    edit->addAction(tr("Copy JSON &Pointer"), m_drawer, &EventDrawer::copyPointer);

    QMenu* go = workbench.menu(Workbench::Menu::Go);
    go->addAction(tr("&Next Trace"), QKeySequence(Qt::Key_J), this, [this] { moveTraceSelection(1); });
    go->addAction(tr("&Previous Trace"), QKeySequence(Qt::Key_K), this, [this] { moveTraceSelection(-1); });
    // Enter is handled by the tables (activated), so it only shows here
    go->addAction(tr("Open Event &Drawer\tEnter"), this, &TracePage::openDrawer);
    go->addAction(tr("&Close Event Drawer"), QKeySequence(Qt::Key_Escape), m_drawerDock, &QWidget::hide);

    QMenu* trace = workbench.menu(Workbench::Menu::Trace);
    trace->addAction(tr("Show &Timeline"), QKeySequence(Qt::ALT | Qt::Key_1), this, [this] { showTab(m_timeline); });
    trace->addAction(tr("Show Execution &Graph"), QKeySequence(Qt::ALT | Qt::Key_2), this, [this] { showTab(m_graph); });

    workbench.addDock(m_drawerDock, Qt::RightDockWidgetArea);
    QMenu* view = workbench.menu(Workbench::Menu::View);
    view->addAction(tr("Zoom &In Timeline"), QKeySequence::ZoomIn, m_timeline, &TimelineView::zoomIn);
    view->addAction(tr("Zoom &Out Timeline"), QKeySequence::ZoomOut, m_timeline, &TimelineView::zoomOut);
    view->addAction(tr("&Fit Timeline"), QKeySequence(Qt::CTRL | Qt::Key_0), m_timeline, &TimelineView::zoomFit);
    view->addSeparator();

    // made from the filter's field table, as are the filter bar's tooltip and its errors
    workbench.menu(Workbench::Menu::Help)->addAction(tr("&Filter Syntax"), this, [this] {
        QMessageBox::information(window(), tr("Filter syntax"), filterSyntaxHtml());
    });
}

void TracePage::goToTrace()
{
    bool ok = false;
    const QString id = QInputDialog::getText(window(), tr("Go to trace"), tr("Trace id:"), QLineEdit::Normal, QString(), &ok);
    if (ok && !id.trimmed().isEmpty() && !selectTrace(id.trimmed()) && m_workbench)
        m_workbench->showMessage(tr("No trace \"%1\" in the open files").arg(id.trimmed()), 5000);
}

void TracePage::moveTraceSelection(int delta)
{
    QTableView* view = m_eventView->hasFocus() ? m_eventView : m_traceView;
    const int rows = view->model()->rowCount();
    if (rows == 0)
        return;
    const int row = std::clamp(view->currentIndex().row() + delta, 0, rows - 1);
    view->setCurrentIndex(view->model()->index(row, 0));
}

} // namespace rw
