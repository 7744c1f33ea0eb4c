// The timeline of a run trace: a duration bar per step in its action type's
// lane, stalls, decision points and steps gone back to, as values
// (buildTimelineContent) and as the painted view shows them; and the
// drawer's section for a run step.
#include "model/auditloader.h"
#include "model/tracesummary.h"
#include "replay/analysis/analyzer.h"
#include "tests/allocationcount.h"
#include "tests/testutil.h"
#include "views/eventdrawer.h"
#include "views/timelineview.h"

#include <QImage>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTreeWidget>
#include <QtTest>


using namespace rw;

namespace {

std::vector<std::uint32_t> eventsOf(const ReplayModel& model, std::size_t trace = 0)
{
    const auto events = model.traceEvents(trace);
    return {events.begin(), events.end()};
}

// the default profile's action types, as the trace page gives them
TimelineOptions defaultOptions()
{
    static const auto rules = analysis::defaultAnalysisRules();
    TimelineOptions o;
    o.classifier = &rules->classifier();
    for (const analysis::ActionType& t : rules->config().profile.actionTypes)
        o.actionTypes.push_back(QString::fromStdString(t.name));
    return o;
}

std::unique_ptr<ReplayModel> loadSample(const char* name)
{
    LoadResult r = AuditLoader::loadFile(std::string(RW_SOURCE_DIR "/sample-audits/") + name);
    return std::move(r.model);
}

// one run document on a line: `steps` steps of 1 s each with 1 s between them
// (10 s more after every `stallEvery`-th step, 0: never), `extra(i)` spliced into step i
std::string runLine(int steps, const std::function<std::string(int)>& extra = {}, int stallEvery = 0)
{
    std::string doc = R"({"run_id":"r","agent_id":"a","started_at":"2026-03-01T00:00:00.000Z","steps":[)";
    for (int i = 0; i < steps; ++i) {
        char ts[40];
        const int at = 2 * i + 1 + (stallEvery ? i / stallEvery * 10 : 0);
        std::snprintf(ts, sizeof ts, "2026-03-01T%02d:%02d:%02d.000Z", at / 3600, at / 60 % 60, at % 60);
        doc += std::string(i ? "," : "") + R"({"step_index":)" + std::to_string(i) +
               R"(,"action":"read_logs","tool_call":{"tool":"logs.read","parameters":{}},"permissions_used":["logs:read"],"timestamp":")" +
               ts + R"(","duration_ms":1000)" + (extra ? extra(i) : std::string()) + "}";
    }
    return doc + "]}\n";
}

} // namespace

class TestTimelineContent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runStepsAreBars();
    void withoutProfileEveryStepIsOther();
    void stallGapIsAnOption();
    void alternativesCounted_data();
    void alternativesCounted();
    void interceptorTraceKeepsItsLanes();
    void clickSelectsTheBar();
    void paintingAllocatesNothingPerStep();
    void drawerShowsTheStep();
    void forgedStepsStayInBounds();
    void smallViewPaints();
};

void TestTimelineContent::initTestCase()
{
    rwtest::countAllocationsAvailable();
}

void TestTimelineContent::runStepsAreBars()
{
    const auto model = loadSample("run-branching.json");
    QVERIFY(model);
    const TimelineContent c = buildTimelineContent(*model, eventsOf(*model), defaultOptions());
    QVERIFY(c.runSteps);
    QCOMPARE(c.marks.size(), std::size_t(7));
    // start = timestamp - duration_ms: step 0 starts at the run's start
    QCOMPARE(c.marks[0].step, std::int64_t(0));
    QCOMPARE(c.marks[0].t - c.marks[0].start, std::int64_t(1210) * 1000);
    QCOMPARE(c.first, c.marks[0].start);
    QCOMPARE(c.last, c.marks[6].t);
    // lanes: the action types that occur, in the profile's order, each with its kind
    QCOMPARE(c.lanes, (std::vector<QString>{QStringLiteral("observe"), QStringLiteral("modify"), QStringLiteral("communicate")}));
    QCOMPARE(c.kinds.back(), QStringLiteral("other"));
    QCOMPARE(c.kinds[c.laneKinds[1]], QStringLiteral("modify"));
    QCOMPARE(c.lanes[c.marks[2].lane], QStringLiteral("modify"));       // rotate_logs: ssh:exec:write
    QCOMPARE(c.lanes[c.marks[6].lane], QStringLiteral("communicate"));  // slack_post
    QCOMPARE(c.kinds[c.marks[6].kind], QStringLiteral("communicate"));
    // decision points: step 2 weighed two alternatives, step 4 one
    QCOMPARE(c.marks[2].alternatives, std::uint16_t(2));
    QCOMPARE(c.marks[4].alternatives, std::uint16_t(1));
    QCOMPARE(c.marks[3].alternatives, std::uint16_t(0));
    // the 42 s wait before step 3 is a stall, from step 2's end to step 3's start
    QCOMPARE(c.stalls.size(), std::size_t(1));
    QCOMPARE(c.stalls[0].t0, c.marks[2].t);
    QCOMPARE(c.stalls[0].t1, c.marks[3].start);
    QCOMPARE(c.stalls[0].t1 - c.stalls[0].t0, std::int64_t(42) * 1000 * 1000);
    // step 4 resumed from step 2 (parent_step_index 2): one link back; the rest follow their predecessor
    QCOMPARE(c.links.size(), std::size_t(1));
    QCOMPARE(c.marks[c.links[0].from].step, std::int64_t(2));
    QCOMPARE(c.marks[c.links[0].to].step, std::int64_t(4));
    QCOMPARE(c.longestStep, std::int64_t(6450) * 1000);
}

