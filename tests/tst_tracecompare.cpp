// Side-by-side comparison: sequence alignment, plan/step alignment of two
// traces, overrides from a re-evaluation, the JSON-level diff and its pretty
// printer, the graph overlay, re-evaluation of workspace rows and the
// comparison model.
#include "model/eventjson.h"
#include "replay/compare/graphdiff.h"
#include "replay/compare/jsondiff.h"
#include "replay/compare/reevaluatedside.h"
#include "replay/compare/tracecompare.h"
#include "replay/policy/policybundle.h"
#include "replay/policy/workspacereevaluation.h"
#include "tests/testutil.h"
#include "views/models/comparisonmodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

#include <numeric>

using namespace rw;

Q_DECLARE_METATYPE(std::vector<std::string>)

namespace {

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

std::string line(const char* trace, const char* plan, const char* type, const char* tool, const char* decision,
                 const char* extra = "")
{
    std::string out = std::string("{\"timestamp\": \"2026-03-01T10:00:00+00:00\", \"event_type\": \"") + type +
                      "\", \"trace_id\": \"" + trace + "\", \"decision\": \"" + decision + "\"";
    if (*plan)
        out += std::string(", \"execution_plan_id\": \"") + plan + "\"";
    if (*tool)
        out += std::string(", \"tool_name\": \"") + tool + "\"";
    if (std::string(type) == "decision")
        out += ", \"decision_stage\": \"evaluate\"";
    out += std::string(extra) + "}\n";
    return out;
}

// A: read (allowed), send_email (blocked). B: read (allowed, other reason),
// delete_db (blocked) where A had send_email, then an extra send_email plan.
std::string twoTraces()
{
    std::string s;
    s += line("A", "", "llm_input", "", "allowed");
    s += line("A", "a1", "plan", "read_customer", "pending");
    s += line("A", "a1", "decision", "read_customer", "allowed", ", \"reason\": \"ok\"");
    s += line("A", "a1", "tool_allowed", "read_customer", "allowed");
    s += line("A", "a1", "tool_executed", "read_customer", "allowed");
    s += line("A", "a2", "plan", "send_email", "pending");
    s += line("A", "a2", "decision", "send_email", "blocked", ", \"reason\": \"external\", \"matched_rule\": \"rules[0]\"");
    s += line("A", "a2", "tool_blocked", "send_email", "blocked");
    s += line("B", "", "llm_input", "", "allowed");
    s += line("B", "b1", "plan", "read_customer", "pending");
    s += line("B", "b1", "decision", "read_customer", "allowed", ", \"reason\": \"fine\"");
    s += line("B", "b1", "tool_allowed", "read_customer", "allowed");
    s += line("B", "b1", "tool_executed", "read_customer", "allowed");
    s += line("B", "b2", "plan", "delete_db", "pending");
    s += line("B", "b2", "decision", "delete_db", "blocked", ", \"reason\": \"external\", \"matched_rule\": \"rules[0]\"");
    s += line("B", "b2", "tool_blocked", "delete_db", "blocked");
    return s;
}

std::string rowText(const CompareRow& r)
{
    static const char* const marks[] = {"=", "~", "-", "+"};
    std::string out = std::string(marks[static_cast<int>(r.change)]) + " " + std::to_string(r.leftPlan) + "/" +
                      std::to_string(r.rightPlan) + " " + r.step;
    for (std::size_t f = 0; f < kCompareFieldCount; ++f)
        if (r.fieldChanged(static_cast<CompareField>(f)))
            out += std::string(" ") + compareFieldName(static_cast<CompareField>(f));
    return out;
}

QString sampleDir() { return QStringLiteral(RW_SOURCE_DIR "/sample-audits"); }

std::unique_ptr<ReplayModel> loadSample(const char* name)
{
    return rwtest::load(rwtest::readFile(sampleDir() + QLatin1Char('/') + QLatin1String(name)));
}

} // namespace

class TraceCompareTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void alignSequences_data();
    void alignSequences();
    void alignSequencesFallsBackOverTheLimit();
    void comparesPlansAndSteps();
    void selfComparisonIsSame();
    void overridesChangeDecisionAndJson();
    void jsonDiff_data();
    void jsonDiff();
    void jsonDiffStopsAtLimit();
    void prettyMatchesDumpAndPointers();
    void pointerCovers_data();
    void pointerCovers();
    void graphDiffOfTwoSamples();
    void graphSelfDiffIsSame();
    void overridesInGraph();
    void reevaluateRowsMatchesWholeFile();
    void comparisonModel();
};

void TraceCompareTest::alignSequences_data()
{
    QTest::addColumn<std::vector<std::string>>("a");
    QTest::addColumn<std::vector<std::string>>("b");
    QTest::addColumn<QString>("pairs");
    using V = std::vector<std::string>;
    QTest::newRow("equal") << V{"x", "y"} << V{"x", "y"} << QStringLiteral("0-0 1-1");
    QTest::newRow("empty left") << V{} << V{"x"} << QString();
    QTest::newRow("insert") << V{"x", "z"} << V{"x", "y", "z"} << QStringLiteral("0-0 1-2");
    QTest::newRow("delete") << V{"x", "y", "z"} << V{"x", "z"} << QStringLiteral("0-0 2-1");
    QTest::newRow("replace") << V{"x", "y", "z"} << V{"x", "q", "z"} << QStringLiteral("0-0 2-2");
    QTest::newRow("middle lcs") << V{"a", "b", "c", "d", "e"} << V{"f", "c", "b", "d", "g"} << QStringLiteral("2-1 3-3"); // ties drop from the left first
    QTest::newRow("nothing common") << V{"a"} << V{"b"} << QString();
}

void TraceCompareTest::alignSequences()
{
    QFETCH(std::vector<std::string>, a);
    QFETCH(std::vector<std::string>, b);
    QFETCH(QString, pairs);
    QStringList got;
    for (const auto& [i, j] : rw::alignSequences(a, b))
        got << QStringLiteral("%1-%2").arg(i).arg(j);
    QCOMPARE(got.join(QLatin1Char(' ')), pairs);
}

void TraceCompareTest::alignSequencesFallsBackOverTheLimit()
{
    const std::vector<std::string> a{"p", "a", "b", "s"}, b{"p", "b", "a", "s"};
    QCOMPARE(rw::alignSequences(a, b).size(), std::size_t(3));    // p, one of a/b, s
    QCOMPARE(rw::alignSequences(a, b, 1).size(), std::size_t(2)); // only the equal prefix and suffix
}

void TraceCompareTest::comparesPlansAndSteps()
{
    const auto m = rwtest::load(twoTraces());
    const CompareSide a{m.get(), *m->findTrace("A"), {}}, b{m.get(), *m->findTrace("B"), {}};
    const TraceComparison c = compareTraces(a, b);
    std::vector<std::string> rows;
    for (const CompareRow& r : c.rows)
        rows.push_back(rowText(r));
    const std::vector<std::string> expected{
        "= 0/0 llm_input",
        "= 1/1 plan",
        "~ 1/1 decision / evaluate reason",
        "= 1/1 tool_allowed",
        "= 1/1 tool_executed",
        // send_email and delete_db sit between the same anchors: paired, tool changed
        "~ 2/2 plan tool_name",
        "~ 2/2 decision / evaluate tool_name",
        "~ 2/2 tool_blocked tool_name",
    };
    QCOMPARE(rows, expected);
    QCOMPARE(c.same, std::size_t(4));
    QCOMPARE(c.changed, std::size_t(4));
    QCOMPARE(c.leftPlans, std::size_t(2));
    // the other way round: a missing plan shows as removed rows
    std::string third = twoTraces() + line("C", "c1", "plan", "read_customer", "pending");
    const auto m2 = rwtest::load(third);
    const TraceComparison c2 = compareTraces({m2.get(), *m2->findTrace("A"), {}}, {m2.get(), *m2->findTrace("C"), {}});
    QCOMPARE(c2.added, std::size_t(0));
    QCOMPARE(c2.same, std::size_t(1));
    QCOMPARE(c2.removed, std::size_t(7)); // llm_input, 3 steps of plan 1, all 3 of plan 2
    QCOMPARE(c2.rows.back().change, RowChange::Removed);
    QCOMPARE(c2.rows.back().right, std::int64_t(-1));
}

