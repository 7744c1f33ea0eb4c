// Policy bundles, re-evaluation and side-by-side comparisons in the window.
#include "views/mainwindow.h"

#include "views/session/session.h"

#include "app/text/plural.h"
#include "app/text/replaydifftext.h"
#include "model/visibletext.h"
#include "replay/graph/graphdot.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/workspacereevaluation.h"
#include "views/diffview.h"
#include "views/filterbar.h"
#include "views/models/tracelistmodel.h"
#include "views/reevaluationpanel.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

namespace rw {

namespace {

QString traceTitle(const Workspace& ws, std::size_t row)
{
    const TraceRow& r = ws.row(row);
    const std::string_view id = ws.str(r, r.traceId);
    QString title = visibleUtf8(id);
    if (ws.fileCount() > 1)
        title += QStringLiteral(" (") + visibleText(QFileInfo(QString::fromStdString(ws.fileOf(r).path())).fileName()) + QLatin1Char(')');
    return title;
}

} // namespace

void MainWindow::buildPolicyUi()
{
    m_diff = new DiffView(m_traceTabs);
    m_traceTabs->addTab(m_diff, tr("Compare"));
    m_reevalPanel = new ReevaluationPanel(this);
    m_reevalDock = new QDockWidget(tr("Re-evaluation"), this);
    m_reevalDock->setObjectName(QStringLiteral("reevaluation"));
    m_reevalDock->setWidget(m_reevalPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_reevalDock);
    m_reevalDock->hide();
    // the comparison needs the height the event table otherwise takes
    connect(m_traceTabs, &QTabWidget::currentChanged, this, [this] {
        const bool comparing = m_traceTabs->currentWidget() == m_diff;
        m_eventView->setVisible(!comparing);
        if (comparing) {
            // the list keeps a third of the height at most
            const QList<int> sizes = m_mainSplitter->sizes();
            const int total = sizes.value(0) + sizes.value(1);
            if (sizes.value(0) > total / 3)
                m_mainSplitter->setSizes({total / 3, total - total / 3});
        }
    });
    connect(m_session, &Session::comparisonReady, this, &MainWindow::showComparison);
    connect(m_session, &Session::reevaluated, this, [this](std::shared_ptr<const WorkspaceReevaluation> result) {
        m_reevalPanel->setResult(m_ws, result, m_policyTitle, m_reevalScope);
        statusBar()->showMessage(tr("Re-evaluated: %1 changed").arg(counted(result->summary.changed, "decision", "decisions")), 8000);
        Q_EMIT reevaluated();
    });
    connect(&m_session->tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind, bool cancelled) {
        // cancelled by the user: a newer re-evaluation replacing it says its own words
        if (kind == TaskKind::Reevaluate && cancelled && !m_session->tasks().running(TaskKind::Reevaluate)) {
            clearReevaluation();
            statusBar()->showMessage(tr("Re-evaluation cancelled"), 5000);
        }
    });
    connect(m_reevalPanel, &ReevaluationPanel::rowsRequested, this,
            [this](const QString& description, const std::vector<std::uint32_t>& rows) { restrictToRows(description, rows); });
    connect(m_reevalPanel, &ReevaluationPanel::pointRequested, this, [this](std::uint32_t row, std::uint32_t event) {
        if (!m_ws || row >= m_ws->rows().size())
            return;
        const std::string_view id = m_ws->str(m_ws->row(row), m_ws->row(row).traceId);
        if (selectTrace(QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size())))) {
            selectEvent(event, nullptr);
            openDrawer();
        }
    });
}