void TestTimelineContent::withoutProfileEveryStepIsOther()
{
    const auto model = loadSample("run-branching.json");
    const TimelineContent c = buildTimelineContent(*model, eventsOf(*model));
    QVERIFY(c.runSteps);
    QCOMPARE(c.lanes, std::vector<QString>{QStringLiteral("other")});
    for (const TimelineMark& m : c.marks)
        QCOMPARE(m.lane, std::uint8_t(0));
}

void TestTimelineContent::stallGapIsAnOption()
{
    const auto model = loadSample("run-branching.json");
    TimelineOptions o = defaultOptions();
    o.stallGapUs = 60LL * 1000 * 1000;
    QVERIFY(buildTimelineContent(*model, eventsOf(*model), o).stalls.empty());
    // steps of 1 s with 1 s between them: a stall each under a gap of 0.5 s, none under 1.5 s
    const auto steady = rwtest::load(runLine(5));
    o.stallGapUs = 500 * 1000;
    QCOMPARE(buildTimelineContent(*steady, eventsOf(*steady), o).stalls.size(), std::size_t(4));
    o.stallGapUs = 1500 * 1000;
    QVERIFY(buildTimelineContent(*steady, eventsOf(*steady), o).stalls.empty());
}

void TestTimelineContent::alternativesCounted_data()
{
    QTest::addColumn<QString>("alternatives");
    QTest::addColumn<int>("count");
    QTest::newRow("empty") << QStringLiteral("[]") << 0;
    QTest::newRow("empty with space") << QStringLiteral("[ \n ]") << 0;
    QTest::newRow("one") << QStringLiteral(R"([{"action":"x"}])") << 1;
    QTest::newRow("commas inside") << QStringLiteral(R"([{"a":[1,2,3],"b":"x,y]"},{"c":{"d":1,"e":2}}])") << 2;
    QTest::newRow("escaped quote") << QStringLiteral(R"(["a\",b", "c"])") << 2;
    QTest::newRow("not an array") << QStringLiteral(R"({"a":1,"b":2})") << 0;
}

void TestTimelineContent::alternativesCounted()
{
    QFETCH(QString, alternatives);
    QFETCH(int, count);
    const std::string text = alternatives.toStdString();
    const auto model = rwtest::load(runLine(2, [&](int i) { return i == 1 ? ",\"alternatives\":" + text : std::string(); }));
    QVERIFY(model);
    const TimelineContent c = buildTimelineContent(*model, eventsOf(*model));
    QCOMPARE(c.marks.size(), std::size_t(2));
    QCOMPARE(int(c.marks[1].alternatives), count);
}

void TestTimelineContent::interceptorTraceKeepsItsLanes()
{
    const auto model = loadSample("ops-restart-approval.jsonl");
    const TimelineContent c = buildTimelineContent(*model, eventsOf(*model), defaultOptions());
    QVERIFY(!c.runSteps);
    QVERIFY(c.stalls.empty() && c.links.empty());
    QVERIFY(std::find(c.lanes.begin(), c.lanes.end(), QStringLiteral("decision")) != c.lanes.end());
    for (const TimelineMark& m : c.marks)
        QCOMPARE(m.start, std::int64_t(0)); // no bars
}

