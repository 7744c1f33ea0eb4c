#include "views/heatmap/heatmaptab.h"

#include "views/filterbar.h"
#include "views/heatmap/heatmapview.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QVBoxLayout>

namespace rw {

using namespace analysis;

PermissionHeatmapTab::PermissionHeatmapTab(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    m_page = new QWidget(workbench.host());
    m_page->setObjectName(QStringLiteral("heatmapPage"));
    auto* layout = new QVBoxLayout(m_page);
    layout->setContentsMargins(6, 4, 6, 4);
    m_caption = new QLabel(m_page);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setText(tr("Agents × permissions of the analysed runs. Shade: the share of the agent's runs that used "
                          "it (pale: few, dark: all). Dashed box: granted, never used (over-provisioned). Red frame and "
                          "corner: escalated in at least 2 runs and 20% of the agent's runs. Click a cell for its traces."));
    layout->addWidget(m_caption);
    m_view = new HeatmapView(m_page);
    m_scroll = new QScrollArea(m_page);
    m_scroll->setWidget(m_view);
    m_scroll->setWidgetResizable(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll, 1);
    workbench.tracePage().addTab(m_page, tr("Permissions"), false);

    connect(m_view, &HeatmapView::cellActivated, this, [this](const QString& agent, const QString& permission, bool used) {
        const QString query = filterFor(agent, used ? permission : QString());
        m_workbench.tracePage().filterBar()->setText(query);
        m_workbench.showMessage(used ? tr("Showing the traces behind the cell: %1").arg(query)
                                     : tr("%1 was granted and never used: showing the agent's traces (%2)").arg(permission, query),
                                8000);
    });
    Session& session = workbench.session();
    connect(&session, &Session::analysed, this, [this](std::shared_ptr<const WorkspaceAnalysis> result) {
        if (!result) {
            m_view->setHeatmap(nullptr);
            return;
        }
        using Result = std::shared_ptr<const PermissionHeatmap>;
        const QPointer<PermissionHeatmapTab> self(this); // the window may close before the count ends
        m_workbench.session().tasks().start<Result>(
            TaskKind::Heatmap, tr("Counting permissions"),
            [result](const CancelToken&, TaskProgress&) -> Result {
                return std::make_shared<const PermissionHeatmap>(buildPermissionHeatmap(*result));
            },
            [this, self, result](Result heatmap) {
                if (!self || result != m_workbench.session().analysis())
                    return; // a newer analysis has its own
                m_view->setHeatmap(std::move(heatmap));
                Q_EMIT shown();
            });
    });
}

QString PermissionHeatmapTab::filterFor(const QString& agent, const QString& permission)
{
    // quoted as the filter language reads quotes: \" and \\ inside, no wildcard
    const auto quoted = [](QString v) -> QString {
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
        return QLatin1Char('"') + v + QLatin1Char('"');
    };
    if (agent.isEmpty()) // runs without an agent id: by the permission alone
        return QStringLiteral("perm:%1").arg(quoted(permission));
    if (permission.isEmpty()) // a grant never used: no step names it, the agent's traces do
        return QStringLiteral("agent:%1").arg(quoted(agent));
    return QStringLiteral("agent:%1 perm:%2").arg(quoted(agent), quoted(permission));
}

} // namespace rw
