// Execution graphs: node and edge sets of every sample and peer-compat trace
// as golden text, the rules a graph must keep, DOT escaping of hostile labels
// through the real Graphviz helper, the layout parser on fixed input, folding
// over the size limit and the layout time limit.
#include "app/text/graphfoldtext.h"
#include "replay/graph/decisiontree.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphdot.h"
#include "replay/graph/graphlayout.h"
#include "tests/testutil.h"

#include <QDirIterator>
#include <QtTest>
#include <thread>

#include <atomic>

using namespace rw;

namespace {

QString safeName(QString s)
{
    for (QChar& c : s)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    return s;
}

QString traceName(const ReplayModel& m, std::size_t t)
{
    const std::string_view id = m.str(m.trace(t).id);
    return QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size()));
}

// invariants every graph keeps
QString checkGraph(const ReplayModel& m, const ExecutionGraph& g)
{
    for (const GraphNode& n : g.nodes) {
        if (n.events.empty())
            return QStringLiteral("node %1 has no events").arg(QString::fromStdString(n.key));
        for (const std::uint32_t e : n.events)
            if (e >= m.eventCount())
                return QStringLiteral("node %1 points outside the model").arg(QString::fromStdString(n.key));
        // a blocked request never shows an executed tool
        if (n.kind == GraphNodeKind::Outcome && n.label.rfind("executed", 0) == 0)
            for (const std::uint32_t e : n.events)
                if (m.str(m.event(e), Field::EventType) == "tool_blocked")
                    return QStringLiteral("blocked event behind an executed node");
    }
    for (const GraphEdge& e : g.edges)
        if (e.from >= g.nodes.size() || e.to >= g.nodes.size() || e.events.empty())
            return QStringLiteral("bad edge");
    return {};
}

// builds every trace's graph, checks it and compares it with its golden text
bool checkAllTraces(const ReplayModel& m, const QString& goldenPrefix, int* count = nullptr)
{
    for (std::size_t t = 0; t < m.traceCount(); ++t) {
        const ExecutionGraph g = buildExecutionGraph(m, t);
        const QString problem = checkGraph(m, g);
        if (!problem.isEmpty()) {
            qWarning().noquote() << traceName(m, t) << problem;
            return false;
        }
        if (!rwtest::matchesGolden(graphText(m, g), goldenPrefix + safeName(traceName(m, t)) + QStringLiteral(".txt")))
            return false;
        if (count)
            ++*count;
    }
    return true;
}

} // namespace

class TestExecutionGraph : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void samples_data();
    void samples();
    void peerCompat();
    void blockedHasNoExecutedTool();
    void untrustedPathIsMarked();
    void hostileLabelsSurviveGraphviz();
    void plainParser();
    void foldsOverTheLimit();
    void manyPlansFoldBeforeLayout();
    void manyRunStepsFold();
    void manySourcesFoldByTrust();
    void layoutTimeLimit();
    void cancelledLayoutIsKilled();
};

void TestExecutionGraph::samples_data()
{
    QTest::addColumn<QString>("file");
    QDirIterator it(QStringLiteral(RW_SOURCE_DIR "/sample-audits"), {QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        QTest::newRow(qPrintable(it.fileName())) << path;
    }
}

void TestExecutionGraph::samples()
{
    QFETCH(QString, file);
    LoadResult r = AuditLoader::loadFile(file.toStdString());
    QVERIFY(r.model);
    QVERIFY(checkAllTraces(*r.model, QStringLiteral(RW_SOURCE_DIR "/tests/golden/graphs/")));
}

void TestExecutionGraph::peerCompat()
{
    const QString root = QStringLiteral(RW_SHARED_DIR "/peer-compat/audits");
    if (!QFile::exists(root))
        QSKIP("../shared/peer-compat is absent");
    QDirIterator it(root, {QStringLiteral("*.jsonl")}, QDir::Files);
    int graphs = 0;
    while (it.hasNext()) {
        LoadResult r = AuditLoader::loadFile(it.next().toStdString());
        QVERIFY(r.model);
        QVERIFY(checkAllTraces(*r.model,
                               QStringLiteral(RW_SOURCE_DIR "/tests/golden/graphs/peer-") +
                                   safeName(it.fileName().section(QLatin1Char('.'), 0, 0)) + QLatin1Char('-'),
                               &graphs));
    }
    QVERIFY(graphs > 60);
}

void TestExecutionGraph::blockedHasNoExecutedTool()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/untrusted-skill-restart.jsonl");
    const ExecutionGraph g = buildExecutionGraph(*r.model, 0);
    bool sawRequest = false;
    for (const GraphNode& n : g.nodes) {
        QVERIFY(n.label.find("executed restart_service") == std::string::npos);
        sawRequest = sawRequest || n.kind == GraphNodeKind::ToolCall;
        if (n.kind == GraphNodeKind::Outcome)
            QCOMPARE(n.decision, std::string("blocked"));
    }
    QVERIFY(sawRequest); // the request is shown, as requested and not run
}

