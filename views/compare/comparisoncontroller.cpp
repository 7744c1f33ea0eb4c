#include "views/compare/comparisoncontroller.h"

#include "app/text/layouttext.h"
#include "views/diffview.h"
#include "views/session/session.h"
#include "views/titles.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QWidget>
#include <QMenu>
#include <QTabWidget>

namespace rw {

ComparisonController::ComparisonController(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    TracePage& page = workbench.tracePage();
    m_diff = new DiffView(page.tabs());
    // the comparison needs the height the event table otherwise takes
    page.addTab(m_diff, tr("Compare"), false);

    QMenu* trace = workbench.menu(Workbench::Menu::Trace);
    trace->addAction(tr("Show Co&mparison"), QKeySequence(Qt::ALT | Qt::Key_3), this, [this] { m_workbench.tracePage().showTab(m_diff); });
    trace->addSeparator();
    trace->addAction(tr("&Mark for Comparison"), QKeySequence(Qt::Key_M), this, &ComparisonController::markForComparison);
    trace->addAction(tr("&Compare with Marked Trace"), QKeySequence(Qt::SHIFT | Qt::Key_M), this,
                     &ComparisonController::compareWithMarked);
    workbench.menu(Workbench::Menu::Policy)
        ->addAction(tr("Compare with &Re-evaluation"), QKeySequence(Qt::Key_R), this, &ComparisonController::compareWithReevaluation);

    connect(&workbench.session(), &Session::comparisonReady, this, &ComparisonController::show);
    // a mark names a row of the old workspace
    connect(&workbench.session(), &Session::workspaceChanged, this, [this] { m_markedRow = -1; });
}

void ComparisonController::markForComparison()
{
    const TracePage& page = m_workbench.tracePage();
    if (!page.workspace() || page.currentRow() < 0) {
        m_workbench.showMessage(tr("Select a trace first."), 5000);
        return;
    }
    m_markedRow = page.currentRow();
    m_workbench.showMessage(tr("Marked %1; select another trace and press Shift+M to compare")
                                .arg(traceTitle(*page.workspace(), static_cast<std::size_t>(m_markedRow))),
                            8000);
}

bool ComparisonController::compareWithMarked()
{
    const TracePage& page = m_workbench.tracePage();
    if (!page.workspace() || page.currentRow() < 0 || m_markedRow < 0) {
        m_workbench.showMessage(tr("Mark a trace (M), select another, then compare (Shift+M)."), 6000);
        return false;
    }
    const Workspace& ws = *page.workspace();
    const std::size_t left = static_cast<std::size_t>(m_markedRow), right = static_cast<std::size_t>(page.currentRow());
    start({traceTitle(ws, left), traceTitle(ws, right), QStringLiteral("left"), QStringLiteral("right")});
    m_workbench.session().compare(left, right);
    return true;
}

bool ComparisonController::compareWithReevaluation()
{
    const TracePage& page = m_workbench.tracePage();
    if (!page.workspace() || page.currentRow() < 0) {
        m_workbench.showMessage(tr("Select a trace first."), 5000);
        return false;
    }
    const std::shared_ptr<const PolicyEngine> engine = m_workbench.session().policy();
    if (!engine) {
        m_workbench.showMessage(tr("Load a policy bundle first (Ctrl+P)."), 6000);
        return false;
    }
    const QString policy = policyTitle(*engine);
    const std::size_t row = static_cast<std::size_t>(page.currentRow());
    start({traceTitle(*page.workspace(), row) + tr(" as recorded"), tr("under %1").arg(policy), tr("as recorded"),
           tr("under %1").arg(policy.section(QLatin1Char(' '), 0, 0))});
    m_workbench.session().compareWithPolicy(row);
    return true;
}

void ComparisonController::start(const Titles& titles)
{
    m_titles = titles;
    m_workbench.tracePage().showTab(m_diff);
    m_diff->showMessage(tr("Comparing…"));
}

void ComparisonController::show(std::shared_ptr<const ComparisonResult> result)
{
    auto d = std::make_shared<ComparisonData>();
    d->ws = result->ws;
    d->left = result->left;
    d->right = result->right;
    d->comparison = result->comparison;
    d->graph = result->graph;
    d->layout = result->layout;
    if (!result->layout)
        d->layoutError = QString::fromStdString(layoutErrorText(result->layoutRun, Reader::Window));
    d->leftTitle = m_titles.left;
    d->rightTitle = m_titles.right;
    d->leftName = m_titles.leftName;
    d->rightName = m_titles.rightName;
    m_workbench.showMessage({});
    m_diff->setData(std::move(d));
    Q_EMIT compared();
}

} // namespace rw
