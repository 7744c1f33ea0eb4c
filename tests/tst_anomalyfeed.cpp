// The anomaly feed (issue 15) driven offscreen: its model under
// QAbstractItemModelTester, the dock after a load (the analysis runs by
// itself), filtering as typed, a refused filter, and a double-click that lands
// on the anomaly's step in the trace list, the event table and the drawer.
#include "tests/guitestutil.h"
#include "views/anomalies/analysisprofileaction.h"
#include "views/anomalies/anomalyfeed.h"
#include "views/evidence/evidencecontroller.h"
#include "replay/evidence/evidencereader.h"
#include "views/filterbar.h"
#include "views/heatmap/heatmaptab.h"
#include "views/heatmap/heatmapview.h"
#include "views/heatmap/rangeslider.h"
#include "views/mainwindow.h"
#include "views/timelineview.h"
#include "model/tracequery.h"
#include "views/models/anomalyfeedmodel.h"
#include "views/models/eventtablemodel.h"
#include "views/models/tracelistmodel.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"

#include "views/eventdrawer.h"

#include <QAbstractItemModelTester>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QtTest>

using namespace rw;
using rwtest::sample;

namespace {

// the anomaly rows shown, in order (groups skipped)
std::vector<QModelIndex> anomalyRows(const QAbstractItemModel& model)
{
    std::vector<QModelIndex> out;
    for (int g = 0; g < model.rowCount(); ++g) {
        const QModelIndex group = model.index(g, 0);
        for (int r = 0; r < model.rowCount(group); ++r)
            out.push_back(model.index(r, 0, group));
    }
    return out;
}

} // namespace

class TestAnomalyFeed : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelUnderTester();
    void feedAfterLoad();
    void filterAsTyped();
    void refusedFilterChangesNothing();
    void currentAnomalyKeptAcrossFilters();
    void doubleClickLandsOnTheStep();
    void reloadAnalysesAgain();
    void traceListAsksTheAnalysis();
    void timelineBadges();
    void heatmapGeometry();
    void heatmapCellFiltersTheList();
    void heatmapWindowAndExport();
    void analysisProfileAnalysesAgain();
};

void TestAnomalyFeed::modelUnderTester()
{
    auto ws = std::make_shared<Workspace>();
    for (const char* name : {"run-incidents.jsonl", "run-12345.json"}) {
        LoadResult r = AuditLoader::loadFile(sample(name).toStdString());
        QVERIFY(r.model);
        ws->addFile(std::move(r.model));
    }
    std::shared_ptr<const analysis::WorkspaceAnalysis> an = analysis::analyzeWorkspace(*ws, *analysis::defaultAnalysisRules());
    AnomalyFeedModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setResult(an, ws, analysis::groupAnomalies(*an, *analysis::AnomalyQuery::parse(""), ws.get()));
    QCOMPARE(model.shown(), an->anomalies.size());
    QCOMPARE(anomalyRows(model).size(), an->anomalies.size());
    // typed roles: a group's severity and detector as enums, an anomaly's position in the analysis
    const QModelIndex first = model.index(0, 0);
    QCOMPARE(first.data(AnomalyFeedModel::SeverityRole).value<analysis::Severity>(), analysis::Severity::Critical);
    QCOMPARE(first.data(AnomalyFeedModel::AnomalyRole).toLongLong(), qint64(-1));
    QCOMPARE(first.data(AnomalyFeedModel::CountRole).toInt(), model.rowCount(first));
    const QModelIndex child = model.index(0, AnomalyFeedModel::RunColumn, first);
    const qint64 position = child.data(AnomalyFeedModel::AnomalyRole).toLongLong();
    QVERIFY(position >= 0);
    QCOMPARE(child.data().toString().toStdString(), an->anomaly(an->anomalies[static_cast<std::size_t>(position)]).runId);
    QCOMPARE(model.indexOfAnomaly(static_cast<std::uint32_t>(position)).row(), child.row());
    // sorting keeps each group's members and a persistent index on its anomaly
    const QPersistentModelIndex kept(child);
    for (int c = 0; c < AnomalyFeedModel::ColumnCount; ++c)
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            model.sort(c, order);
            QCOMPARE(anomalyRows(model).size(), an->anomalies.size());
            QCOMPARE(kept.data(AnomalyFeedModel::AnomalyRole).toLongLong(), position);
        }
    model.sort(AnomalyFeedModel::TimeColumn, Qt::AscendingOrder);
    for (int g = 0; g < model.rowCount(); ++g) {
        const QModelIndex group = model.index(g, 0);
        for (int r = 1; r < model.rowCount(group); ++r) {
            const auto at = [&](int row) {
                return an->anomalies[static_cast<std::size_t>(model.index(row, 0, group).data(AnomalyFeedModel::AnomalyRole).toLongLong())].timeUs;
            };
            QVERIFY(at(r - 1) <= at(r));
        }
    }
    // a filtered result, then none
    model.setResult(an, ws, analysis::groupAnomalies(*an, *analysis::AnomalyQuery::parse("severity:info"), ws.get()));
    QVERIFY(model.shown() > 0 && model.shown() < an->anomalies.size());
    model.setResult(nullptr, ws, {});
    QCOMPARE(model.rowCount(), 0);
}

