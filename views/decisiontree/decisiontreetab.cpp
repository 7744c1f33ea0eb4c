#include "views/decisiontree/decisiontreetab.h"

#include "app/text/layouttext.h"
#include "replay/graph/graphpipeline.h"
#include "views/graphview.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QAction>
#include <QLabel>
#include <QVBoxLayout>
#include <QMenu>
#include <QPointer>
#include <QTabWidget>

namespace rw {

DecisionTreeTab::DecisionTreeTab(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    TracePage& page = workbench.tracePage();
    m_page = new QWidget(page.tabs());
    m_page->setObjectName(QStringLiteral("decisionTreePage"));
    auto* layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(0, 2, 0, 0);
    auto* caption = new QLabel(m_page);
    caption->setTextFormat(Qt::PlainText);
    caption->setWordWrap(true);
    caption->setContentsMargins(6, 0, 6, 0);
    caption->setText(tr("Bold: the path taken. Dashed grey: an alternative not taken (\u201clost to step N\u201d, "
                        "with its reasoning on hover), or a step abandoned when the agent went back to an earlier one. "
                        "Vermillion: rejected by policy. Click a node to select its step."));
    layout->addWidget(caption);
    m_view = new GraphView(m_page);
    m_view->setObjectName(QStringLiteral("decisionTree"));
    m_view->setAccessibleName(tr("Decision tree"));
    m_view->showMessage(tr("Select a trace to see the branches its agent considered"));
    layout->addWidget(m_view, 1);
    page.addTab(m_page, tr("Decision tree"));
    workbench.menu(Workbench::Menu::Trace)
        ->addAction(tr("Show &Decision Tree"), QKeySequence(Qt::ALT | Qt::Key_4), this, [this] {
            m_workbench.tracePage().showTab(m_page);
        });
    // a layout cancelled (the status bar's Cancel) is tried again when the tab is shown again
    connect(&workbench.session().tasks(), &TaskRunner::taskFinished, this, [this](TaskId id, TaskKind kind, bool cancelled) {
        if (kind != TaskKind::DecisionTree || id != m_task)
            return;
        m_task = 0;
        if (cancelled && m_view->nodeCount() == 0) {
            m_drawn = false;
            m_view->showMessage(tr("Layout cancelled: show the tab again to lay the tree out"));
        }
    });

    connect(&page, &TracePage::traceShown, this, &DecisionTreeTab::onTraceShown);
    connect(&page, &TracePage::eventSelected, m_view, &GraphView::setSelectedEvent);
    connect(page.tabs(), &QTabWidget::currentChanged, this, [this] { layOut(); });
    connect(m_view, &GraphView::eventSelected, this, [this](std::uint32_t e) {
        m_workbench.tracePage().selectEvent(e, m_view);
    });
}

void DecisionTreeTab::onTraceShown(std::int64_t row)
{
    m_workbench.session().tasks().cancelKind(TaskKind::DecisionTree); // the tree of the trace before
    m_row = row;
    m_drawn = false;
    m_ws = m_workbench.tracePage().workspace();
    if (row < 0) {
        m_view->showMessage(tr("No trace selected"));
        return;
    }
    m_view->showMessage(tr("Laying out the decision tree…"));
    layOut();
}

void DecisionTreeTab::layOut()
{
    TracePage& page = m_workbench.tracePage();
    if (m_drawn || m_row < 0 || !m_ws || page.tabs()->currentWidget() != m_page)
        return; // laid out when first looked at, not for every trace passed by
    m_drawn = true;
    const std::shared_ptr<const Workspace> ws = m_ws;
    const std::int64_t row = m_row;
    const TraceRow trace = ws->row(static_cast<std::size_t>(row));
    const ReplayModel* model = &ws->fileOf(trace);
    const QPointer<DecisionTreeTab> self(this);
    m_task = m_workbench.session().tasks().start<LaidOutGraph>(
        TaskKind::DecisionTree, tr("Laying out the decision tree"),
        [ws, model, trace](const CancelToken& cancel, TaskProgress&) {
            return layOutDecisionTree(*model, trace.trace, 10000, cancel.flag());
        },
        [this, self, ws, model, row](LaidOutGraph laid) {
            if (!self || ws != m_ws || row != m_row)
                return; // another trace (or workspace) is shown now
            if (!laid.placement.layout) {
                m_view->showMessage(tr("The decision tree could not be laid out: %1")
                                        .arg(QString::fromStdString(layoutErrorText(laid.placement.run, Reader::Window))));
                return;
            }
            m_view->setGraph(model, std::move(laid.graph), *laid.placement.layout);
            m_view->setSelectedEvent(m_workbench.tracePage().currentEvent());
            Q_EMIT laidOut();
        });
}

} // namespace rw