void TestExecutionGraph::untrustedPathIsMarked()
{
    LoadResult r = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/untrusted-skill-restart.jsonl");
    const ExecutionGraph g = buildExecutionGraph(*r.model, 0);
    const std::int64_t skill = g.findNode("source:skill/k8s-helper-community/unverified");
    const std::int64_t call = g.findNode("plan1:call");
    QVERIFY(skill >= 0 && call >= 0);
    bool reachesCall = false;
    for (const GraphEdge& e : g.edges) {
        if (static_cast<std::int64_t>(e.from) == skill)
            QVERIFY(e.untrusted);
        if (static_cast<std::int64_t>(e.to) == call)
            reachesCall = e.untrusted;
    }
    QVERIFY(reachesCall);
    LoadResult ops = AuditLoader::loadFile(RW_SOURCE_DIR "/sample-audits/ops-restart-approval.jsonl");
    for (const GraphEdge& e : buildExecutionGraph(*ops.model, 0).edges)
        QVERIFY(!e.untrusted); // internal sources only
}

void TestExecutionGraph::hostileLabelsSurviveGraphviz()
{
    QCOMPARE(dotEscape("a\\Nb\"c"), std::string("a\\\\Nb\\\"c"));
    QCOMPARE(dotEscape(std::string("x\0y", 3)), std::string("x\xE2\x90\x80y"));
    // bidi, zero-width, tag and C1 characters show as \uXXXX (DOT's \\ is one backslash), bad bytes as U+FFFD
    QCOMPARE(dotEscape("invoice-\xe2\x80\xaegnp.exe"), std::string("invoice-\\\\u202egnp.exe"));
    QCOMPARE(dotEscape("pay\xe2\x80\x8bments\xf3\xa0\x81\x81"), std::string("pay\\\\u200bments\\\\U000e0041"));
    QCOMPARE(dotEscape("a\xc2\x9b" "2J\xff"), std::string("a\\\\u009b2J\xEF\xBF\xBD"));
    ExecutionGraph g;
    const char* labels[] = {"\\N \\G \\E \\T \\H \\L", "<b>html</b>", "quote \" back\\slash", "line\nbreak",
                            "-> n0 [label=evil]", "caf\xC3\xA9 \xF0\x9F\x98\x80"};
    for (const char* l : labels) {
        GraphNode n;
        n.key = l;
        n.label = l;
        n.events = {0};
        g.nodes.push_back(n);
    }
    g.edges.push_back({0, 1, false, {0}});
    const std::string dot = toDot(g);
    QVERIFY(dot.find("label=<") == std::string::npos);
    const LayoutRun run = runLayoutHelper(dot, "plain", 20000);
    QVERIFY2(run.error == LayoutError::None, layoutRecordText(run).c_str());
    std::string error;
    const auto layout = parsePlainLayout(run.output, g.nodes.size(), &error);
    QVERIFY2(layout, error.c_str());
    QCOMPARE(layout->nodes.size(), g.nodes.size()); // no extra node sneaked in through a label
    QCOMPARE(layout->edges.size(), std::size_t(1));
    // the labels come back as written: nothing expanded
    QVERIFY(run.output.find("\\\\N \\\\G") != std::string::npos || run.output.find("\\N \\G") != std::string::npos);
    QVERIFY(run.output.find("<b>html</b>") != std::string::npos);
}

void TestExecutionGraph::plainParser()
{
    const std::string plain = "graph 1 4 3\n"
                              "node n0 2 2.5 1.2 0.5 \"a \\\"quoted\\\" label\" solid box black lightgrey\n"
                              "node n1 2 0.5 1 0.5 b solid ellipse black lightgrey\n"
                              "edge n0 n1 4 2 2.25 2 1.8 2 1.2 2 0.75 solid black\n"
                              "stop\n";
    std::string error;
    const auto layout = parsePlainLayout(plain, 2, &error);
    QVERIFY2(layout, error.c_str());
    QCOMPARE(layout->width, 4.0);
    QCOMPARE(layout->nodes[0].y, 0.5); // flipped: Graphviz counts from the bottom
    QCOMPARE(layout->edges[0].points.size(), std::size_t(4));
    QCOMPARE(layout->edges[0].points.back().second, 2.25);
    QVERIFY(!parsePlainLayout("graph 1 4 3\nnode n0 2 2 1 1 a\nstop\n", 2, &error)); // n1 missing
    QVERIFY(error.find("n1") != std::string::npos);
    QVERIFY(!parsePlainLayout("graph 1 4 3\nnode n5 2 2 1 1 a\nstop\n", 2, &error)); // unknown node
    QVERIFY(!parsePlainLayout("graph 1 4 3\nnode n0 2 2 1 1 a\n", 1, &error));    // no stop
    QVERIFY(!parsePlainLayout("graph 1 4 3\nedge n0 n0 99999999 1 1\nstop\n", 1, &error));
}

