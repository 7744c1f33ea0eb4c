#include "views/mainwindow.h"

#include "app/text/plural.h"

#include "app/text/diagnostictext.h"
#include "model/visibletext.h"
#include "views/badgedelegate.h"
#include "views/eventdrawer.h"
#include "views/filterbar.h"
#include "views/graphview.h"
#include "views/models/diagnosticsmodel.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/session/session.h"
#include "views/taskprogresswidget.h"
#include "views/timelineview.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>


namespace rw {

namespace {

QTableView* makeTable(QWidget* parent, const QString& name)
{
    auto* view = new QTableView(parent);
    view->setAccessibleName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setTextElideMode(Qt::ElideRight);
    view->verticalHeader()->setVisible(false);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 10);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

MainWindow::MainWindow(Options options, QWidget* parent) : QMainWindow(parent), m_options(options)
{
    setWindowTitle(tr("Replay Workbench"));
    setAcceptDrops(true);
    m_session = new Session(this);
    buildUi();
    connectSession();
    buildPolicyUi();
    buildMenus();
    if (m_options.persistSettings)
        restoreSettings();
    updateStatus();
}

// the session's runner cancels what still runs and delivers nothing afterwards
MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_filter = new FilterBar(central);
    layout->addWidget(m_filter);

    m_infoBar = new QFrame(central);
    m_infoBar->setAutoFillBackground(true);
    QPalette infoPal = m_infoBar->palette();
    infoPal.setColor(QPalette::Window, infoPal.color(QPalette::ToolTipBase));
    infoPal.setColor(QPalette::WindowText, infoPal.color(QPalette::ToolTipText));
    m_infoBar->setPalette(infoPal);
    auto* infoLayout = new QHBoxLayout(m_infoBar);
    infoLayout->setContentsMargins(8, 4, 8, 4);
    m_infoLabel = new QLabel(m_infoBar);
    m_infoLabel->setWordWrap(true);
    m_infoAction = new QPushButton(m_infoBar);
    auto* infoClose = new QToolButton(m_infoBar);
    infoClose->setText(QStringLiteral("✕"));
    infoClose->setAccessibleName(tr("Dismiss message"));
    infoLayout->addWidget(m_infoLabel, 1);
    infoLayout->addWidget(m_infoAction);
    infoLayout->addWidget(infoClose);
    m_infoBar->hide();
    connect(infoClose, &QToolButton::clicked, this, [this] {
        m_infoBar->hide();
        // a hidden restriction would leave traces missing without saying why
        clearRestriction();
    });
    connect(m_infoAction, &QPushButton::clicked, this, [this] {
        m_infoBar->hide();
        if (m_infoCallback)
            m_infoCallback();
    });
    layout->addWidget(m_infoBar);

    m_emptyState = new QLabel(central);
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setText(tr("<h3>No audit file open</h3><p>Open an AISecOps audit log (JSONL) or a run trace with "
                             "<b>File ▸ Open</b> (Ctrl+O), or drop files here.</p>"));
    layout->addWidget(m_emptyState, 1);