void TestAnomalyFeed::feedAfterLoad()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    QSignalSpy shown(feed, &AnomalyFeed::shown);
    w.openFiles({sample("run-incidents.jsonl"), sample("run-12345.json")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(!shown.isEmpty());
    const auto an = w.session().analysis();
    QVERIFY(an);
    QCOMPARE(feed->model()->shown(), an->anomalies.size());
    auto* button = w.findChild<QToolButton*>(QStringLiteral("anomalyButton"));
    QVERIFY(button && button->isVisible());
    QVERIFY2(button->text().contains(QStringLiteral("%1 anomalies").arg(an->anomalies.size())), qPrintable(button->text()));
    QVERIFY(button->text().contains(QStringLiteral("critical")));
    // the button opens and closes the dock
    QVERIFY(!feed->dock()->isVisible());
    button->click();
    QVERIFY(feed->dock()->isVisible());
    button->click();
    QVERIFY(!feed->dock()->isVisible());
}

void TestAnomalyFeed::filterAsTyped()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    w.openFiles({sample("run-incidents.jsonl"), sample("run-12345.json")});
    QVERIFY(w.waitUntilIdle());
    w.showDock(feed->dock());
    QSignalSpy shown(feed, &AnomalyFeed::shown);
    QTest::keyClicks(feed->queryEdit(), QStringLiteral("anomaly:data_exfiltration"));
    QTRY_VERIFY(!shown.isEmpty()); // once typing pauses
    QCOMPARE(feed->model()->shown(), std::size_t{1});
    QCOMPARE(feed->model()->rowCount(), 1);
    auto* status = w.findChild<QLabel*>(QStringLiteral("anomalyStatus"));
    QVERIFY(status->text().startsWith(QStringLiteral("1 of ")));
}

void TestAnomalyFeed::refusedFilterChangesNothing()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    w.showDock(feed->dock());
    QVERIFY(feed->setQuery(QStringLiteral("severity>=warn")));
    const std::size_t before = feed->model()->shown();
    QVERIFY(!feed->setQuery(QStringLiteral("severity>=warn anomaly:bogus")));
    auto* error = w.findChild<QLabel*>(QStringLiteral("anomalyQueryError"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("anomaly:bogus (character 16)")), qPrintable(error->text()));
    QVERIFY(error->text().contains(QStringLiteral("data_exfiltration")));
    QCOMPARE(feed->model()->shown(), before);
    QVERIFY(feed->setQuery(QString()));
    QVERIFY(!error->isVisible());
}

// a narrower filter that still shows the current anomaly keeps it current
void TestAnomalyFeed::currentAnomalyKeptAcrossFilters()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    const QModelIndex exfil = feed->model()->index(0, 0, feed->model()->index(
        [&] {
            for (int g = 0; g < feed->model()->rowCount(); ++g)
                if (feed->model()->index(g, 0).data(AnomalyFeedModel::DetectorRole).value<analysis::Detector>() ==
                    analysis::Detector::DataExfiltration)
                    return g;
            return -1;
        }(),
        0));
    QVERIFY(exfil.isValid());
    const qint64 position = exfil.data(AnomalyFeedModel::AnomalyRole).toLongLong();
    feed->view()->setCurrentIndex(exfil);
    QVERIFY(feed->setQuery(QStringLiteral("severity:critical")));
    QVERIFY(feed->view()->currentIndex().isValid());
    QCOMPARE(feed->view()->currentIndex().data(AnomalyFeedModel::AnomalyRole).toLongLong(), position);
    QVERIFY(feed->setQuery(QStringLiteral("severity:warn"))); // filtered out: no current anomaly
    const QModelIndex now = feed->view()->currentIndex();
    QVERIFY(!now.isValid() || now.data(AnomalyFeedModel::AnomalyRole).toLongLong() != position);
}