void TestExecutionGraph::foldsOverTheLimit()
{
    std::string input;
    for (int p = 0; p < 100; ++p) {
        const std::string plan = "p" + std::to_string(p);
        for (const char* type : {"plan", "decision", "tool_call", "tool_blocked"})
            input += R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": ")" + std::string(type) +
                     R"(", "decision": ")" + (std::string(type) == "plan" || std::string(type) == "tool_call" ? "pending" : "blocked") +
                     R"(", "trace_id": "big", "execution_plan_id": ")" + plan + R"(", "plan_id": ")" + plan +
                     R"(", "tool_name": "send_email", "agent_name": "bulk"})" + "\n";
    }
    const auto model = rwtest::load(input);
    GraphLimits limits;
    limits.maxPlansShown = 10;
    const ExecutionGraph g = buildExecutionGraph(*model, 0, limits);
    QCOMPARE(g.collapsedPlans, std::size_t(90));
    const std::int64_t folded = g.findNode("similar:send_email/blocked");
    QVERIFY(folded >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(folded)].events.size(), std::size_t(360)); // every event still reachable
    QVERIFY(g.nodes.size() < 120);
    QVERIFY(checkGraph(*model, g).isEmpty());
}

// 200k plans with 20k tools and 200k sources: the graph is built folded,
// bounded in size whatever the trace, and every event stays reachable. The
// assertions are the counts; a quadratic build times the test out.
void TestExecutionGraph::manyPlansFoldBeforeLayout()
{
    constexpr std::size_t kPlans = 200000;
    const auto model = rwtest::load(rwtest::manyPlansTrace(kPlans, 20000, 50000));
    const GraphLimits limits;
    const ExecutionGraph g = buildExecutionGraph(*model, 0, limits);
    QCOMPARE(g.collapsedPlans, kPlans - limits.maxPlansShown);
    QCOMPARE(g.collapsedSources, kPlans - limits.maxSources); // s0..s23 shown; the last event's s0 is known
    QVERIFY(g.folded());
    QVERIFY(graphFoldText(g).contains(QStringLiteral("'similar tool calls' nodes")));
    // the decision tree of the same trace folds into one node, and its note names that one
    const ExecutionGraph tree = buildDecisionTree(*model, 0);
    QCOMPARE(tree.collapsedPlans, kPlans - DecisionTreeLimits{}.maxNodes);
    QVERIFY2(graphFoldText(tree).startsWith(QStringLiteral("199900 execution plans were folded into one 'more plans' node")),
             qPrintable(graphFoldText(tree)));
    QVERIFY2(g.nodes.size() < 300, qPrintable(QString::number(g.nodes.size())));
    QVERIFY(g.edges.size() < 400);
    QVERIFY(checkGraph(*model, g).isEmpty());
    const std::int64_t agent = g.findNode("agent");
    QVERIFY(agent >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(agent)].events.size(), kPlans + 1);
    // the folded plans are all in the per-(tool, outcome) groups or the catch-all
    std::size_t groups = 0, foldedEvents = 0;
    for (const GraphNode& n : g.nodes)
        if (n.kind == GraphNodeKind::Collapsed) {
            ++groups;
            foldedEvents += n.events.size();
        }
    QCOMPARE(groups, limits.maxFoldedGroups + 1);
    QCOMPARE(foldedEvents, kPlans - limits.maxPlansShown);
    // the 24 groups hold plans 25-48 and the 120 later plans with the same tool and outcome; the rest here
    const std::int64_t rest = g.findNode("similar:*");
    QVERIFY(rest >= 0);
    QCOMPARE(QString::fromStdString(g.nodes[static_cast<std::size_t>(rest)].detail), QStringLiteral("199832 more, other tools or outcomes"));
    const std::int64_t more = g.findNode("source:more/other");
    QVERIFY(more >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(more)].events.size(), kPlans - limits.maxSources);
    QVERIFY(graphText(*model, g).find("collapsed plans: 199976\n") != std::string::npos);
    QVERIFY(toDot(g).size() < 100000);
}

