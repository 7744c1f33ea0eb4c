#include "app/gui/screenshotdriver.h"

#include "model/visibletext.h"
#include "views/anomalies/anomalyfeed.h"
#include "views/compare/comparisoncontroller.h"
#include "views/diffview.h"
#include "views/evidence/evidencecontroller.h"
#include "views/evidence/exportevidencedialog.h"
#include "views/session/session.h"
#include "views/findings/findingspanel.h"
#include "views/governance/governancemetrics.h"
#include "views/governance/governancewindow.h"
#include "views/graphview.h"
#include "views/decisiontree/decisiontreetab.h"
#include "views/heatmap/heatmaptab.h"
#include "views/mainwindow.h"
#include "views/reevaluationpanel.h"
#include "views/trace/tracepage.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QTabWidget>
#include <QTreeView>
#include <QTableView>
#include <QTreeWidget>

#include <algorithm>
#include <cstdio>

namespace rw {

namespace {
QCommandLineOption flag(const char* name, const char* help)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
}
QCommandLineOption valued(const char* name, const char* help, const char* value)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value));
}
} // namespace

ScreenshotDriver::ScreenshotDriver(QCommandLineParser& parser)
    : m_parser(parser), m_screenshot(valued("screenshot", "Render the window to OUT.png and exit.", "OUT.png")),
      m_selectTrace(valued("select-trace", "Select trace ID after loading.", "ID")),
      m_drawer(flag("drawer", "With --screenshot: open the event drawer on an event.")),
      m_findings(flag("findings", "With --screenshot: show the findings panel.")),
      m_event(valued("event", "With --drawer: the row of the event to show (1-based).", "N")),
      m_graph(flag("graph", "With --screenshot: show the execution graph tab.")),
      m_compareWith(valued("compare-with", "With --select-trace: compare it (left) with trace ID (right).", "ID")),
      m_compareReevaluation(flag("compare-reevaluation", "With --select-trace and --policy: compare it with its re-evaluation.")),
      m_compareGraph(flag("compare-graph", "With --screenshot: show the graph overlay.")),
      m_showBehind(valued("show-behind", "With --reevaluate: list the traces behind a count, e.g. flips:allowed->blocked.",
                          "SECTION:KEY")),
      m_openEvidence(flag("open-evidence", "With --verify-bundle: open the verified bundle's lines.")),
      m_governance(valued("governance",
                          "With --screenshot: the Governance Metrics window, by total, agent, tool or tenant, and "
                          "optionally one counter (agent:runtime_incidents).",
                          "BREAKDOWN[:COUNTER]")),
      m_exportDialog(flag("export-dialog", "With --screenshot: the Export Evidence Bundle dialog.")),
      m_anomalies(flag("anomalies", "With --screenshot: the anomaly feed, once the analysis is done.")),
      m_anomalyFilter(valued("anomaly-filter", "With --anomalies: filter the feed (severity>=warn ...).", "QUERY")),
      m_openAnomaly(valued("open-anomaly", "With --anomalies: open the Nth anomaly shown (1-based) everywhere.", "N")),
      m_heatmap(flag("heatmap", "With --screenshot: the Permissions tab (agents x permissions).")),
      m_decisionTree(flag("decision-tree", "With --screenshot: the Decision tree tab of the selected trace."))
{
    parser.addOptions({m_screenshot, m_selectTrace, m_drawer, m_findings, m_event, m_graph, m_compareWith, m_compareReevaluation,
                       m_compareGraph, m_showBehind, m_openEvidence, m_governance, m_exportDialog, m_anomalies,
                       m_anomalyFilter, m_openAnomaly, m_heatmap, m_decisionTree});
}

bool ScreenshotDriver::requested() const
{
    return m_parser.isSet(m_screenshot);
}

