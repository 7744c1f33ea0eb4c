// The Governance Metrics window's pieces: the counts as series (buckets of an
// hour, a day or a week, the window, the breakdown and its "others"), the
// chart's geometry (ticks, points, hit testing), its SVG (escaped, the same
// parts), the CSV (formula-safe), and the window's click-through query.
#include "replay/analysis/governanceseries.h"
#include "model/timestamp.h"
#include "views/governance/chartgeometry.h"
#include "views/governance/chartpainter.h"
#include "views/governance/governancechart.h"
#include "views/governance/governancemetrics.h"
#include "views/governance/governancewindow.h"
#include "views/filterbar.h"
#include "views/mainwindow.h"
#include "views/session/session.h"
#include "views/trace/tracepage.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QPalette>
#include <QtTest>

using namespace rw;
using namespace rw::analysis;

namespace {

using C = GovernanceCounter;

GovernanceCounts sample()
{
    GovernanceCounts c;
    c.add({"2026-03-05T14", "triage", "restart_service", "acme"}, C::Traces, 3);
    c.add({"2026-03-05T14", "billing", "send_email", "acme"}, C::Traces, 1);
    c.add({"2026-03-05T16", "triage", "metrics.query", "acme"}, C::Traces, 2);
    c.add({"2026-03-05T16", "triage", "metrics.query", "acme"}, C::RuntimeIncidents, 1);
    c.add({"", "triage", "", ""}, C::Traces, 5); // no time
    return c;
}

double width(const QString& s)
{
    return 7.0 * s.size();
}

std::int64_t at(const char* iso)
{
    return *parseTimestamp(iso);
}

} // namespace

class TestGovernanceChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hourlySeries();
    void breakdownAndOthers();
    void windowAndBuckets_data();
    void windowAndBuckets();
    void geometry();
    void hitTest();
    void svgEscapes();
    void csvIsFormulaSafe();
    void windowQuery();
    void inTheWorkbench();
};

void TestGovernanceChart::hourlySeries()
{
    const GovernanceChartData d = governanceChart(sample(), C::Traces, GovernanceBreakdown::Total);
    QCOMPARE(d.bucketUs, kHourMicros);
    QCOMPARE(d.firstUs, at("2026-03-05T14:00:00Z"));
    QCOMPARE(d.buckets, std::size_t{3}); // 14, 15 (empty), 16
    QCOMPARE(d.series.size(), std::size_t{1});
    QCOMPARE(d.series[0].values, (std::vector<std::int64_t>{4, 0, 2}));
    QCOMPARE(d.series[0].total, std::int64_t{6});
    QCOMPARE(d.undated, std::int64_t{5});
    // a counter with nothing in it: the same time axis (every counted hour), no series
    const GovernanceChartData none = governanceChart(sample(), C::Blocked, GovernanceBreakdown::Total);
    QCOMPARE(none.buckets, std::size_t{3});
    QVERIFY(none.series.empty());
    // the axis does not move with the counter: incidents only at 16:00, still from 14:00
    const GovernanceChartData incidents = governanceChart(sample(), C::RuntimeIncidents, GovernanceBreakdown::Total);
    QCOMPARE(incidents.firstUs, d.firstUs);
    QCOMPARE(incidents.series[0].values, (std::vector<std::int64_t>{0, 0, 1}));
}

void TestGovernanceChart::breakdownAndOthers()
{
    GovernanceCounts c;
    for (int i = 0; i < 9; ++i)
        c.add({"2026-03-05T14", "agent-" + std::to_string(i), "", ""}, C::Traces, 10 + i);
    const GovernanceChartData d = governanceChart(c, C::Traces, GovernanceBreakdown::Agent, INT64_MIN, INT64_MAX, 3);
    QCOMPARE(d.series.size(), std::size_t{4});
    QCOMPARE(d.series[0].name, std::string("agent-8")); // the largest first
    QCOMPARE(d.series[2].name, std::string("agent-6"));
    QVERIFY(d.series[3].rest);
    QCOMPARE(d.series[3].total, std::int64_t{10 + 11 + 12 + 13 + 14 + 15});
    QCOMPARE(seriesLabel(d, d.series[3]), QStringLiteral("6 others"));
    // one series past the limit is the rest too (the rest's colour is its own)
    const GovernanceChartData e = governanceChart(c, C::Traces, GovernanceBreakdown::Agent, INT64_MIN, INT64_MAX, 8);
    QCOMPARE(e.series.size(), std::size_t{9});
    QVERIFY(e.series.back().rest);
    QCOMPARE(seriesLabel(e, e.series.back()), QStringLiteral("1 other"));
    // nine fit in nine
    QVERIFY(!governanceChart(c, C::Traces, GovernanceBreakdown::Agent, INT64_MIN, INT64_MAX, 9).series.back().rest);
}