void TestTimelineContent::clickSelectsTheBar()
{
    const auto model = loadSample("run-branching.json");
    TimelineView view;
    view.resize(1200, 260);
    view.setTrace(model.get(), eventsOf(*model), defaultOptions());
    QSignalSpy selected(&view, &TimelineView::eventSelected);
    const std::uint32_t step4 = view.content().marks[4].event;
    const QRectF bar = view.stepRect(step4);
    QVERIFY(bar.width() > 20); // 6.45 s of 59 s over about 1,070 px
    QTest::mouseClick(&view, Qt::LeftButton, {}, bar.center().toPoint());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.front().front().value<std::uint32_t>(), step4);
    QCOMPARE(view.selectedEvent(), std::int64_t(step4));
    // the stall between steps 2 and 3 holds no step: a click there selects nothing new
    const QRectF before = view.stepRect(view.content().marks[2].event), after = view.stepRect(view.content().marks[3].event);
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPointF((before.right() + after.left()) / 2, before.center().y()).toPoint());
    QCOMPARE(selected.size(), 1);
}

void TestTimelineContent::paintingAllocatesNothingPerStep()
{
    if (!rwtest::countAllocationsAvailable())
        QSKIP("counts allocations through the sanitizer's hooks: the asan preset");
    // steps with alternatives and a parent now and then: every kind of item drawn
    const auto extra = [](int i) {
        std::string e;
        if (i % 7 == 3)
            e += R"(,"alternatives":[{"action":"a"},{"action":"b"}])";
        if (i % 11 == 5)
            e += R"(,"parent_step_index":)" + std::to_string(i - 3);
        return e;
    };
    auto allocationsToPaint = [](TimelineView& view, const ReplayModel& model) {
        view.setTrace(&model, eventsOf(model), defaultOptions());
        QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
        view.render(&image); // warm: the painter's own buffers grow once
        return rwtest::countAllocations([&] { view.render(&image); });
    };
    TimelineView view;
    view.resize(1800, 220);
    const auto few = rwtest::load(runLine(60, extra, 20));
    const auto many = rwtest::load(runLine(600, extra, 20));
    QCOMPARE(buildTimelineContent(*many, eventsOf(*many)).stalls.size(), std::size_t(29)); // stalls drawn too
    const std::size_t forFew = allocationsToPaint(view, *few);
    const std::size_t forMany = allocationsToPaint(view, *many);
    QVERIFY2(forMany <= forFew, qPrintable(QStringLiteral("%1 allocations for 60 steps, %2 for 600").arg(forFew).arg(forMany)));
}

namespace {

// the Fields row `key` under `parent` (the top level when null)
QTreeWidgetItem* fieldRow(QTreeWidget* tree, QTreeWidgetItem* parent, const QString& key)
{
    const int n = parent ? parent->childCount() : tree->topLevelItemCount();
    for (int i = 0; i < n; ++i) {
        QTreeWidgetItem* item = parent ? parent->child(i) : tree->topLevelItem(i);
        if (item->text(0) == key)
            return item;
    }
    return nullptr;
}

} // namespace