void MainWindow::buildPolicyMenu(QMenu* trace, QMenu* policy)
{
    trace->addAction(tr("&Mark for Comparison"), QKeySequence(Qt::Key_M), this, &MainWindow::markForComparison);
    trace->addAction(tr("&Compare with Marked Trace"), QKeySequence(Qt::SHIFT | Qt::Key_M), this, &MainWindow::compareWithMarked);
    trace->addSeparator();
    trace->addAction(tr("Show &Timeline"), QKeySequence(Qt::ALT | Qt::Key_1), this, [this] { m_traceTabs->setCurrentIndex(0); });
    trace->addAction(tr("Show Execution &Graph"), QKeySequence(Qt::ALT | Qt::Key_2), this, [this] { m_traceTabs->setCurrentIndex(1); });
    trace->addAction(tr("Show Co&mparison"), QKeySequence(Qt::ALT | Qt::Key_3), this, [this] { m_traceTabs->setCurrentIndex(2); });

    policy->addAction(tr("&Load Policy Bundle…"), QKeySequence(Qt::CTRL | Qt::Key_P), this, &MainWindow::loadPolicyDialog);
    policy->addSeparator();
    policy->addAction(tr("Re-evaluate &Current Trace"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { reevaluate(Scope::Current); });
    policy->addAction(tr("Re-evaluate &Filtered Traces"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                      [this] { reevaluate(Scope::Filtered); });
    policy->addAction(tr("Re-evaluate &All Traces"), this, [this] { reevaluate(Scope::All); });
    policy->addAction(tr("Compare with &Re-evaluation"), QKeySequence(Qt::Key_R), this, &MainWindow::compareWithReevaluation);
    policy->addSeparator();
    policy->addAction(tr("Show Re-evaluation &Summary"), this, [this] {
        m_reevalDock->show();
        m_reevalDock->raise();
    });
    policy->addAction(tr("C&lear Re-evaluation"), this, [this] {
        clearReevaluation();
        clearRestriction();
    });
}

void MainWindow::loadPolicyDialog()
{
    const QString policy = QFileDialog::getOpenFileName(this, tr("Load policy bundle"), QString(),
                                                        tr("Policy bundles (*.yaml *.yml);;All files (*)"));
    if (policy.isEmpty())
        return;
    QString capabilities;
    const auto answer = QMessageBox::question(this, tr("Capability bundle"),
                                              tr("Also load a capability bundle? Without one the capability gate is not "
                                                 "evaluated."),
                                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        capabilities = QFileDialog::getOpenFileName(this, tr("Load capability bundle"), QFileInfo(policy).absolutePath(),
                                                    tr("Capability bundles (*.yaml *.yml);;All files (*)"));
    QString error;
    if (!loadPolicy(policy, capabilities, &error))
        QMessageBox::warning(this, tr("Policy bundle not loaded"), error);
}

bool MainWindow::loadPolicy(const QString& policyPath, const QString& capabilitiesPath, QString* error)
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(QFile::encodeName(policyPath).toStdString(), diagnostics);
    std::optional<CapabilityBundle> caps;
    if (!capabilitiesPath.isEmpty())
        caps = loadCapabilityBundle(QFile::encodeName(capabilitiesPath).toStdString(), diagnostics);
    QStringList problems;
    for (const BundleDiagnostic& d : diagnostics)
        if (d.level == BundleDiagnostic::Level::Error)
            problems << QString::fromStdString(bundleDiagnosticLine(d));
    if (!bundle || (!capabilitiesPath.isEmpty() && !caps) || hasErrors(diagnostics)) {
        if (error)
            *error = problems.isEmpty() ? tr("The bundle could not be read.") : problems.join(QLatin1Char('\n'));
        return false;
    }
    m_session->setPolicy(std::make_shared<const PolicyEngine>(*bundle, caps ? &*caps : nullptr));
    m_policyTitle = QFileInfo(policyPath).fileName() + QStringLiteral(" (") +
                    QString::fromStdString(bundle->sha256).left(12) + QLatin1Char(')');
    const std::size_t warnings = diagnostics.size();
    statusBar()->showMessage(warnings > 0 ? tr("Loaded %1 with %2").arg(m_policyTitle, counted(warnings, "warning", "warnings"))
                                          : tr("Loaded %1; Policy ▸ Re-evaluate to see what it would decide").arg(m_policyTitle),
                             8000);
    clearReevaluation();
    m_reevalPanel->showMessage(tr("%1 is loaded. Re-evaluate the current trace (Ctrl+R), the filtered traces "
                                  "(Ctrl+Shift+R) or all traces.")
                                   .arg(m_policyTitle));
    return true;
}

void MainWindow::clearReevaluation()
{
    m_session->clearReevaluation();
    if (m_reevalPanel)
        m_reevalPanel->showMessage(m_session->policy() ? tr("%1 is loaded; nothing re-evaluated yet.").arg(m_policyTitle)
                                                       : tr("Load a policy bundle (Policy ▸ Load Policy Bundle…) and re-evaluate "
                                                            "traces to see what it would have decided."));
}

void MainWindow::reevaluate(Scope scope)
{
    if (!m_ws)
        return;
    if (m_session->tasks().running(TaskKind::Load)) {
        statusBar()->showMessage(tr("Wait for the files to load first."), 5000);
        return;
    }
    if (!m_session->policy()) {
        loadPolicyDialog();
        if (!m_session->policy())
            return;
    }
    std::vector<std::uint32_t> rows;
    QString scopeText;
    if (scope == Scope::Current) {
        if (m_currentRow < 0) {
            statusBar()->showMessage(tr("Select a trace first."), 5000);
            return;
        }
        rows.push_back(static_cast<std::uint32_t>(m_currentRow));
        scopeText = traceTitle(*m_ws, static_cast<std::size_t>(m_currentRow));
    } else if (scope == Scope::Filtered) {
        for (int r = 0; r < m_traceModel->rowCount(); ++r)
            rows.push_back(static_cast<std::uint32_t>(m_traceModel->workspaceRow(r)));
        scopeText = tr("%1 (filtered)").arg(counted(rows.size(), "trace", "traces"));
    } else {
        rows.resize(m_ws->rows().size());
        std::iota(rows.begin(), rows.end(), 0u);
        scopeText = tr("All %1").arg(counted(rows.size(), "trace", "traces"));
    }
    if (!m_reevalDock->isVisible()) {
        m_reevalDock->show();
        // once the dock is laid out; before that the request is ignored
        QTimer::singleShot(0, this, [this] { resizeDocks({m_reevalDock}, {420}, Qt::Horizontal); });
    }
    m_reevalPanel->showMessage(tr("Re-evaluating %1 under %2…").arg(scopeText, m_policyTitle));
    m_reevalScope = scopeText;
    m_session->reevaluate(std::move(rows));
}

void MainWindow::markForComparison()
{
    if (!m_ws || m_currentRow < 0) {
        statusBar()->showMessage(tr("Select a trace first."), 5000);
        return;
    }
    m_markedRow = m_currentRow;
    statusBar()->showMessage(tr("Marked %1; select another trace and press Shift+M to compare")
                                 .arg(traceTitle(*m_ws, static_cast<std::size_t>(m_markedRow))),
                             8000);
}

bool MainWindow::compareWithMarked()
{
    if (!m_ws || m_currentRow < 0 || m_markedRow < 0) {
        statusBar()->showMessage(tr("Mark a trace (M), select another, then compare (Shift+M)."), 6000);
        return false;
    }
    const std::size_t left = static_cast<std::size_t>(m_markedRow), right = static_cast<std::size_t>(m_currentRow);
    startComparison({traceTitle(*m_ws, left), traceTitle(*m_ws, right), QStringLiteral("left"), QStringLiteral("right")});
    m_session->compare(left, right);
    return true;
}

bool MainWindow::compareWithReevaluation()
{
    if (!m_ws || m_currentRow < 0) {
        statusBar()->showMessage(tr("Select a trace first."), 5000);
        return false;
    }
    if (!m_session->policy()) {
        statusBar()->showMessage(tr("Load a policy bundle first (Ctrl+P)."), 6000);
        return false;
    }
    const std::size_t row = static_cast<std::size_t>(m_currentRow);
    startComparison({traceTitle(*m_ws, row) + tr(" as recorded"), tr("under %1").arg(m_policyTitle), tr("as recorded"),
                     tr("under %1").arg(m_policyTitle.section(QLatin1Char(' '), 0, 0))});
    m_session->compareWithPolicy(row);
    return true;
}

void MainWindow::startComparison(const ComparisonTitles& titles)
{
    m_comparisonTitles = titles;
    m_traceTabs->setCurrentWidget(m_diff);
    m_diff->showMessage(tr("Comparing…"));
}

void MainWindow::showComparison(std::shared_ptr<const ComparisonResult> result)
{
    auto d = std::make_shared<ComparisonData>();
    d->ws = result->ws;
    d->left = result->left;
    d->right = result->right;
    d->comparison = result->comparison;
    d->graph = result->graph;
    d->layout = result->layout;
    d->layoutError = QString::fromStdString(result->layoutError);
    d->leftTitle = m_comparisonTitles.left;
    d->rightTitle = m_comparisonTitles.right;
    d->leftName = m_comparisonTitles.leftName;
    d->rightName = m_comparisonTitles.rightName;
    statusBar()->clearMessage();
    m_diff->setData(std::move(d));
    Q_EMIT compared();
}

void MainWindow::restrictToRows(const QString& description, std::vector<std::uint32_t> rows)
{
    std::sort(rows.begin(), rows.end());
    const std::size_t count = rows.size();
    showInfo(tr("Showing the %1 behind %2").arg(counted(count, "trace", "traces"), description), tr("Show All Traces"),
             [this] { clearRestriction(); });
    m_session->restrictTo(std::make_shared<const std::vector<std::uint32_t>>(std::move(rows)));
}

bool MainWindow::hasRestriction() const
{
    return m_session->restriction() != nullptr;
}

void MainWindow::clearRestriction()
{
    if (!hasRestriction())
        return;
    m_infoBar->hide();
    m_session->restrictTo(nullptr);
}

} // namespace rw