void TestGovernanceChart::windowAndBuckets_data()
{
    QTest::addColumn<QString>("last");
    QTest::addColumn<qint64>("bucketUs");
    QTest::addColumn<QString>("firstBucket");
    QTest::newRow("hours up to two weeks") << QStringLiteral("2026-03-18T13") << qint64(kHourMicros)
                                           << QStringLiteral("2026-03-05T14:00:00Z");
    QTest::newRow("days past two weeks") << QStringLiteral("2026-03-25T10") << qint64(24 * kHourMicros)
                                         << QStringLiteral("2026-03-05T00:00:00Z");
    // weeks start on Monday: 2026-03-02 is one
    QTest::newRow("weeks past a year") << QStringLiteral("2027-06-01T10") << qint64(7 * 24 * kHourMicros)
                                       << QStringLiteral("2026-03-02T00:00:00Z");
}

void TestGovernanceChart::windowAndBuckets()
{
    QFETCH(QString, last);
    QFETCH(qint64, bucketUs);
    QFETCH(QString, firstBucket);
    GovernanceCounts c;
    c.add({"2026-03-05T14", "a", "", ""}, C::Traces, 1);
    c.add({last.toStdString(), "a", "", ""}, C::Traces, 2);
    const GovernanceChartData d = governanceChart(c, C::Traces, GovernanceBreakdown::Total);
    QCOMPARE(d.bucketUs, bucketUs);
    QCOMPARE(d.firstUs, at(firstBucket.toLatin1().constData()));
    std::int64_t sum = 0;
    for (const std::int64_t v : d.series[0].values)
        sum += v;
    QCOMPARE(sum, std::int64_t{3}); // every count in some bucket
    QCOMPARE(lastCountedHour(c), at((last + QStringLiteral(":00:00Z")).toLatin1().constData()));
    // a window that starts after the first hour leaves it out
    const GovernanceChartData w = governanceChart(c, C::Traces, GovernanceBreakdown::Total, lastCountedHour(c));
    QCOMPARE(w.series[0].total, std::int64_t{2});
}

void TestGovernanceChart::geometry()
{
    const GovernanceChartData d = governanceChart(sample(), C::Traces, GovernanceBreakdown::Agent);
    const ChartGeometry g = layoutChart(d, QSizeF(600, 300), width, 14);
    QVERIFY(g.plot.left() > 0 && g.plot.right() < 600 && g.plot.bottom() < 300);
    // y: round steps from 0 to at least the largest value (3)
    QCOMPARE(g.yTicks.front().label, QStringLiteral("0"));
    QVERIFY(g.yMax >= 3);
    QCOMPARE(g.yTicks.front().pos, g.plot.bottom());
    // one line per series, one point per bucket, left to right; the value 0 on the axis
    QCOMPARE(g.lines.size(), std::size_t{2});
    QCOMPARE(g.lines[0].points.size(), std::size_t{3});
    QVERIFY(g.lines[0].points[0].x() < g.lines[0].points[1].x());
    QCOMPARE(g.lines[1].points[2].y(), g.plot.bottom()); // billing at 16:00: nothing
    // labels never overlap
    for (std::size_t i = 1; i < g.xTicks.size(); ++i)
        QVERIFY(g.xTicks[i].pos - g.xTicks[i - 1].pos >= width(g.xTicks[i].label));
    // the first tick in full, the next ones as hours (the same day)
    QCOMPARE(g.xTicks.front().label, QStringLiteral("2026-03-05 14:00"));
    // a legend for more than one series, inside the chart
    QCOMPARE(g.legend.size(), std::size_t{2});
    QVERIFY(g.legend[0].swatch.left() > g.plot.right());
    // the total alone has no legend; a breakdown has one even for a single series
    QVERIFY(layoutChart(governanceChart(sample(), C::Traces, GovernanceBreakdown::Total), QSizeF(600, 300), width, 14)
                .legend.empty());
    const GovernanceChartData one = governanceChart(sample(), C::RuntimeIncidents, GovernanceBreakdown::Tenant);
    QCOMPARE(layoutChart(one, QSizeF(600, 300), width, 14).legend.size(), std::size_t{1});
    // nothing to draw: says so
    const ChartGeometry empty = layoutChart({}, QSizeF(600, 300), width, 14);
    QVERIFY(empty.lines.empty());
    QVERIFY(!empty.emptyText.isEmpty());
}