// the drawer's step section: the reasoning, the tool and its parameters, the
// result, the step resumed from, the alternatives and each permission marked
void TestTimelineContent::drawerShowsTheStep()
{
    const auto model = loadSample("run-branching.json");
    EventDrawer drawer;
    drawer.resize(520, 700);
    const std::uint32_t step4 = model->traceEvents(0)[4];
    drawer.setEvent(model.get(), step4);
    auto* tree = qobject_cast<QTreeWidget*>(drawer.tabs()->widget(0));
    QVERIFY(tree);
    QTreeWidgetItem* step = fieldRow(tree, nullptr, QStringLiteral("Step"));
    QVERIFY(step);
    QCOMPARE(tree->indexOfTopLevelItem(step), 0); // first: what the agent did
    QCOMPARE(step->text(1), QStringLiteral("4 · expand_volume"));
    QVERIFY(fieldRow(tree, step, QStringLiteral("Reasoning"))->text(1).startsWith(QStringLiteral("The space did not come back")));
    QCOMPARE(fieldRow(tree, step, QStringLiteral("Duration"))->text(1), QStringLiteral("6.45 s"));
    QCOMPARE(fieldRow(tree, step, QStringLiteral("Resumed from step"))->text(1), QStringLiteral("2"));
    QTreeWidgetItem* tool = fieldRow(tree, step, QStringLiteral("Tool"));
    QCOMPARE(tool->text(1), QStringLiteral("volume.resize"));
    QCOMPARE(fieldRow(tree, tool, QStringLiteral("size_gb"))->text(1), QStringLiteral("400"));
    QTreeWidgetItem* result = fieldRow(tree, step, QStringLiteral("Result"));
    QCOMPARE(result->text(1), QStringLiteral("success"));
    QCOMPARE(fieldRow(tree, result, QStringLiteral("new_size_gb"))->text(1), QStringLiteral("400"));
    QTreeWidgetItem* perms = fieldRow(tree, step, QStringLiteral("Permissions"));
    QCOMPARE(perms->text(1), QStringLiteral("storage:write"));
    QCOMPARE(fieldRow(tree, perms, QStringLiteral("storage:write"))->text(1), QStringLiteral("escalated, granted"));
    QTreeWidgetItem* alternatives = fieldRow(tree, step, QStringLiteral("Alternatives"));
    QCOMPARE(alternatives->text(1), QStringLiteral("restart_logger"));
    QTreeWidgetItem* rejected = fieldRow(tree, alternatives, QStringLiteral("restart_logger"));
    QVERIFY(rejected->text(1).startsWith(QStringLiteral("Restarting the logger")));
    QCOMPARE(fieldRow(tree, rejected, QStringLiteral("Score"))->text(1), QStringLiteral("0.35"));
    QCOMPARE(fieldRow(tree, step, QStringLiteral("Chosen because"))->text(1), QStringLiteral("change ticket CHG-8812 pre-approved"));
    // a step whose permission the run granted without escalation, and an interceptor event: no step section
    drawer.setEvent(model.get(), model->traceEvents(0)[0]);
    QCOMPARE(fieldRow(tree, fieldRow(tree, fieldRow(tree, nullptr, QStringLiteral("Step")), QStringLiteral("Permissions")),
                      QStringLiteral("metrics:read"))->text(1),
             QStringLiteral("granted"));
    const auto ops = loadSample("ops-restart-approval.jsonl");
    drawer.setEvent(ops.get(), 0);
    QVERIFY(!fieldRow(tree, nullptr, QStringLiteral("Step")));
    if (const QByteArray dir = qgetenv("RW_SCREENSHOT_DIR"); !dir.isEmpty()) { // for a look by eye
        drawer.setEvent(model.get(), step4);
        drawer.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/drawer-step.png"));
    }
}

// an untrusted file: a duration of years, a step_index at the edge of int64,
// a parent that does not exist, a record that is not a step first
void TestTimelineContent::forgedStepsStayInBounds()
{
    const auto model = rwtest::load(runLine(4, [](int i) {
        switch (i) {
        case 1: return std::string(R"(,"duration_ms":9223372036854775807)"); // the last key wins in the index
        case 2: return std::string(R"(,"parent_step_index":-9223372036854775808)");
        case 3: return std::string(R"(,"parent_step_index":9223372036854775807)");
        default: return std::string();
        }
    }));
    QVERIFY(model);
    const TimelineContent c = buildTimelineContent(*model, eventsOf(*model));
    QCOMPARE(c.marks.size(), std::size_t(4));
    // the endless step is cut at the run's start: the others keep their width
    QVERIFY(c.marks[1].clipped);
    QCOMPARE(c.marks[1].start, model->runs()[0].startedUs);
    QVERIFY(!c.marks[0].clipped);
    QCOMPARE(c.marks[0].t - c.marks[0].start, std::int64_t(1000) * 1000);
    QVERIFY(c.links.empty()); // parents that name no step of the run
    TimelineView view;
    view.resize(900, 200);
    view.setTrace(model.get(), eventsOf(*model));
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    view.render(&image);
    EventDrawer drawer;
    drawer.setEvent(model.get(), c.marks[1].event); // a saturated duration: no overflow in its times
    // the run's duration (first start to last end) and the trace list's summary: no overflow either
    const auto runs = analysis::analyzeModel(*model, *analysis::defaultAnalysisRules(), "");
    QCOMPARE(runs.size(), std::size_t(1));
    QVERIFY(runs[0].durationMs > 0);
    (void)summarizeTrace(*model, 0);
}

// the view at its smallest with four lanes (lanes shorter than an arc's rise)
void TestTimelineContent::smallViewPaints()
{
    const auto model = loadSample("run-branching.json");
    TimelineView view;
    view.resize(view.minimumSizeHint());
    view.setTrace(model.get(), eventsOf(*model), defaultOptions());
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    view.render(&image);
    QCOMPARE(view.content().links.size(), std::size_t(1));
}

QTEST_MAIN(TestTimelineContent)
#include "tst_timelinecontent.moc"
