#include "views/anomalies/anomalyfeed.h"

#include "app/text/anomalyquerytext.h"
#include "app/text/analysistext.h"
#include "app/text/anomalytext.h"
#include "app/text/plural.h"
#include "model/visibletext.h"
#include "views/badgedelegate.h"
#include "views/eventdrawer.h"
#include "views/models/anomalyfeedmodel.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"
#include "views/workbench.h"

#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QFontDatabase>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace rw {

using namespace analysis;

AnomalyFeed::AnomalyFeed(Workbench& workbench) : QObject(workbench.host()), m_workbench(workbench)
{
    QWidget* window = workbench.host();
    auto* panel = new QWidget(window);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(3);
    auto* top = new QHBoxLayout;
    m_query = new QLineEdit(panel);
    m_query->setObjectName(QStringLiteral("anomalyQuery"));
    m_query->setClearButtonEnabled(true);
    m_query->setPlaceholderText(tr("Filter anomalies: anomaly:data_exfiltration severity>=warn agent:prod- time>=2026-03-05T14:00Z"));
    m_query->setAccessibleName(tr("Anomaly filter"));
    m_status = new QLabel(panel);
    m_status->setObjectName(QStringLiteral("anomalyStatus"));
    top->addWidget(m_query, 1);
    top->addWidget(m_status);
    layout->addLayout(top);
    m_error = new QLabel(panel);
    m_error->setObjectName(QStringLiteral("anomalyQueryError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();
    layout->addWidget(m_error);

    m_model = new AnomalyFeedModel(this);
    m_view = new QTreeView(panel);
    m_view->setObjectName(QStringLiteral("anomalyFeed"));
    m_view->setAccessibleName(tr("Anomalies"));
    m_view->setModel(m_model);
    m_view->setUniformRowHeights(true); // 100,000 rows scroll without measuring each
    m_view->setSortingEnabled(true);
    m_view->header()->setSortIndicator(-1, Qt::AscendingOrder); // the analysis's order until a header is clicked
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false);
    m_view->setItemDelegateForColumn(AnomalyFeedModel::SeverityColumn,
                                     new BadgeDelegate(ChipKind::Severity, AnomalyFeedModel::SeverityRole, m_view));
    // the message takes what the other columns leave
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(AnomalyFeedModel::SummaryColumn, QHeaderView::Stretch);
    m_view->setColumnWidth(AnomalyFeedModel::SeverityColumn, 96);
    m_view->setColumnWidth(AnomalyFeedModel::AgentColumn, 170);
    m_view->setColumnWidth(AnomalyFeedModel::RunColumn, 170);
    m_view->setColumnWidth(AnomalyFeedModel::StepColumn, 70);
    m_view->setColumnWidth(AnomalyFeedModel::TimeColumn, 180);
    m_view->setColumnWidth(AnomalyFeedModel::ScoreColumn, 56);
    layout->addWidget(m_view, 1);

    // the drawer's Anomaly tab: what an opened anomaly is, beside the event's own tabs
    m_detail = new QPlainTextEdit(window);
    m_detail->setObjectName(QStringLiteral("anomalyDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setAccessibleName(tr("Anomaly"));
    m_detail->setPlaceholderText(tr("Open an anomaly of the Anomalies panel (double-click or Enter) to see it here."));
    workbench.tracePage().drawer()->tabs()->addTab(m_detail, tr("Anomaly"));

    m_dock = new QDockWidget(tr("Anomalies"), window);
    m_dock->setObjectName(QStringLiteral("anomalyFeedDock"));
    m_dock->setWidget(panel);
    workbench.addDock(m_dock, Qt::BottomDockWidgetArea);

    m_button = new QToolButton(window);
    m_button->setObjectName(QStringLiteral("anomalyButton"));
    m_button->setAutoRaise(true);
    m_button->setAccessibleName(tr("Show anomalies"));
    m_button->hide();
    workbench.addStatusWidget(m_button);
    connect(m_button, &QToolButton::clicked, this, [this] {
        if (m_dock->isVisible())
            m_dock->hide();
        else
            m_workbench.showDock(m_dock);
    });

    // applied as it is typed, once typing pauses
    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(150);
    connect(m_typing, &QTimer::timeout, this, [this] { setQuery(m_query->text()); });
    connect(m_query, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        m_typing->stop();
        setQuery(m_query->text());
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex& index) {
        const qint64 position = index.data(AnomalyFeedModel::AnomalyRole).toLongLong();
        if (position >= 0)
            open(static_cast<std::uint32_t>(position));
    });

    Session& session = workbench.session();
    connect(&session, &Session::analysed, this, [this] {
        m_detail->clear(); // the anomaly it worded belongs to an analysis that is gone
        regroup();
    });
    connect(&session.tasks(), &TaskRunner::taskStarted, this, [this](TaskId, TaskKind kind) {
        if (kind == TaskKind::Analyze) {
            m_analysing = true;
            updateButton();
        }
    });
    connect(&session.tasks(), &TaskRunner::taskFinished, this, [this](TaskId, TaskKind kind) {
        if (kind == TaskKind::Analyze && !m_workbench.session().tasks().running(TaskKind::Analyze)) {
            m_analysing = false;
            updateButton();
        }
    });
}

bool AnomalyFeed::setQuery(const QString& query)
{
    if (m_query->text() != query)
        m_query->setText(query);
    m_typing->stop();
    AnomalyQueryProblem problem;
    const std::optional<AnomalyQuery> parsed = AnomalyQuery::parse(query.toStdString(), &problem);
    if (!parsed) {
        m_error->setText(anomalyQueryProblemText(problem));
        m_error->show();
        return false;
    }
    m_error->hide();
    m_applied = *parsed;
    regroup();
    return true;
}

void AnomalyFeed::regroup()
{
    const std::shared_ptr<const WorkspaceAnalysis> analysis = m_workbench.session().analysis();
    const std::shared_ptr<const Workspace> ws = m_workbench.session().workspace();
    std::vector<AnomalyGroup> groups;
    if (analysis)
        groups = groupAnomalies(*analysis, m_applied, ws.get());
    // the anomaly the user was on stays current when a new filter still shows it
    const qint64 current = m_model->analysis() == analysis && m_view->currentIndex().isValid()
                               ? m_view->currentIndex().data(AnomalyFeedModel::AnomalyRole).toLongLong()
                               : -1;
    m_model->setResult(analysis, ws, std::move(groups));
    // few groups: open, so the anomalies show at once; many anomalies scroll inside them. One
    // by one: QTreeView::expandAll (Qt 6.4) took 1.8 s over 100,000 rows in 21 groups, this 12 ms
    // with the frame drawn (bench_anomalyfeed)
    for (int g = 0; g < m_model->rowCount(); ++g)
        m_view->expand(m_model->index(g, 0));
    if (current >= 0)
        if (const QModelIndex again = m_model->indexOfAnomaly(static_cast<std::uint32_t>(current)); again.isValid()) {
            m_view->setCurrentIndex(again);
            m_view->scrollTo(again);
        }
    updateButton();
    Q_EMIT shown();
}

void AnomalyFeed::updateButton()
{
    const std::shared_ptr<const WorkspaceAnalysis> analysis = m_model->analysis();
    if (!m_workbench.session().workspace()) {
        m_button->hide();
        return;
    }
    if (!analysis) {
        // not "0 anomalies": nothing is known yet (analysing), or the analysis was cancelled
        m_button->setText(m_analysing ? tr("Analysing…") : tr("Not analysed"));
        m_button->setToolTip(m_analysing ? QString() : tr("The analysis was cancelled; reload (F5) to run it again"));
        m_status->setText(m_button->text());
        m_button->show();
        return;
    }
    const std::size_t total = analysis->anomalies.size();
    std::size_t critical = 0;
    for (const AnomalyRef& ref : analysis->anomalies)
        critical += analysis->anomaly(ref).severity == analysis::Severity::Critical;
    QString text = counted(total, "anomaly", "anomalies");
    if (critical)
        text += QStringLiteral(" · %1 critical").arg(critical);
    m_button->setText(text + (m_analysing ? QStringLiteral(" …") : QString()));
    m_button->setToolTip(tr("Anomalies the analysis found in the open files (default rules)"));
    m_button->show();
    m_status->setText(m_model->shown() == total ? counted(total, "anomaly", "anomalies")
                                                : tr("%1 of %2 shown").arg(m_model->shown()).arg(total));
}

void AnomalyFeed::open(std::uint32_t position)
{
    const std::shared_ptr<const WorkspaceAnalysis> analysis = m_model->analysis();
    if (!analysis || position >= analysis->anomalies.size() || analysis != m_workbench.session().analysis())
        return;
    const AnomalyRef& ref = analysis->anomalies[position];
    TracePage& page = m_workbench.tracePage();
    if (!page.selectRow(ref.row)) {
        m_workbench.showMessage(tr("The run of this anomaly is not in the trace list."), 5000);
        return;
    }
    const Anomaly& a = analysis->anomaly(ref);
    m_detail->setPlainText(anomalyCardText(a, analysis->run(ref)));
    if (ref.event >= 0) {
        page.selectEvent(ref.event, nullptr);
        page.openDrawer();
        // the witness of this step's own record, marked where its value stands in the raw line
        for (const Witness& w : a.witness)
            if (w.stepIndex == a.stepIndex && !w.value.empty()) {
                page.drawer()->highlightRaw(QString::fromStdString(visibleText(w.value)));
                break;
            }
    } else {
        page.openDrawer();
    }
    page.drawer()->tabs()->setCurrentWidget(m_detail);
}

} // namespace rw