void TraceCompareTest::selfComparisonIsSame()
{
    for (const char* name : {"ops-restart-approval.jsonl", "mcp-call.jsonl", "budget-breach.jsonl", "legacy-lines.jsonl"}) {
        const auto m = loadSample(name);
        for (std::size_t t = 0; t < m->traceCount(); ++t) {
            const TraceComparison c = compareTraces({m.get(), t, {}}, {m.get(), t, {}});
            QCOMPARE(c.same, m->traceEvents(t).size());
            QCOMPARE(c.changed + c.added + c.removed, std::size_t(0));
        }
    }
    const auto run = rwtest::load(rwtest::readFile(sampleDir() + QStringLiteral("/run-trace-report.json")));
    const TraceComparison c = compareTraces({run.get(), 0, {}}, {run.get(), 0, {}});
    QVERIFY(c.same > 0);
    QVERIFY(c.rows.front().step.rfind("step ", 0) == 0);
}

void TraceCompareTest::overridesChangeDecisionAndJson()
{
    const auto m = rwtest::load(twoTraces());
    const std::size_t t = *m->findTrace("A");
    CompareSide after{m.get(), t, {}};
    std::uint32_t decision = 0;
    for (const std::uint32_t e : m->traceEvents(t))
        if (m->str(m->event(e), Field::EventType) == "decision" && m->str(m->event(e), Field::ToolName) == "send_email")
            decision = e;
    after.overrides[decision] = {"allowed", "default allow", "low", std::nullopt};
    const TraceComparison c = compareTraces({m.get(), t, {}}, after);
    QCOMPARE(c.changed, std::size_t(1));
    const CompareRow& r = *std::find_if(c.rows.begin(), c.rows.end(), [](const CompareRow& x) { return x.change == RowChange::Changed; });
    QCOMPARE(r.left, std::int64_t(decision));
    QVERIFY(r.fieldChanged(CompareField::Decision));
    QVERIFY(r.fieldChanged(CompareField::MatchedRule));
    QVERIFY(r.fieldChanged(CompareField::Reason));
    QVERIFY(!r.fieldChanged(CompareField::Tool));
    QCOMPARE(r.rightValues[static_cast<std::size_t>(CompareField::Decision)], std::string("allowed"));

    const auto before = sideEventJson({m.get(), t, {}}, decision);
    const auto patched = sideEventJson(after, decision);
    QVERIFY(before && patched);
    QCOMPARE((*patched)["decision"].get<std::string>(), std::string("allowed"));
    QVERIFY((*patched)["matched_rule"].is_null());
    QStringList changes;
    for (const JsonChange& ch : diffJson(*before, *patched))
        changes << QString::fromStdString(ch.pointer);
    QCOMPARE(changes, QStringList({QStringLiteral("/decision"), QStringLiteral("/reason"), QStringLiteral("/matched_rule"),
                                   QStringLiteral("/risk_level")}));
    // key order of the record is kept: decision stays where the file had it
    QCOMPARE(patched->begin().key(), std::string("timestamp"));
}

