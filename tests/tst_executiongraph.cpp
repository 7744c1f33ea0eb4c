// Execution graphs: node and edge sets of every sample and peer-compat trace
// as golden text, the rules a graph must keep, DOT escaping of hostile labels
// through the real Graphviz helper, the layout parser on fixed input, folding
// over the size limit and the layout time limit.
#include "executiongraph.h"
#include "graphdot.h"
#include "graphlayout.h"
#include "testutil.h"

#include <QDirIterator>
#include <QtTest>

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
    void layoutTimeLimit();
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
    QVERIFY2(run.error == LayoutError::None, run.message.c_str());
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

void TestExecutionGraph::layoutTimeLimit()
{
    // a dense graph dot cannot lay out in 300 ms: the helper is killed, the caller gets an error
    std::string dot = "digraph big {\n";
    for (int i = 0; i < 1500; ++i)
        for (int k = 1; k <= 4; ++k)
            dot += "  n" + std::to_string(i) + " -> n" + std::to_string((i * 7 + k * 131) % 1500) + ";\n";
    dot += "}\n";
    QElapsedTimer timer;
    timer.start();
    const LayoutRun run = runLayoutHelper(dot, "plain", 300);
    QCOMPARE(int(run.error), int(LayoutError::Timeout));
    QVERIFY(timer.elapsed() < 5000);
}

QTEST_GUILESS_MAIN(TestExecutionGraph)
#include "tst_executiongraph.moc"