void TestAnomalyFeed::doubleClickLandsOnTheStep()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    w.openFiles({sample("run-incidents.jsonl"), sample("run-12345.json")});
    QVERIFY(w.waitUntilIdle());
    TracePage& page = w.tracePage();
    // a trace filter that hides the anomaly's run is cleared to show it
    page.selectTrace(QStringLiteral("run-12345"));
    QVERIFY(feed->setQuery(QStringLiteral("anomaly:data_exfiltration")));
    w.showDock(feed->dock(), 0);
    QTreeView* view = feed->view();
    const QModelIndex at = feed->model()->index(0, AnomalyFeedModel::RunColumn, feed->model()->index(0, 0));
    QVERIFY(at.isValid());
    QTRY_VERIFY(view->isVisible() && view->viewport()->height() > 40);
    view->scrollTo(at);
    const QRect r = view->visualRect(at);
    QVERIFY(view->viewport()->rect().contains(r.center()));
    QSignalSpy doubleClicks(view, &QTreeView::doubleClicked);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, r.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(doubleClicks.size(), 1);
    const auto an = w.session().analysis();
    const analysis::AnomalyRef& ref = an->anomalies[static_cast<std::size_t>(at.data(AnomalyFeedModel::AnomalyRole).toLongLong())];
    QCOMPARE(page.currentRow(), ref.row);
    QCOMPARE(std::string(page.workspace()->str(page.workspace()->row(static_cast<std::size_t>(page.currentRow())),
                                               page.workspace()->row(static_cast<std::size_t>(page.currentRow())).traceId)),
             std::string("run-exfil-0412"));
    QVERIFY(ref.event >= 0);
    QCOMPARE(page.currentEvent(), ref.event);
    const QModelIndex current = page.eventView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(page.eventModel()->rowOfEvent(static_cast<std::uint32_t>(ref.event)), current.row());
    QVERIFY(page.drawerDock()->isVisible());
    // the drawer's Anomaly tab words it, current
    QCOMPARE(page.drawer()->tabs()->currentWidget(), static_cast<QWidget*>(feed->detail()));
    const QString card = feed->detail()->toPlainText();
    QVERIFY2(card.startsWith(QStringLiteral("CRITICAL · Data exfiltration · score ")), qPrintable(card));
    QVERIFY(card.contains(QStringLiteral("Rule: exfil.")));
    QVERIFY(card.contains(QStringLiteral("Evidence (the exact bytes):\n  run-incidents.jsonl line 1, byte ")));
    QVERIFY(card.contains(QStringLiteral("destination: paste.example.net")));
    // an escalation's witness is the permission in the step's record: marked in the raw line
    std::int64_t escalation = -1;
    for (std::size_t i = 0; i < an->anomalies.size(); ++i)
        if (an->anomaly(an->anomalies[i]).runId == "run-delete-0414" &&
            an->anomaly(an->anomalies[i]).detector == analysis::Detector::PermissionEscalation)
            escalation = static_cast<std::int64_t>(i);
    QVERIFY(escalation >= 0);
    feed->open(static_cast<std::uint32_t>(escalation));
    QCOMPARE(page.currentRow(), an->anomalies[static_cast<std::size_t>(escalation)].row);
    QVERIFY(page.drawer()->rawText().contains(QStringLiteral("storage:delete")));
    QCOMPARE(page.drawer()->rawHighlights(), 1);
    QVERIFY(feed->detail()->toPlainText().contains(QStringLiteral("= storage:delete")));
    // another event: its raw line has no marks
    page.selectEvent(page.eventModel()->index(0, 0).data(EventTableModel::EventIndexRole).toLongLong(), nullptr);
    QCOMPARE(page.drawer()->rawHighlights(), 0);
}