void TraceCompareTest::jsonDiff_data()
{
    QTest::addColumn<QString>("left");
    QTest::addColumn<QString>("right");
    QTest::addColumn<QStringList>("changes");
    QTest::newRow("equal, other key order") << QStringLiteral(R"({"a":1,"b":[1,2]})") << QStringLiteral(R"({"b":[1,2],"a":1})")
                                            << QStringList();
    QTest::newRow("value") << QStringLiteral(R"({"a":1})") << QStringLiteral(R"({"a":2})")
                           << QStringList{QStringLiteral("changed /a 1 2")};
    QTest::newRow("added and removed") << QStringLiteral(R"({"a":1,"x":{"y":true}})") << QStringLiteral(R"({"b":null,"x":{}})")
                                       << QStringList{QStringLiteral("removed /a 1 "), QStringLiteral("removed /x/y true "),
                                                      QStringLiteral("added /b  null")};
    QTest::newRow("array grows") << QStringLiteral(R"([1,2])") << QStringLiteral(R"([1,3,4])")
                                 << QStringList{QStringLiteral("changed /1 2 3"), QStringLiteral("added /2  4")};
    QTest::newRow("type change") << QStringLiteral(R"({"a":{"b":1}})") << QStringLiteral(R"({"a":[1]})")
                                 << QStringList{QStringLiteral("changed /a {\"b\":1} [1]")};
    QTest::newRow("escaped pointer") << QStringLiteral(R"({"a/b":{"~c":1}})") << QStringLiteral(R"({"a/b":{"~c":2}})")
                                     << QStringList{QStringLiteral("changed /a~1b/~0c 1 2")};
    QTest::newRow("int vs float") << QStringLiteral(R"({"n":1})") << QStringLiteral(R"({"n":1.5})")
                                  << QStringList{QStringLiteral("changed /n 1 1.5")};
}

void TraceCompareTest::jsonDiff()
{
    QFETCH(QString, left);
    QFETCH(QString, right);
    QFETCH(QStringList, changes);
    const auto l = parseJsonText(left.toStdString()), r = parseJsonText(right.toStdString());
    QVERIFY(l && r);
    static const char* const kinds[] = {"added", "removed", "changed"};
    QStringList got;
    for (const JsonChange& c : diffJson(*l, *r))
        got << QString::fromStdString(std::string(kinds[static_cast<int>(c.kind)]) + " " + c.pointer + " " + c.left + " " + c.right);
    QCOMPARE(got, changes);
}

void TraceCompareTest::jsonDiffStopsAtLimit()
{
    nlohmann::ordered_json a = nlohmann::ordered_json::array(), b = nlohmann::ordered_json::array();
    for (int i = 0; i < 5000; ++i) {
        a.push_back(i);
        b.push_back(i + 1);
    }
    bool truncated = false;
    QCOMPARE(diffJson(a, b, &truncated, 100).size(), std::size_t(100));
    QVERIFY(truncated);
    QCOMPARE(diffJson(a, a, &truncated).size(), std::size_t(0));
    QVERIFY(!truncated);
}

void TraceCompareTest::prettyMatchesDumpAndPointers()
{
    const auto j = parseJsonText(R"({"a":{"b":[1,{"c":"x"}],"e":{},"f":[]},"g/h":"\u00e9"})");
    QVERIFY(j);
    const PointerText p = prettyJsonWithPointers(*j);
    QCOMPARE(p.text, j->dump(2) + "\n");
    const std::vector<std::string> expected{"", "/a", "/a/b", "/a/b/0", "/a/b/1", "/a/b/1/c", "/a/b/1", "/a/b",
                                            "/a/e", "/a/f", "/a", "/g~1h", ""};
    QCOMPARE(p.linePointers, expected);
}

void TraceCompareTest::pointerCovers_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("covers");
    QTest::newRow("same") << QStringLiteral("/a") << QStringLiteral("/a") << true;
    QTest::newRow("inside") << QStringLiteral("/a") << QStringLiteral("/a/b") << true;
    QTest::newRow("prefix of a key") << QStringLiteral("/a") << QStringLiteral("/ab") << false;
    QTest::newRow("outside") << QStringLiteral("/a/b") << QStringLiteral("/a") << false;
    QTest::newRow("root") << QString() << QStringLiteral("/x") << true;
}

void TraceCompareTest::pointerCovers()
{
    QFETCH(QString, change);
    QFETCH(QString, line);
    QFETCH(bool, covers);
    QCOMPARE(rw::pointerCovers(change.toStdString(), line.toStdString()), covers);
}