void TestGovernanceChart::hitTest()
{
    const GovernanceChartData d = governanceChart(sample(), C::Traces, GovernanceBreakdown::Agent);
    const ChartGeometry g = layoutChart(d, QSizeF(600, 300), width, 14);
    const QPointF p = g.lines[0].points[2];
    const ChartGeometry::Hit hit = g.hitTest(p + QPointF(3, -2));
    QCOMPARE(hit.bucket, 2);
    QCOMPARE(hit.series, 0);
    QVERIFY(!g.hitTest(p + QPointF(0, -60)).valid()); // far from every point
    // a zero is never hit: billing has nothing at 16:00, triage has 2
    QVERIFY(!g.lines[1].counted[2]);
    const ChartGeometry::Hit zero = g.hitTest(g.lines[1].points[2]);
    QVERIFY(!(zero.series == 1 && zero.bucket == 2));
}

void TestGovernanceChart::svgEscapes()
{
    GovernanceCounts c;
    c.add({"2026-03-05T14", "<script>&\"'\x01", "", ""}, C::Traces, 2);
    c.add({"2026-03-05T15", "plain", "", ""}, C::Traces, 1);
    const GovernanceChartData d = governanceChart(c, C::Traces, GovernanceBreakdown::Agent);
    const ChartGeometry g = layoutChart(d, QSizeF(600, 300), width, 14);
    const std::string svg = chartSvg(g, chartStyle(QPalette()), QStringLiteral("Traces <by agent>"));
    QVERIFY(svg.find("<script>") == std::string::npos);
    QVERIFY(svg.find("&lt;script&gt;&amp;&quot;&#39;") != std::string::npos);
    QVERIFY(svg.find('\x01') == std::string::npos);
    QVERIFY(svg.find("<title>Traces &lt;by agent&gt;</title>") != std::string::npos);
    // the same parts as the geometry: a polyline per series, a label per tick
    std::size_t polylines = 0;
    for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1))
        ++polylines;
    QCOMPARE(polylines, g.lines.size());
    QVERIFY(svg.find(">" + g.xTicks.front().label.toStdString() + "<") != std::string::npos);
    QVERIFY(svg.rfind("</svg>\n") == svg.size() - 7);
}

void TestGovernanceChart::csvIsFormulaSafe()
{
    GovernanceCounts c;
    c.add({"2026-03-05T14", "=cmd|' /C calc'!A0", "a,b", "\"q\""}, C::Traces, 1);
    const std::string csv = governanceCsv(c);
    QVERIFY(csv.rfind("hour,agent,tool,tenant,decision_points,", 0) == 0);
    QVERIFY(csv.find("\r\n2026-03-05T14,'=cmd|' /C calc'!A0,\"a,b\",\"\"\"q\"\"\",0,") != std::string::npos);
}

void TestGovernanceChart::windowQuery()
{
    GovernanceWindow w;
    w.setCounts(std::make_shared<GovernanceCounts>(sample()));
    w.breakdownBox()->setCurrentIndex(w.breakdownBox()->findData(static_cast<int>(GovernanceBreakdown::Agent)));
    const GovernanceChartData& d = w.chart()->data();
    QCOMPARE(d.series.size(), std::size_t{2});
    QCOMPARE(w.queryFor(2, 0), QStringLiteral("first_seen>=2026-03-05T16:00 first_seen<2026-03-05T17:00 agent:\"triage\""));
    QVERIFY(w.queryFor(3, 0).isEmpty()); // no such bucket
    // the point's words, as the tooltip shows them
    QCOMPARE(w.chart()->pointText({0, 0}), QStringLiteral("2026-03-05 14:00 \u00b7 triage \u00b7 traces: 3"));
    // the rest of a breakdown: none of the series named
    GovernanceCounts many;
    for (int i = 0; i < 8; ++i)
        many.add({"2026-03-05T14", "agent-" + std::to_string(i), "", ""}, C::Traces, 10 + i);
    w.setCounts(std::make_shared<GovernanceCounts>(many));
    QVERIFY(w.chart()->data().series.back().rest);
    const QString rest = w.queryFor(0, static_cast<int>(w.chart()->data().series.size()) - 1);
    QVERIFY2(rest.endsWith(QStringLiteral(" NOT agent:\"agent-2\"")), qPrintable(rest));
    QVERIFY(!rest.contains(QStringLiteral("agent:\"agent-1\"")));
    w.setCounts(std::make_shared<GovernanceCounts>(sample()));
    // per-trace counters have no tool: "By tool" is off for them
    w.metricBox()->setCurrentIndex(static_cast<int>(C::Traces));
    w.breakdownBox()->setCurrentIndex(w.breakdownBox()->findData(static_cast<int>(GovernanceBreakdown::Tool)));
    QCOMPARE(w.breakdownBox()->currentIndex(), 0);
    // the window: the last 24 hours leave out nothing here; the counter changes the series
    w.metricBox()->setCurrentIndex(static_cast<int>(C::RuntimeIncidents));
    QCOMPARE(w.chart()->data().series.size(), std::size_t{1});
    QCOMPARE(w.chart()->data().series[0].total, std::int64_t{1});
    // nothing counted: an empty chart, no query
    w.setCounts(nullptr);
    QVERIFY(w.chart()->data().empty());
    QVERIFY(w.queryFor(0, 0).isEmpty());
}

