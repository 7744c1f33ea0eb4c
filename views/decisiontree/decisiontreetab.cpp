#include "views/decisiontree/decisiontreetab.h"

#include "app/text/layouttext.h"
#include "replay/graph/graphpipeline.h"
#include "views/graphview.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QAction>
#include <QMenu>
#include <QPointer>
#include <QTabWidget>

namespace rw {

DecisionTreeTab::DecisionTreeTab(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    TracePage& page = workbench.tracePage();
    m_view = new GraphView(page.tabs());
    m_view->setObjectName(QStringLiteral("decisionTree"));
    m_view->setAccessibleName(tr("Decision tree"));
    m_view->showMessage(tr("Select a trace to see the branches its agent considered"));
    page.addTab(m_view, tr("Decision tree"));
    workbench.menu(Workbench::Menu::Trace)
        ->addAction(tr("Show &Decision Tree"), QKeySequence(Qt::ALT | Qt::Key_4), this, [this] {
            m_workbench.tracePage().showTab(m_view);
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
    if (m_drawn || m_row < 0 || !m_ws || page.tabs()->currentWidget() != m_view)
        return; // laid out when first looked at, not for every trace passed by
    m_drawn = true;
    const std::shared_ptr<const Workspace> ws = m_ws;
    const std::int64_t row = m_row;
    const TraceRow trace = ws->row(static_cast<std::size_t>(row));
    const ReplayModel* model = &ws->fileOf(trace);
    const QPointer<DecisionTreeTab> self(this);
    m_workbench.session().tasks().start<LaidOutGraph>(
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