void TraceCompareTest::graphDiffOfTwoSamples()
{
    const auto a = loadSample("ops-restart-approval.jsonl");
    const auto b = loadSample("untrusted-skill-restart.jsonl");
    const GraphDiff d = diffGraphs(buildExecutionGraph(*a, 0), buildExecutionGraph(*b, 0));
    QCOMPARE(d.nodeMarks.size(), d.graph.nodes.size());
    QCOMPARE(d.edgeMarks.size(), d.graph.edges.size());
    // removed nodes carry no events: they belong to the other file
    for (std::size_t i = 0; i < d.graph.nodes.size(); ++i)
        if (d.nodeMarks[i] == DiffMark::Removed)
            QVERIFY(d.graph.nodes[i].events.empty());
    for (const GraphEdge& e : d.graph.edges)
        QVERIFY(e.from < d.graph.nodes.size() && e.to < d.graph.nodes.size());
    QVERIFY(d.removed > 0);
    QVERIFY(rwtest::matchesGolden(graphDiffText(d), QStringLiteral(RW_SOURCE_DIR "/tests/golden/graphdiff-restart.txt")));
}

void TraceCompareTest::graphSelfDiffIsSame()
{
    const auto m = loadSample("finance-email-blocked.jsonl");
    const ExecutionGraph g = buildExecutionGraph(*m, 0);
    const GraphDiff d = diffGraphs(g, g);
    QCOMPARE(d.graph.nodes.size(), g.nodes.size());
    QCOMPARE(d.added + d.removed + d.changed, std::size_t(0));
    for (const DiffMark mark : d.edgeMarks)
        QCOMPARE(mark, DiffMark::Same);
}

void TraceCompareTest::overridesInGraph()
{
    const auto m = loadSample("untrusted-skill-restart.jsonl");
    CompareSide side{m.get(), 0, {}};
    for (const std::uint32_t e : m->traceEvents(0))
        if (m->str(m->event(e), Field::EventType) == "decision")
            side.overrides[e] = {"allowed", "allowed by rules[3]", "low", std::string("rules[3]")};
    const ExecutionGraph before = buildExecutionGraph(*m, 0);
    ExecutionGraph after = before;
    applyOverrides(after, side);
    const GraphDiff d = diffGraphs(before, after);
    QStringList changed;
    for (std::size_t i = 0; i < d.graph.nodes.size(); ++i)
        if (d.nodeMarks[i] == DiffMark::Changed)
            changed << QString::fromStdString(d.graph.nodes[i].label + " (" + d.was[i] + ")");
    QCOMPARE(changed, QStringList({QStringLiteral("policy: allowed (was blocked)"),
                                   QStringLiteral("would be allowed (was blocked)")}));
}