int ScreenshotDriver::run(MainWindow& window, bool reevaluate, PolicyController::Scope scope, bool verify)
{
    const auto fail = [](const char* what, const QString& arg = {}) {
        std::fprintf(stderr, "Error: %s%s\n", what, qPrintable(visibleText(arg)));
        return 1;
    };
    TracePage& page = window.tracePage();
    if (!window.waitUntilIdle(120000))
        return fail("loading did not finish in time");
    if (m_parser.isSet(m_selectTrace) && !page.selectTrace(m_parser.value(m_selectTrace)))
        return fail("no trace ", m_parser.value(m_selectTrace));
    if (reevaluate) {
        auto* policy = window.feature<PolicyController>();
        policy->reevaluate(scope);
        window.waitUntilIdle(120000);
        if (m_parser.isSet(m_showBehind)) {
            const QString v = m_parser.value(m_showBehind);
            QTreeWidgetItem* item = policy->panel()->findItem(v.section(QLatin1Char(':'), 0, 0), v.section(QLatin1Char(':'), 1));
            if (!item)
                return fail("no such count in the re-evaluation: ", v);
            policy->panel()->tree()->setCurrentItem(item);
            Q_EMIT policy->panel()->tree()->itemClicked(item, 0);
            window.waitUntilIdle(10000);
        }
    }
    if (m_parser.isSet(m_compareWith) || m_parser.isSet(m_compareReevaluation)) {
        auto* compare = window.feature<ComparisonController>();
        bool ok = false;
        if (m_parser.isSet(m_compareWith)) {
            compare->markForComparison();
            ok = page.selectTrace(m_parser.value(m_compareWith)) && compare->compareWithMarked();
        } else {
            ok = compare->compareWithReevaluation();
        }
        if (!ok || !window.waitUntilIdle(60000))
            return fail("the comparison could not be made");
        if (m_parser.isSet(m_compareGraph))
            compare->diffView()->tabs()->setCurrentIndex(1);
    }
    if (verify) {
        auto* evidence = window.feature<EvidenceController>();
        window.waitUntilIdle(120000);
        if (m_parser.isSet(m_openEvidence)) {
            if (!evidence->openVerifiedBundle())
                return fail("the bundle did not verify; not opened");
            window.waitUntilIdle(60000);
        } else if (QWidget* report = evidence->showVerification()) {
            window.waitUntilIdle(5000);
            QApplication::processEvents();
            return report->grab().save(m_parser.value(m_screenshot)) ? 0 : 1;
        }
    }
    if (m_parser.isSet(m_governance)) {
        auto* metrics = window.feature<GovernanceMetrics>();
        GovernanceWindow* shown = metrics->window();
        const QString breakdown = m_parser.value(m_governance).section(QLatin1Char(':'), 0, 0);
        const QString counter = m_parser.value(m_governance).section(QLatin1Char(':'), 1);
        // the counter first: "By tool" is off for the counters of whole traces
        for (std::size_t i = 0; !counter.isEmpty() && i < analysis::kGovernanceCounters; ++i)
            if (counter == QLatin1String(analysis::governanceCounterName(static_cast<analysis::GovernanceCounter>(i))))
                shown->metricBox()->setCurrentIndex(static_cast<int>(i));
        const int b = shown->breakdownBox()->findText(breakdown, Qt::MatchContains);
        if (b < 0)
            return fail("no such breakdown: ", breakdown);
        shown->breakdownBox()->setCurrentIndex(b);
        metrics->show();
        window.waitUntilIdle(120000);
        QApplication::processEvents();
        return shown->grab().save(m_parser.value(m_screenshot)) ? 0 : 1;
    }
    if (m_parser.isSet(m_exportDialog)) {
        ExportEvidenceDialog dialog(&window, page.currentRow() >= 0, static_cast<int>(page.shownRows().size()),
                                    window.session().policy() != nullptr);
        dialog.show();
        window.waitUntilIdle(5000);
        QApplication::processEvents();
        return dialog.grab().save(m_parser.value(m_screenshot)) ? 0 : 1;
    }
    if (m_parser.isSet(m_findings))
        window.feature<FindingsPanel>()->dock()->show();
    if (m_parser.isSet(m_anomalies))
        if (const int failed = showAnomalies(window))
            return failed;
    if (m_parser.isSet(m_graph))
        page.showTab(page.graphView());
    if (m_parser.isSet(m_decisionTree))
        page.showTab(window.feature<DecisionTreeTab>()->page()); // laid out in a task: waited for below
    if (m_parser.isSet(m_heatmap)) {
        window.waitUntilIdle(120000); // the analysis, then the heatmap's count
        page.showTab(window.feature<PermissionHeatmapTab>()->page());
    }
    if (m_parser.isSet(m_drawer)) {
        page.drawerDock()->show();
        const int wanted = m_parser.isSet(m_event) ? m_parser.value(m_event).toInt() - 1 : 1;
        QMetaObject::invokeMethod(&window, [&page, wanted] {
            QTableView* events = page.eventView();
            const int rows = events->model()->rowCount();
            if (rows > 0)
                events->setCurrentIndex(events->model()->index(std::clamp(wanted, 0, rows - 1), 0));
        });
    }
    window.waitUntilIdle(5000);
    QApplication::processEvents(); // let queued layout and paint settle before grabbing (not heavy work)
    if (!window.grab().save(m_parser.value(m_screenshot)))
        return fail("cannot write ", m_parser.value(m_screenshot));
    return 0;
}

int ScreenshotDriver::showAnomalies(MainWindow& window)
{
    auto* feed = window.feature<AnomalyFeed>();
    window.waitUntilIdle(120000); // the analysis follows the load
    if (m_parser.isSet(m_anomalyFilter) && !feed->setQuery(m_parser.value(m_anomalyFilter))) {
        std::fprintf(stderr, "Error: the anomaly filter does not parse: %s\n", qPrintable(visibleText(m_parser.value(m_anomalyFilter))));
        return 1;
    }
    window.showDock(feed->dock(), 0);
    if (m_parser.isSet(m_openAnomaly)) {
        // the Nth anomaly row in the order shown, groups skipped
        int wanted = m_parser.value(m_openAnomaly).toInt();
        QAbstractItemModel* model = feed->view()->model();
        for (int g = 0; g < model->rowCount() && wanted > 0; ++g) {
            const QModelIndex group = model->index(g, 0);
            const int n = model->rowCount(group);
            if (wanted <= n) {
                const QModelIndex at = model->index(wanted - 1, 0, group);
                feed->view()->setCurrentIndex(at);
                feed->view()->scrollTo(at);
                Q_EMIT feed->view()->activated(at);
            }
            wanted -= n;
        }
        if (wanted > 0) {
            std::fprintf(stderr, "Error: fewer anomalies shown than %s\n", qPrintable(m_parser.value(m_openAnomaly)));
            return 1;
        }
    }
    return 0;
}

} // namespace rw