// a reload (the files grew, another file added) analyses again; the stale analysis is not shown meanwhile
void TestAnomalyFeed::reloadAnalysesAgain()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    auto* feed = w.feature<AnomalyFeed>();
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    const std::size_t first = feed->model()->shown();
    QVERIFY(first > 0);
    QSignalSpy analysed(&w.session(), &Session::analysed);
    w.openFiles({sample("run-12345.json")}, true);
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(analysed.size(), 2); // dropped, then the new one
    QVERIFY(!analysed.front().front().value<std::shared_ptr<const analysis::WorkspaceAnalysis>>());
    QVERIFY(feed->model()->shown() > first);
    QCOMPARE(feed->model()->shown(), w.session().analysis()->anomalies.size());
}

// `worst:critical` in the trace list's filter, typed before the files load: answered once the
// analysis arrives (filtered again then); the Anomalies column shows each trace's count and worst
void TestAnomalyFeed::traceListAsksTheAnalysis()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    TracePage& page = w.tracePage();
    page.filterBar()->setText(QStringLiteral("worst:critical"));
    w.openFiles({sample("run-incidents.jsonl"), sample("run-12345.json")});
    QVERIFY(w.waitUntilIdle());
    const auto an = w.session().analysis();
    QVERIFY(an);
    std::vector<std::string> expected, shown;
    for (std::size_t r = 0; r < an->rows.size(); ++r)
        if (an->rows[r].count > 0 && an->rows[r].worst == std::uint8_t(analysis::Severity::Critical))
            expected.push_back(std::string(page.workspace()->str(page.workspace()->row(r), page.workspace()->row(r).traceId)));
    QCOMPARE(expected.size(), std::size_t{3});
    TraceListModel* list = page.traceModel();
    for (int row = 0; row < list->rowCount(); ++row) {
        shown.push_back(list->index(row, 0).data(TraceListModel::TraceIdRole).toString().toStdString());
        const QModelIndex cell = list->index(row, TraceListModel::AnomaliesColumn);
        QVERIFY2(cell.data().toString().endsWith(QStringLiteral(" critical")), qPrintable(cell.data().toString()));
        QCOMPARE(cell.data(TraceListModel::AnomalySeverityRole).value<analysis::Severity>(), analysis::Severity::Critical);
    }
    std::sort(expected.begin(), expected.end());
    std::sort(shown.begin(), shown.end());
    QCOMPARE(shown, expected);
    // a clean trace: an empty cell, no severity
    page.filterBar()->setText(QStringLiteral("anomalies:0"));
    QVERIFY(w.waitUntilIdle());
    QVERIFY(list->rowCount() > 0);
    for (int row = 0; row < list->rowCount(); ++row) {
        QVERIFY(list->index(row, TraceListModel::AnomaliesColumn).data().toString().isEmpty());
        QVERIFY(!list->index(row, TraceListModel::AnomaliesColumn).data(TraceListModel::AnomalySeverityRole).isValid());
    }
}

// the selected trace's anomalies as badges on its timeline, the worst of each step; set again
// when the analysis arrives after the trace was shown
void TestAnomalyFeed::timelineBadges()
{
    MainWindow w(MainWindow::Options{false});
    w.show();
    TracePage& page = w.tracePage();
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(page.selectTrace(QStringLiteral("run-integrity-0415")));
    const auto an = w.session().analysis();
    const std::vector<std::pair<std::uint32_t, std::uint8_t>> worst = analysis::worstByEvent(*an, page.currentRow());
    QCOMPARE(worst.size(), std::size_t{2}); // step 0 (warn), step 1 (critical and warns)
    for (const auto& [event, severity] : worst)
        QCOMPARE(page.timeline()->anomalyBadge(event), 1 + severity);
    QCOMPARE(int(std::max_element(worst.begin(), worst.end(), [](auto a, auto b) { return a.second < b.second; })->second),
             int(analysis::Severity::Critical));
    const std::uint32_t clean = static_cast<std::uint32_t>(page.eventModel()->index(2, 0).data(EventTableModel::EventIndexRole).toLongLong());
    QCOMPARE(page.timeline()->anomalyBadge(clean), 0); // step 2: nothing found
    // a reload: the badges go with the analysis, and come back with the new one
    QSignalSpy analysed(&w.session(), &Session::analysed);
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QVERIFY(page.selectTrace(QStringLiteral("run-integrity-0415")));
    QTRY_VERIFY(page.timeline()->anomalyBadge(worst.front().first) > 0);
}