// A run trace of 200k steps (the trial's 1M-step run spent > 100 s here):
// the first steps are drawn, the rest is one node that says how many.
void TestExecutionGraph::manyRunStepsFold()
{
    constexpr std::size_t kSteps = 200000;
    std::string doc = R"({"run_id": "long-run", "agent_id": "looper", "steps": [)";
    for (std::size_t i = 0; i < kSteps; ++i)
        doc += std::string(i ? "," : "") + R"({"action": "step)" + std::to_string(i) + R"(", "tool_call": {"tool": "t)" +
               std::to_string(i % 1000) + R"(", "parameters": {}}, "timestamp": "2026-03-09T07:00:01.000Z"})";
    doc += "]}\n";
    const auto model = rwtest::load(doc);
    QCOMPARE(model->traceCount(), std::size_t(1));
    QCOMPARE(model->traceEvents(0).size(), kSteps);
    const GraphLimits limits;
    const ExecutionGraph g = buildExecutionGraph(*model, 0, limits);
    QCOMPARE(g.collapsedSteps, kSteps - limits.maxStepsShown);
    QVERIFY(g.nodes.size() <= limits.maxStepsShown + 2);
    const std::int64_t more = g.findNode("step:more");
    QVERIFY(more >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(more)].events.size(), kSteps - limits.maxStepsShown);
    QCOMPARE(g.nodes[static_cast<std::size_t>(more)].detail, std::string("199900 more steps"));
    QVERIFY(g.findNode("step:100") >= 0);
    QVERIFY(g.findNode("step:101") < 0);
    QVERIFY(checkGraph(*model, g).isEmpty());
}

// Sources past the limit fold per trust class, and an untrusted one still
// marks its path.
void TestExecutionGraph::manySourcesFoldByTrust()
{
    std::string input;
    for (int i = 0; i < 40; ++i)
        input += R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": "decision", "decision": "allowed", "trace_id": "t", "tool_name": "x", "provenance": [{"source_type": "web", "source_name": "w)" +
                 std::to_string(i) + R"(", "trust_level": ")" + (i < 35 ? "internal" : "unverified") + "\"}]}\n";
    const auto model = rwtest::load(input);
    GraphLimits limits;
    limits.maxSources = 30;
    const ExecutionGraph g = buildExecutionGraph(*model, 0, limits);
    QCOMPARE(g.collapsedSources, std::size_t(10));
    const std::int64_t other = g.findNode("source:more/internal");
    QVERIFY(other < 0); // classes are external, unverified and other
    const std::int64_t rest = g.findNode("source:more/other");
    const std::int64_t untrusted = g.findNode("source:more/unverified");
    QVERIFY(rest >= 0 && untrusted >= 0);
    QCOMPARE(g.nodes[static_cast<std::size_t>(rest)].events.size(), std::size_t(5));
    QCOMPARE(g.nodes[static_cast<std::size_t>(untrusted)].events.size(), std::size_t(5));
    bool marked = false;
    for (const GraphEdge& e : g.edges)
        if (e.from == static_cast<std::size_t>(untrusted))
            marked = e.untrusted;
    QVERIFY(marked);
    QVERIFY(checkGraph(*model, g).isEmpty());
}

// A dense graph dot takes seconds to lay out.
std::string denseDot()
{
    std::string dot = "digraph big {\n";
    for (int i = 0; i < 1500; ++i)
        for (int k = 1; k <= 4; ++k)
            dot += "  n" + std::to_string(i) + " -> n" + std::to_string((i * 7 + k * 131) % 1500) + ";\n";
    dot += "}\n";
    return dot;
}

void TestExecutionGraph::layoutTimeLimit()
{
    // a dense graph dot cannot lay out in 300 ms: the helper is killed, the caller gets an error
    const std::string dot = denseDot();
    QElapsedTimer timer;
    timer.start();
    const LayoutRun run = runLayoutHelper(dot, "plain", 300);
    QCOMPARE(int(run.error), int(LayoutError::Timeout));
    QVERIFY(timer.elapsed() < 5000);
}

void TestExecutionGraph::cancelledLayoutIsKilled()
{
    // a layout superseded by the next trace's ran to its time limit, holding a core
    const std::string dot = denseDot();
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        QThread::msleep(200);
        cancel = true;
    });
    // a limit far beyond the test's own: only the cancel can end it early with this error
    const LayoutRun run = runLayoutHelper(dot, "plain", 600000, &cancel);
    canceller.join();
    QCOMPARE(int(run.error), int(LayoutError::Cancelled));
}

QTEST_GUILESS_MAIN(TestExecutionGraph)
#include "tst_executiongraph.moc"