    m_mainSplitter = new QSplitter(Qt::Vertical, central);
    m_traceModel = new TraceListModel(this);
    m_traceView = makeTable(m_mainSplitter, tr("Trace list"));
    m_traceView->setModel(m_traceModel);
    m_traceView->setSortingEnabled(true);
    m_traceView->sortByColumn(TraceListModel::FirstSeenColumn, Qt::AscendingOrder); // chronological by default
    m_traceView->setItemDelegateForColumn(TraceListModel::DecisionColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Decision, TraceListModel::DecisionRole, this));
    m_traceView->setItemDelegateForColumn(TraceListModel::GovernanceColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Governance, TraceListModel::GovernanceRole, this));
    m_traceView->setItemDelegateForColumn(TraceListModel::AgentColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Agent, TraceListModel::AgentRole, this));
    m_traceView->setItemDelegateForColumn(TraceListModel::TrustColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Trust, TraceListModel::TrustRole, this));
    const int widths[] = {210, 180, 80, 182, 72, 56, 130, 124, 112, 116, 110, 66, 190};
    for (int c = 0; c < TraceListModel::ColumnCount; ++c)
        m_traceView->setColumnWidth(c, widths[c]);
    m_mainSplitter->addWidget(m_traceView);

    auto* lower = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_traceTabs = new QTabWidget(lower);
    m_timeline = new TimelineView(m_traceTabs);
    m_graph = new GraphView(m_traceTabs);
    m_traceTabs->addTab(m_timeline, tr("Timeline"));
    m_traceTabs->addTab(m_graph, tr("Execution graph"));
    m_traceTabs->setDocumentMode(true);
    lower->addWidget(m_traceTabs);
    m_eventModel = new EventTableModel(this);
    m_eventView = makeTable(lower, tr("Events of the selected trace"));
    m_eventView->setModel(m_eventModel);
    m_eventView->setItemDelegateForColumn(EventTableModel::DecisionColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Decision, EventTableModel::DecisionRole, this));
    m_eventView->setItemDelegateForColumn(EventTableModel::RiskColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Risk, EventTableModel::RiskRole, this));
    m_eventView->setItemDelegateForColumn(EventTableModel::ProvenanceColumn,
                                          new BadgeDelegate(BadgeDelegate::Kind::Provenance, EventTableModel::ProvenanceRole, this));
    const int eventWidths[] = {30, 56, 168, 78, 130, 76, 150, 84, 130, 300, 330};
    for (int c = 0; c < EventTableModel::ColumnCount; ++c)
        m_eventView->setColumnWidth(c, eventWidths[c]);
    lower->addWidget(m_eventView);
    lower->setStretchFactor(0, 1);
    lower->setStretchFactor(1, 1);
    m_mainSplitter->addWidget(lower);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setSizes({300, 560});
    lower->setSizes({240, 320});
    m_mainSplitter->hide();
    layout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    m_drawer = new EventDrawer(this);
    m_drawerDock = new QDockWidget(tr("Event"), this);
    m_drawerDock->setObjectName(QStringLiteral("eventDrawer"));
    m_drawerDock->setWidget(m_drawer);
    m_drawerDock->setAccessibleName(tr("Event drawer"));
    addDockWidget(Qt::RightDockWidgetArea, m_drawerDock);
    m_drawerDock->hide();

    m_diagModel = new DiagnosticsModel(this);
    m_diagView = makeTable(this, tr("Load findings"));
    m_diagView->setModel(m_diagModel);
    m_diagView->setColumnWidth(DiagnosticsModel::FileColumn, 180);
    m_diagView->setColumnWidth(DiagnosticsModel::CodeColumn, 170);
    m_diagDock = new QDockWidget(tr("Findings"), this);
    m_diagDock->setObjectName(QStringLiteral("diagnostics"));
    m_diagDock->setWidget(m_diagView);
    addDockWidget(Qt::BottomDockWidgetArea, m_diagDock);
    m_diagDock->hide();

    // status bar
    m_fileLabel = new QLabel(this);
    m_shaLabel = new QLabel(this);
    m_shaLabel->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_shaLabel->setAccessibleName(tr("SHA-256 of the file, click to copy"));
    m_countLabel = new QLabel(this);
    m_timeLabel = new QLabel(this);
    m_diagButton = new QToolButton(this);
    m_diagButton->setAutoRaise(true);
    m_diagButton->setAccessibleName(tr("Show load findings"));
    m_tasks = new TaskProgressWidget(&m_session->tasks(), this);
    statusBar()->addWidget(m_fileLabel);
    statusBar()->addWidget(m_shaLabel);
    statusBar()->addPermanentWidget(m_tasks);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_timeLabel);
    statusBar()->addPermanentWidget(m_diagButton);

    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &MainWindow::onFileChanged);
    connect(m_shaLabel, &QLabel::linkActivated, this, [this](const QString& sha) {
        QApplication::clipboard()->setText(sha);
        statusBar()->showMessage(tr("SHA-256 copied"), 2000);
    });
    connect(m_diagButton, &QToolButton::clicked, this, [this] { m_diagDock->setVisible(!m_diagDock->isVisible()); });
    connect(m_filter, &FilterBar::queryChanged, this, &MainWindow::applyFilter);
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
    // the graph is laid out when it is first looked at, not for every trace passed by
    connect(m_traceTabs, &QTabWidget::currentChanged, this, [this] { layoutGraph(); });
    connect(m_traceView, &QTableView::activated, this, [this] { openDrawer(); });
    connect(m_eventView, &QTableView::activated, this, [this] { openDrawer(); });
    connect(m_diagView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        std::size_t file = 0;
        const Diagnostic& d = m_diagModel->diagnostic(index.row(), &file);
        if (d.record < 0)
            return;
        // show the raw record, whether or not it belongs to a trace
        m_drawer->setEvent(&m_ws->file(file), d.record);
        m_drawerDock->show();
        m_drawer->tabs()->setCurrentIndex(1);
    });
    connect(m_drawerDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && m_currentEvent >= 0)
            m_drawer->setEvent(currentModel(), m_currentEvent);
    });
}