void TestAnomalyFeed::heatmapGeometry()
{
    HeatmapGeometry g;
    g.rows = 3;
    g.columns = 4;
    g.labelWidth = 100;
    g.headerHeight = 50;
    g.cell = 20;
    QCOMPARE(g.cellRect(2, 3), QRect(160, 90, 20, 20));
    int row = -1, column = -1;
    QVERIFY(g.cellAt(QPoint(165, 95), &row, &column));
    QCOMPARE(row, 2);
    QCOMPARE(column, 3);
    QVERIFY(!g.cellAt(QPoint(99, 95), &row, &column));  // the labels
    QVERIFY(!g.cellAt(QPoint(181, 95), &row, &column)); // past the last column
    QVERIFY(!g.cellAt(QPoint(165, 111), &row, &column)); // past the last row
    const HeatmapGeometry::Range all = g.visible(QRect(QPoint(0, 0), g.size()));
    QCOMPARE(all.endRow - all.firstRow, 3);
    QCOMPARE(all.endColumn - all.firstColumn, 4);
    const HeatmapGeometry::Range one = g.visible(QRect(125, 75, 5, 5)); // inside cell (1, 1)
    QCOMPARE(one.firstRow, 1);
    QCOMPARE(one.endRow, 2);
    QCOMPARE(one.firstColumn, 1);
    QCOMPARE(one.endColumn, 2);
    const HeatmapGeometry::Range header = g.visible(QRect(120, 0, 30, 20)); // the names only
    QCOMPARE(header.endRow, header.firstRow);
    QVERIFY(header.endColumn > header.firstColumn);
}

// the Permissions tab after a load; a click on a cell shows the agent's traces that used the permission
void TestAnomalyFeed::heatmapCellFiltersTheList()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    auto* tab = w.feature<PermissionHeatmapTab>();
    QSignalSpy shown(tab, &PermissionHeatmapTab::shown);
    w.openFiles({sample("run-incidents.jsonl")});
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY(!shown.isEmpty());
    TracePage& page = w.tracePage();
    page.showTab(tab->page());
    HeatmapView* view = tab->view();
    const analysis::PermissionHeatmap* map = view->heatmap();
    QVERIFY(map);
    const int row = int(std::find(map->agents.begin(), map->agents.end(), "prod-triage-au-east") - map->agents.begin());
    const int column = int(std::find(map->permissions.begin(), map->permissions.end(), "service:restart") - map->permissions.begin());
    QVERIFY(row < int(map->agents.size()) && column < int(map->permissions.size()));
    QVERIFY(view->cellText(row, column).contains(QStringLiteral("escalated (outside the baseline) in 1 runs")));
    QTRY_VERIFY(view->isVisible());
    QTest::mouseClick(view, Qt::LeftButton, {}, view->geometry().cellRect(row, column).center());
    QCOMPARE(page.filterBar()->lineEdit()->text(), QStringLiteral("agent:\"prod-triage-au-east\" perm:\"service:restart\""));
    QVERIFY(w.waitUntilIdle());
    // run-integrity-0415 only: the other run of that agent in the file used no service:restart
    QCOMPARE(page.traceModel()->rowCount(), 1);
    QCOMPARE(page.traceModel()->index(0, 0).data(TraceListModel::TraceIdRole).toString(), QStringLiteral("run-integrity-0415"));
    // names are quoted as the filter language reads them, and the query parses back to them
    const QString odd = PermissionHeatmapTab::filterFor(QStringLiteral("a\"b\\"), QStringLiteral("p*q"));
    QCOMPARE(odd, QStringLiteral("agent:\"a\\\"b\\\\\" perm:\"p*q\""));
    QueryError error;
    (void)TraceQuery::parse(odd.toStdString(), &error);
    QCOMPARE(int(error.code), int(QueryErrorCode::None));
    // a grant never used: no step names it, so the agent's traces
    QCOMPARE(PermissionHeatmapTab::filterFor(QStringLiteral("a1"), QString()), QStringLiteral("agent:\"a1\""));
}