void TraceCompareTest::reevaluateRowsMatchesWholeFile()
{
    std::vector<BundleDiagnostic> diagnostics;
    const auto bundle = loadPolicyBundle(QString(sampleDir() + QStringLiteral("/policies/permissive.yaml")).toStdString(), diagnostics);
    QVERIFY(bundle);
    const PolicyEngine engine(*bundle, nullptr);
    Workspace ws;
    for (const char* name : {"finance-email-blocked.jsonl", "untrusted-skill-restart.jsonl", "ops-restart-approval.jsonl",
                             "legacy-lines.jsonl", "mcp-call.jsonl"})
        ws.addFile(loadSample(name));
    std::vector<std::uint32_t> all(ws.rows().size());
    std::iota(all.begin(), all.end(), 0u);
    std::size_t calls = 0;
    const WorkspaceReevaluation r = reevaluateRows(ws, all, engine, [&](std::size_t) { return ++calls > 0; });
    QVERIFY(calls > 0);
    QVERIFY(!r.cancelled);
    QCOMPARE(r.tracesExamined, all.size());
    // the sum over traces equals each file re-evaluated whole
    ReplayDiffSummary whole;
    for (std::size_t f = 0; f < ws.fileCount(); ++f) {
        const ReplayDiffResult fr = reevaluate(ws.file(f), std::nullopt, engine);
        whole.decisionPoints += fr.summary.decisionPoints;
        whole.changed += fr.summary.changed;
        whole.notReplayable += fr.summary.notReplayable;
        for (const auto& [k, v] : fr.summary.flips)
            whole.flips[k] += v;
    }
    QCOMPARE(r.summary.decisionPoints, whole.decisionPoints);
    QCOMPARE(r.summary.changed, whole.changed);
    QCOMPARE(r.summary.notReplayable, whole.notReplayable);
    QCOMPARE(r.summary.flips, whole.flips);
    QVERIFY(r.summary.changed > 0);
    QCOMPARE(r.notReplayable.size(), r.summary.notReplayable);
    // every row behind a flip has a changed point of that kind
    for (const auto& [flip, rows] : r.flipRows) {
        QVERIFY(!rows.empty());
        for (const std::uint32_t row : rows) {
            const auto* rr = r.find(row);
            QVERIFY(rr);
            QVERIFY(std::any_of(rr->points.begin(), rr->points.end(), [](const PointResult& p) { return p.changed; }));
        }
    }
    // the re-evaluated side of a changed trace compares as changed
    const auto* changedRow = r.find(r.flipRows.begin()->second.front());
    const CompareSide side = reevaluatedSide(ws, *changedRow, engine);
    const TraceRow& tr = ws.row(changedRow->row);
    QVERIFY(compareTraces({&ws.fileOf(tr), tr.trace, {}}, side).changed > 0);
    // the recorded outcome of a flipped decision follows it, so no "blocked" stays next to an "allowed"
    const ReplayModel& fm = ws.fileOf(tr);
    bool outcomeFollows = false;
    for (const auto& [event, o] : side.overrides) {
        const std::string_view type = fm.str(fm.event(event), Field::EventType);
        if (type == "tool_blocked" || type == "tool_allowed" || type == "approval_required")
            outcomeFollows = o.decision != fm.str(fm.event(event), Field::Decision);
    }
    QVERIFY(outcomeFollows);
    // a stop request is honoured
    const WorkspaceReevaluation stopped = reevaluateRows(ws, all, engine, [](std::size_t) { return false; });
    QVERIFY(stopped.cancelled);
}

void TraceCompareTest::comparisonModel()
{
    const auto m = rwtest::load(twoTraces());
    ComparisonModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setComparison(compareTraces({m.get(), *m->findTrace("A"), {}}, {m.get(), *m->findTrace("B"), {}}));
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), int(ComparisonModel::ColumnCount));
    const int decisionRow = 2; // "decision / evaluate", reason changed
    QCOMPARE(model.index(decisionRow, ComparisonModel::LeftReasonColumn).data().toString(), QStringLiteral("ok"));
    QCOMPARE(model.index(decisionRow, ComparisonModel::RightReasonColumn).data().toString(), QStringLiteral("fine"));
    QVERIFY(model.index(decisionRow, ComparisonModel::RightReasonColumn).data(ComparisonModel::CellChangedRole).toBool());
    QVERIFY(!model.index(decisionRow, ComparisonModel::RightToolColumn).data(ComparisonModel::CellChangedRole).toBool());
    QCOMPARE(model.index(decisionRow, ComparisonModel::LeftDecisionColumn).data(ComparisonModel::DecisionRole).toString(),
             QStringLiteral("allowed"));
    QCOMPARE(model.index(decisionRow, ComparisonModel::MarkerColumn).data().toString(), QStringLiteral("≠"));
    QCOMPARE(model.index(5, ComparisonModel::RightToolColumn).data().toString(), QStringLiteral("delete_db"));
    const qlonglong right = model.index(5, 0).data(ComparisonModel::RightEventRole).toLongLong();
    QCOMPARE(model.rowOfEvent(1, right), 5);
    QCOMPARE(model.rowOfEvent(0, -5), -1);
    model.setComparison({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TraceCompareTest)
#include "tst_tracecompare.moc"