// the window from the View menu in a real main window: counted in a task,
// a click on a point filters the trace list, exports written and refused
void TestGovernanceChart::inTheWorkbench()
{
    MainWindow w(MainWindow::Options{false});
    w.resize(1200, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString incidents = QStringLiteral(RW_SOURCE_DIR "/sample-audits/run-incidents.jsonl");
    w.openFiles({incidents, QStringLiteral(RW_SOURCE_DIR "/sample-audits/finance-email-blocked.jsonl")});
    QVERIFY(w.waitUntilIdle());
    auto* open = w.findChild<QAction*>(QStringLiteral("governanceMetricsAction"));
    QVERIFY(open);
    open->trigger();
    GovernanceMetrics* metrics = w.feature<GovernanceMetrics>();
    GovernanceWindow* window = metrics->window();
    QVERIFY(window->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(window->counts() != nullptr, 30000);
    QVERIFY(window->counts()->total()[static_cast<std::size_t>(C::Traces)] > 0);
    window->breakdownBox()->setCurrentIndex(window->breakdownBox()->findData(static_cast<int>(GovernanceBreakdown::Agent)));
    window->resize(900, 520);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    // a click on the first point of the first series
    GovernanceChart* chart = window->chart();
    QTRY_VERIFY(!chart->chartGeometry().lines.empty());
    // the first counted point of the largest series
    const ChartGeometry::Line& line = chart->chartGeometry().lines[0];
    const auto first = std::find(line.counted.begin(), line.counted.end(), true);
    QVERIFY(first != line.counted.end());
    const int bucket = static_cast<int>(first - line.counted.begin());
    const QPoint at = line.points[static_cast<std::size_t>(bucket)].toPoint();
    // (series drawn later lie on top where points coincide: the click takes the one seen)
    const ChartGeometry::Hit hit = chart->chartGeometry().hitTest(at);
    QCOMPARE(hit.bucket, bucket);
    const QString expected = window->queryFor(hit.bucket, hit.series);
    QVERIFY(!expected.isEmpty());
    QTest::mouseClick(chart, Qt::LeftButton, {}, at);
    QCOMPARE(w.tracePage().filterBar()->lineEdit()->text(), expected);
    QVERIFY(w.waitUntilIdle());
    const RowList visible = w.session().visibleRows();
    QVERIFY(visible && !visible->empty());
    // the keyboard reaches the counted points only (a zero has no traces behind it)
    chart->setFocus();
    QTest::keyClick(chart, Qt::Key_End);
    const ChartGeometry::Hit end = chart->highlighted();
    QVERIFY(end.valid());
    QVERIFY(chart->data().series[static_cast<std::size_t>(end.series)].values[static_cast<std::size_t>(end.bucket)] != 0);
    QTest::keyClick(chart, Qt::Key_Escape);
    QVERIFY(!chart->highlighted().valid());

    QTemporaryDir dir;
    for (const char* format : {"png", "svg", "csv"}) {
        const QString path = dir.filePath(QStringLiteral("metrics.") + QLatin1String(format));
        QCOMPARE(metrics->exportTo(path, QLatin1String(format)), QString());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith(format == std::string("png")   ? QByteArray("\x89PNG")
                                 : format == std::string("svg") ? QByteArray("<?xml")
                                                                : QByteArray("hour,agent,tool,tenant,")));
    }
    // never over an open audit file
    const QByteArray before = [&] {
        QFile f(incidents);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(!metrics->exportTo(incidents, QStringLiteral("csv")).isEmpty());
    QFile again(incidents);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), before);
    window->close();
}

QTEST_MAIN(TestGovernanceChart)
#include "tst_governancechart.moc"