// the time window narrows the count to the runs started in it (keys and drags move the
// handles); the map exports as PNG and SVG
void TestAnomalyFeed::heatmapWindowAndExport()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1400, 900);
    w.show();
    auto* tab = w.feature<PermissionHeatmapTab>();
    QSignalSpy shown(tab, &PermissionHeatmapTab::shown);
    w.openFiles({sample("run-incidents.jsonl")}); // five runs, 02:00 to 04:00 on 2026-03-06
    QVERIFY(w.waitUntilIdle());
    QTRY_VERIFY(!shown.isEmpty());
    w.tracePage().showTab(tab->page());
    const auto runsShown = [&] {
        std::uint32_t n = 0;
        for (const std::uint32_t r : tab->view()->heatmap()->agentRuns)
            n += r;
        return n;
    };
    QCOMPARE(runsShown(), 5u);
    QCOMPARE(tab->windowText(), QStringLiteral("2026-03-06 02:00 – 2026-03-06 04:00 UTC · all runs"));
    RangeSlider* slider = tab->slider();
    QVERIFY(slider->isEnabled());
    // the end moved back to half the span (03:00): the runs of 02:00, 02:20 and 02:40
    shown.clear();
    slider->setRange(0, slider->maximum() / 2);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(runsShown(), 3u);
    QVERIFY2(tab->windowText().endsWith(QStringLiteral(" · 3 of 5 runs")), qPrintable(tab->windowText()));
    // the keyboard: Home shows everything again
    shown.clear();
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Home);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(runsShown(), 5u);
    // the start moved forward by a tenth twice (02:24): 02:40, 03:00 and 04:00
    shown.clear();
    QTest::keyClick(slider, Qt::Key_PageUp);
    QTest::keyClick(slider, Qt::Key_PageUp);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(slider->lower(), slider->maximum() / 5);
    QCOMPARE(runsShown(), 3u);
    // a cell then lists the traces the window counts: its bounds join the filter
    HeatmapView* view = tab->view();
    const analysis::PermissionHeatmap* map = view->heatmap();
    const int row = int(std::find(map->agents.begin(), map->agents.end(), "prod-triage-au-east") - map->agents.begin());
    const int column = int(std::find(map->permissions.begin(), map->permissions.end(), "service:restart") - map->permissions.begin());
    QVERIFY(row < int(map->agents.size()) && column < int(map->permissions.size()));
    QTRY_VERIFY(view->isVisible());
    QTest::mouseClick(view, Qt::LeftButton, {}, view->geometry().cellRect(row, column).center());
    QCOMPARE(w.tracePage().filterBar()->lineEdit()->text(),
             QStringLiteral("agent:\"prod-triage-au-east\" perm:\"service:restart\" first_seen>=2026-03-06T02:24:00.000000 "
                            "first_seen<2026-03-06T04:00:00.000001"));
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.tracePage().traceModel()->rowCount(), 1);

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("heatmap.PNG")), svg = dir.filePath(QStringLiteral("heatmap.svg"));
    QCOMPARE(tab->exportTo(png), QString());
    QCOMPARE(tab->exportTo(svg), QString());
    QFile p(png), s(svg);
    QVERIFY(p.open(QIODevice::ReadOnly) && s.open(QIODevice::ReadOnly));
    QVERIFY(p.read(8).startsWith("\x89PNG"));
    const QByteArray text = s.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("prod-triage-au-east")); // the labels are text in the drawing
    QVERIFY(text.contains("Permission heatmap · runs started 2026-03-06 02:24")); // and what it counts, above it
    QVERIFY(text.contains("run-incidents.jsonl"));
    QVERIFY(!tab->exportTo(dir.filePath(QStringLiteral("no/such/folder/heatmap.png"))).isEmpty());
    // never over the evidence: an open audit file is refused and stays as it was
    const auto readBytes = [](const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    const QByteArray before = readBytes(sample("run-incidents.jsonl"));
    const QString refused = tab->exportTo(sample("run-incidents.jsonl"));
    QVERIFY2(refused.contains(QStringLiteral("run-incidents.jsonl")), qPrintable(refused));
    QCOMPARE(readBytes(sample("run-incidents.jsonl")), before);
}