void MainWindow::connectSession()
{
    connect(m_session, &Session::workspaceChanged, this, &MainWindow::onWorkspaceChanged);
    connect(m_session, &Session::visibleRowsChanged, this, &MainWindow::onVisibleRowsChanged);
    connect(m_session, &Session::evidenceExported, this, &MainWindow::onEvidenceExported);
    connect(m_session, &Session::verified, this, &MainWindow::onVerified);
    connect(m_session, &Session::openFailed, this, [this](const std::vector<OpenFailure>& failures) {
        QStringList errors;
        for (const OpenFailure& f : failures)
            errors << QString::fromStdString(describeOpenError(f.error, f.errnoValue, f.path));
        showInfo(errors.join(QLatin1Char('\n')));
        updateStatus();
    });
    connect(&m_session->tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        // cancelled by the user, not replaced by a newer load
        if (kind == TaskKind::Load && cancelled && !m_session->tasks().running(TaskKind::Load))
            statusBar()->showMessage(tr("Loading cancelled; the previous files stay open"), 5000);
        else if (kind == TaskKind::Load)
            statusBar()->clearMessage();
    });
}

void MainWindow::openFiles(const QStringList& paths, bool append)
{
    if (paths.isEmpty() && !append)
        return;
    m_loadTimer.start();
    statusBar()->showMessage(tr("Loading %1…").arg(counted(paths.size(), "file", "files")));
    m_session->open(paths, append);
}

void MainWindow::onWorkspaceChanged(std::shared_ptr<const Workspace> ws, std::shared_ptr<const std::vector<std::uint32_t>> visible)
{
    m_ws = std::move(ws);
    // re-evaluations, marks and restrictions name rows of the old workspace (the session dropped its own)
    clearReevaluation();
    m_markedRow = -1;
    m_paths.clear();
    for (std::size_t i = 0; i < m_ws->fileCount(); ++i)
        m_paths << QString::fromStdString(m_ws->file(i).path());
    m_loadSeconds = m_loadTimer.isValid() ? static_cast<double>(m_loadTimer.elapsed()) / 1000.0 : 0.0;
    m_currentRow = -1;
    m_currentEvent = -1;
    // the list appears once, already filtered: no flash of every trace, one reset, one sort
    m_traceModel->setWorkspace(m_ws, visible ? *visible : std::vector<std::uint32_t>());
    m_visible = visible ? visible->size() : m_ws->rows().size();
    m_diagModel->setWorkspace(m_ws);
    m_traceView->setColumnHidden(TraceListModel::FileColumn, m_ws->fileCount() < 2);
    m_traceView->setColumnHidden(TraceListModel::TenantColumn,
                                 std::none_of(m_ws->rows().begin(), m_ws->rows().end(),
                                              [](const TraceRow& r) { return r.tenant != kNoStr; }));
    m_eventModel->setTrace(nullptr, {});
    m_timeline->setTrace(nullptr, {});
    m_drawer->clear();
    m_emptyState->hide();
    m_mainSplitter->show();
    setWindowTitle(tr("%1 — Replay Workbench").arg(QFileInfo(m_paths.front()).fileName() +
                                                   (m_paths.size() > 1 ? tr(" and %1 more").arg(m_paths.size() - 1) : QString())));
    addRecent(m_paths);
    watchFiles();
    updateStatus();
    // the hashes finish in the background; the status bar picks them up
    const std::shared_ptr<const Workspace> hashed = m_ws;
    m_session->tasks().start<bool>(
        TaskKind::Hash, tr("Hashing"),
        [hashed](const CancelToken& cancel, TaskProgress&) {
            for (std::size_t i = 0; i < hashed->fileCount() && !cancel.cancelled(); ++i)
                hashed->file(i).sha256();
            return true;
        },
        [this, hashed](bool) {
            if (m_ws == hashed)
                updateStatus();
        });
    if (m_traceModel->rowCount() > 0)
        m_traceView->setCurrentIndex(m_traceModel->index(0, 0));
    Q_EMIT loaded();
}

void MainWindow::applyFilter(const QString& query)
{
    m_session->setFilter(query); // an invalid query is red in the bar and changes nothing
}

void MainWindow::onVisibleRowsChanged(std::shared_ptr<const std::vector<std::uint32_t>> visible)
{
    const std::int64_t keep = m_currentRow;
    m_visible = visible->size();
    m_traceModel->setVisibleRows(*visible);
    if (keep >= 0) {
        const int row = m_traceModel->rowOfWorkspaceRow(static_cast<std::size_t>(keep));
        if (row >= 0)
            m_traceView->setCurrentIndex(m_traceModel->index(row, 0));
    }
    updateStatus();
    Q_EMIT filtered();
}

void MainWindow::showInfo(const QString& text, const QString& action, std::function<void()> onAction)
{
    m_infoLabel->setText(text);
    m_infoAction->setText(action);
    m_infoAction->setVisible(!action.isEmpty());
    m_infoCallback = std::move(onAction);
    m_infoBar->show();
}

bool MainWindow::waitUntilIdle(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    while (!deadline.hasExpired()) {
        // the hashes are not waited for: the list is usable before they finish, as before
        if (!m_session->tasks().anyRunningBut(TaskKind::Hash))
            return true;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_options.persistSettings)
        saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty())
        openFiles(paths, event->modifiers() & Qt::ShiftModifier);
}

} // namespace rw