// Policy ▸ Load Analysis Profile…: the open files analysed again with the
// profile, its behaviour/ folder and exfiltration.yaml; a broken profile is
// refused with its finding and the rules in use stay; back to the built-in rules
void TestAnomalyFeed::analysisProfileAnalysesAgain()
{
    MainWindow w(MainWindow::Options{false});
    w.openFiles({sample("run-branching.json")});
    QVERIFY(w.waitUntilIdle());
    const std::size_t builtIn = w.session().analysis()->anomalies.size();
    QCOMPARE(builtIn, std::size_t(2)); // the baseline inferred from the run: two escalations
    // the timeline of the trace shown keeps its zoom while the rules stay (an analysis again, as Follow makes)
    QVERIFY(w.tracePage().selectTrace(QStringLiteral("run-disk-0907")));
    TimelineView* timeline = w.tracePage().timeline();
    QCOMPARE(timeline->content().lanes.size(), std::size_t(3));
    timeline->zoomIn();
    const double zoomed = timeline->geometryModel().zoom();
    QVERIFY(zoomed > 1);
    w.session().analyze();
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(timeline->geometryModel().zoom(), zoomed);
    auto* action = w.feature<AnalysisProfileAction>();
    QVERIFY(action);
    QVERIFY2(action->loadProfile(sample("analysis/analysis.yaml")), qPrintable(action->lastReport()));
    QVERIFY(action->lastReport().contains(QStringLiteral("2 behavioural policies")));
    QVERIFY(w.waitUntilIdle());
    // the profile's baseline and SOP-114 / SOP-200: the six anomalies the CLI finds with the same files
    QCOMPARE(w.session().analysis()->anomalies.size(), std::size_t(6));
    QVERIFY(w.session().analysisRules()->config().profileGiven);
    // other rules: the lanes made again from the profile's action types (the view fitted anew)
    QCOMPARE(timeline->geometryModel().zoom(), 1.0);
    QCOMPARE(timeline->content().lanes.size(), std::size_t(3));
    // evidence exported now carries the analysis the workbench shows: the profile's six anomalies
    QTemporaryDir out;
    const QString bundle = out.filePath(QStringLiteral("bundle.zip"));
    EvidenceController::Options options;
    options.includeAnalysis = true;
    w.tracePage().selectTrace(QStringLiteral("run-disk-0907"));
    w.feature<EvidenceController>()->exportEvidence(bundle, options);
    QVERIFY(w.waitUntilIdle());
    const BundleRead read = readBundle(bundle.toStdString());
    QCOMPARE(read.error, BundleError::None);
    const BundleEntry* report = read.find("analysis/report.json");
    QVERIFY(report);
    const auto json = nlohmann::json::parse(report->bytes);
    std::size_t exported = 0;
    for (const auto& run : json["runs"])
        exported += run["anomalies"].size();
    QCOMPARE(exported, std::size_t(6));

    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("analysis.yaml"));
    {
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\nagents: [unclosed\n");
    }
    QVERIFY(!action->loadProfile(broken));
    QVERIFY2(action->lastReport().contains(QStringLiteral("analysis.yaml:")), qPrintable(action->lastReport()));
    // a name holding a right-to-left override and an escape: shown escaped, never as such
    const QString hidden = dir.filePath(QStringLiteral("evil\u202e\x1b[31m.yaml"));
    QVERIFY(QFile::copy(broken, hidden));
    QVERIFY(!action->loadProfile(hidden));
    QVERIFY2(!action->lastReport().contains(QChar(0x202e)) && !action->lastReport().contains(QChar(0x1b)),
             qPrintable(action->lastReport()));
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.session().analysis()->anomalies.size(), std::size_t(6)); // kept
    QCOMPARE(action->profilePath(), sample("analysis/analysis.yaml"));

    action->useBuiltIn();
    QVERIFY(w.waitUntilIdle());
    QCOMPARE(w.session().analysis()->anomalies.size(), builtIn);
}

QTEST_MAIN(TestAnomalyFeed)
#include "tst_anomalyfeed.moc"
