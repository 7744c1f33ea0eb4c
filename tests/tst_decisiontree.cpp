// Decision trees (replay/graph/decisiontree.h): every sample trace's tree as
// golden text with the rules a tree keeps (one chosen path from the root to
// the last step, alternatives rejected beside the step taken, edges marked as
// the node they lead to), the branching sample's backtracking, the
// interceptor's policy-rejected plan, hostile and oversized alternatives, and
// the tree through the real Graphviz helper.
#include "replay/graph/decisiontree.h"
#include "replay/graph/graphdot.h"
#include "replay/graph/graphpipeline.h"
#include "tests/testutil.h"

#include <QDirIterator>
#include <QtTest>

using namespace rw;

namespace {

QString sample(const char* name) { return QStringLiteral(RW_SOURCE_DIR "/sample-audits/") + QLatin1String(name); }

std::unique_ptr<ReplayModel> loadSample(const QString& path)
{
    return AuditLoader::loadFile(path.toStdString()).model;
}

QString safeName(QString s)
{
    for (QChar& c : s)
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_'))
            c = QLatin1Char('_');
    return s;
}

const GraphNode* byLabel(const ExecutionGraph& g, const std::string& prefix)
{
    for (const GraphNode& n : g.nodes)
        if (n.label.rfind(prefix, 0) == 0)
            return &n;
    return nullptr;
}

std::size_t indexOf(const ExecutionGraph& g, const GraphNode* n) { return static_cast<std::size_t>(n - g.nodes.data()); }

std::int64_t parentOf(const ExecutionGraph& g, std::size_t node)
{
    for (const GraphEdge& e : g.edges)
        if (e.to == node)
            return static_cast<std::int64_t>(e.from);
    return -1;
}

// the rules every tree keeps
QString checkTree(const ReplayModel& m, const ExecutionGraph& g)
{
    if (g.nodes.empty())
        return QStringLiteral("no nodes");
    std::vector<int> parents(g.nodes.size(), 0);
    for (const GraphEdge& e : g.edges) {
        if (e.from >= g.nodes.size() || e.to >= g.nodes.size() || e.events.empty())
            return QStringLiteral("bad edge");
        if (++parents[e.to] > 1)
            return QStringLiteral("node %1 has two parents: not a tree").arg(QString::fromStdString(g.nodes[e.to].key));
        if (e.mark != g.nodes[e.to].mark)
            return QStringLiteral("edge to %1 marked apart from its node").arg(QString::fromStdString(g.nodes[e.to].key));
    }
    if (parents[0] != 0 || g.nodes[0].mark != BranchMark::Chosen)
        return QStringLiteral("the root is not the first node, or not chosen");
    std::size_t leaves = 0;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const GraphNode& n = g.nodes[i];
        if (i > 0 && parents[i] != 1)
            return QStringLiteral("node %1 hangs in the air").arg(QString::fromStdString(n.key));
        if (n.mark == BranchMark::None)
            return QStringLiteral("node %1 is unmarked").arg(QString::fromStdString(n.key));
        if ((n.kind == GraphNodeKind::Alternative) != (n.mark == BranchMark::Rejected))
            return QStringLiteral("alternative %1 not rejected, or rejected and no alternative").arg(QString::fromStdString(n.key));
        for (const std::uint32_t e : n.events)
            if (e >= m.eventCount())
                return QStringLiteral("node %1 points outside the model").arg(QString::fromStdString(n.key));
        if (n.events.empty())
            return QStringLiteral("node %1 has no events: clicking it selects nothing").arg(QString::fromStdString(n.key));
        // a chosen node below the root has a chosen parent: the chosen nodes are one path
        if (i > 0 && n.mark == BranchMark::Chosen) {
            const std::int64_t p = parentOf(g, i);
            if (g.nodes[static_cast<std::size_t>(p)].mark != BranchMark::Chosen)
                return QStringLiteral("chosen %1 below a branch not taken").arg(QString::fromStdString(n.key));
            bool hasChosenChild = false;
            for (const GraphEdge& e : g.edges)
                if (e.from == i && g.nodes[e.to].mark == BranchMark::Chosen)
                    hasChosenChild = true;
            if (!hasChosenChild)
                ++leaves;
        }
    }
    if (leaves > 1)
        return QStringLiteral("the chosen nodes fork: %1 ends").arg(leaves);
    return {};
}

} // namespace

class TestDecisionTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void samples_data();
    void samples();
    void backtrackingAndAlternatives();
    void policyRejectedPlan();
    void hostileAlternatives();
    void foldsOverTheLimit();
    void laidOutByGraphviz();
};

void TestDecisionTree::samples_data()
{
    QTest::addColumn<QString>("file");
    QDirIterator it(QStringLiteral(RW_SOURCE_DIR "/sample-audits"), {QStringLiteral("*.jsonl"), QStringLiteral("*.json")}, QDir::Files);
    while (it.hasNext()) {
        const QString path = it.next();
        if (!path.endsWith(QLatin1String("run-trace-report.json"))) // a report, no trace
            QTest::newRow(qPrintable(it.fileName())) << path;
    }
}

void TestDecisionTree::samples()
{
    QFETCH(QString, file);
    const auto m = loadSample(file);
    QVERIFY(m);
    for (std::size_t t = 0; t < m->traceCount(); ++t) {
        const ExecutionGraph g = buildDecisionTree(*m, t);
        const std::string_view id = m->str(m->trace(t).id);
        const QString name = QString::fromUtf8(id.data(), static_cast<qsizetype>(id.size()));
        const QString problem = checkTree(*m, g);
        QVERIFY2(problem.isEmpty(), qPrintable(name + QStringLiteral(": ") + problem));
        QVERIFY(rwtest::matchesGolden(graphText(*m, g), QStringLiteral(RW_SOURCE_DIR "/tests/golden/trees/") + safeName(name) + QStringLiteral(".txt")));
    }
}

// run-disk-0907: step 4 resumes from step 2 (parent_step_index), so step 3 was explored and abandoned;
// step 2 was chosen over two alternatives, which hang beside it with their reasons
void TestDecisionTree::backtrackingAndAlternatives()
{
    const auto m = loadSample(sample("run-branching.json"));
    QVERIFY(m && m->traceCount() == 1);
    const ExecutionGraph g = buildDecisionTree(*m, 0);
    const GraphNode* s1 = byLabel(g, "step 1:");
    const GraphNode* s2 = byLabel(g, "step 2:");
    const GraphNode* s3 = byLabel(g, "step 3:");
    const GraphNode* s4 = byLabel(g, "step 4:");
    const GraphNode* s6 = byLabel(g, "step 6:");
    QVERIFY(s1 && s2 && s3 && s4 && s6);
    QCOMPARE(s3->mark, BranchMark::Abandoned);
    QCOMPARE(parentOf(g, indexOf(g, s4)), static_cast<std::int64_t>(indexOf(g, s2)));
    for (const GraphNode* chosen : {s1, s2, s4, s6})
        QCOMPARE(chosen->mark, BranchMark::Chosen);
    QVERIFY(s2->detail.find("chosen over 2") != std::string::npos);
    // set aside at step 2, taken at step 4 after going back: said on the alternative
    const GraphNode* expand = byLabel(g, "expand_volume (not taken then; taken at step 4)");
    QVERIFY(expand);
    QVERIFY(byLabel(g, "failover_replica (not taken)"));
    QVERIFY(s4->detail.find("back to step 2") != std::string::npos);
    QVERIFY(s2->detail.find("chosen over 2 alternatives") != std::string::npos);
    QCOMPARE(expand->kind, GraphNodeKind::Alternative);
    QCOMPARE(expand->mark, BranchMark::Rejected);
    QCOMPARE(parentOf(g, indexOf(g, expand)), static_cast<std::int64_t>(indexOf(g, s1))); // beside step 2
    QVERIFY(expand->detail.find("change ticket") != std::string::npos); // its rejection reasoning
    QVERIFY(expand->detail.find("score 0.41") != std::string::npos);
    QCOMPARE(expand->events, s2->events); // clicking it selects the step that weighed it
    // DOT: the path taken bold, branches left dashed
    const std::string dot = toDot(g);
    QVERIFY(dot.find("style=dashed, color=\"#9a9a9a\"") != std::string::npos);
    QVERIFY(dot.find("penwidth=2") != std::string::npos);
}

// finance-email-blocked: the second plan was blocked by policy: a branch of its own, vermillion
void TestDecisionTree::policyRejectedPlan()
{
    const auto m = loadSample(sample("finance-email-blocked.jsonl"));
    QVERIFY(m && m->traceCount() == 1);
    const ExecutionGraph g = buildDecisionTree(*m, 0);
    const GraphNode* p1 = byLabel(g, "plan 1:");
    const GraphNode* p2 = byLabel(g, "plan 2:");
    QVERIFY(p1 && p2);
    QCOMPARE(p1->mark, BranchMark::Chosen);
    QCOMPARE(p2->mark, BranchMark::PolicyRejected);
    QCOMPARE(p2->decision, std::string("blocked"));
    QVERIFY(p2->detail.find("rejected by policy") != std::string::npos);
    QVERIFY(p2->detail.find("payments@vendor-quick-pay.biz") != std::string::npos);
    QVERIFY(toDot(g).find("color=\"#D55E00\"") != std::string::npos);

    // a plan after a blocked one goes on from before it: the blocked plan stays a leaf
    std::string bytes = rwtest::readFile(sample("finance-email-blocked.jsonl"));
    bytes += rwtest::planLine("fin-2026-03-05-invoice-7781", "evt-after", ", \"execution_plan_id\": \"p3\", \"plan_intent\": \"ask_finance\"") + '\n';
    const auto again = AuditLoader::loadBytes(bytes);
    const ExecutionGraph h = buildDecisionTree(*again, 0);
    QVERIFY2(checkTree(*again, h).isEmpty(), qPrintable(checkTree(*again, h)));
    const GraphNode* p3 = byLabel(h, "plan 3:");
    QVERIFY(p3);
    QCOMPARE(parentOf(h, indexOf(h, p3)), static_cast<std::int64_t>(indexOf(h, byLabel(h, "plan 1:"))));
    QCOMPARE(byLabel(h, "plan 2:")->mark, BranchMark::PolicyRejected);
    QCOMPARE(p3->mark, BranchMark::Chosen);
}

// alternatives that are no array, hold no objects, or are too many: never a crash, bounded
void TestDecisionTree::hostileAlternatives()
{
    std::string alts = "[";
    for (int i = 0; i < 20; ++i)
        alts += std::string(i ? "," : "") + "{\"action\": \"a" + std::to_string(i) + "\\u202e\", \"score\": \"high\"}";
    alts += ", 7, null, \"text\"]";
    const std::string doc =
        "{\"run_id\": \"r\", \"agent_id\": \"ag\", \"steps\": ["
        "{\"step_index\": 0, \"action\": \"x\", \"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:00Z\", \"alternatives\": " +
        alts +
        "},"
        "{\"step_index\": 1, \"action\": \"y\", \"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:01Z\", \"alternatives\": {\"not\": \"an array\"}},"
        "{\"step_index\": 2, \"action\": \"z\", \"parent_step_index\": 99, \"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:02Z\", \"alternatives\": []}"
        "]}";
    const auto m = AuditLoader::loadBytes(doc);
    QVERIFY(m && m->traceCount() == 1);
    const ExecutionGraph g = buildDecisionTree(*m, 0);
    QVERIFY2(checkTree(*m, g).isEmpty(), qPrintable(checkTree(*m, g)));
    std::size_t drawn = 0;
    for (const GraphNode& n : g.nodes)
        drawn += n.kind == GraphNodeKind::Alternative;
    QCOMPARE(drawn, DecisionTreeLimits{}.maxAlternatives);
    const GraphNode* s0 = byLabel(g, "step 0:");
    QVERIFY(s0 && s0->detail.find("chosen over 20") != std::string::npos && s0->detail.find("12 not drawn") != std::string::npos);
    QVERIFY(s0->detail.find("3 alternative(s) not objects") != std::string::npos);
    QVERIFY(byLabel(g, "step 1:")->detail.find("alternatives not read") != std::string::npos); // an object, not an array
    QVERIFY(byLabel(g, "a0")->detail.find("lost to step 0") != std::string::npos);
    QVERIFY(byLabel(g, "a0")->detail.find("score") == std::string::npos); // a score that is no number is not shown
    // a parent_step_index naming no step: the step before
    QCOMPARE(parentOf(g, indexOf(g, byLabel(g, "step 2:"))), static_cast<std::int64_t>(indexOf(g, byLabel(g, "step 1:"))));

    // steps written out of order (0, 1, 3, 2): each under step_index - 1, the path ends at step 3
    const auto stepDoc = [](int index) {
        return "{\"step_index\": " + std::to_string(index) + ", \"action\": \"s" + std::to_string(index) +
               "\", \"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:0" + std::to_string(index) + "Z\"}";
    };
    const auto shuffled = AuditLoader::loadBytes("{\"run_id\": \"order\", \"agent_id\": \"ag\", \"steps\": [" + stepDoc(0) + "," +
                                                 stepDoc(1) + "," + stepDoc(3) + "," + stepDoc(2) + "]}");
    QVERIFY(shuffled);
    const ExecutionGraph o = buildDecisionTree(*shuffled, 0);
    QVERIFY2(checkTree(*shuffled, o).isEmpty(), qPrintable(checkTree(*shuffled, o)));
    QCOMPARE(byLabel(o, "step 3:")->mark, BranchMark::Chosen);
    QCOMPARE(byLabel(o, "step 2:")->mark, BranchMark::Chosen);
    // the label keeps the bidi control; the DOT text shows it escaped
    QVERIFY(toDot(g).find("\\\\u202e") != std::string::npos);

    // nested deeper than any parser should follow, in a run document (no line depth limit there):
    // not read, said, no crash (copying or printing such a DOM recursed past the stack)
    const std::string deep = std::string(200000, '[') + std::string(200000, ']');
    const std::string nested = "{\"run_id\": \"deep\", \"agent_id\": \"ag\", \"steps\": [{\"step_index\": 0, \"action\": \"x\", "
                               "\"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:00Z\", \"alternatives\": [{\"action\": " +
                               deep + "}], \"selection\": {\"criteria\": " + deep + "}}]}";
    const auto d = AuditLoader::loadBytes(nested);
    QVERIFY(d);
    if (d->traceCount() == 1) { // the importer may refuse it whole: then there is no tree to build
        const ExecutionGraph h = buildDecisionTree(*d, 0);
        QVERIFY(byLabel(h, "step 0:")->detail.find("alternatives not read") != std::string::npos);
    }
}

void TestDecisionTree::foldsOverTheLimit()
{
    std::string doc = "{\"run_id\": \"long\", \"agent_id\": \"ag\", \"steps\": [";
    for (int i = 0; i < 250; ++i)
        doc += std::string(i ? "," : "") + "{\"step_index\": " + std::to_string(i) +
               ", \"action\": \"s\", \"tool_call\": {\"tool\": \"t\"}, \"timestamp\": \"2026-03-01T00:00:00Z\"}";
    doc += "]}";
    const auto m = AuditLoader::loadBytes(doc);
    QVERIFY(m);
    const ExecutionGraph g = buildDecisionTree(*m, 0);
    QVERIFY2(checkTree(*m, g).isEmpty(), qPrintable(checkTree(*m, g)));
    QCOMPARE(g.nodes.size(), std::size_t{1 + 100 + 1}); // the run, 100 steps, one "more steps"
    QCOMPARE(g.collapsedSteps, std::size_t{150});
    QCOMPARE(g.nodes.back().mark, BranchMark::Chosen);
}

void TestDecisionTree::laidOutByGraphviz()
{
    const auto m = loadSample(sample("run-branching.json"));
    QVERIFY(m);
    const LaidOutGraph laid = layOutDecisionTree(*m, 0);
    QVERIFY2(laid.placement.layout, layoutRecordText(laid.placement.run).c_str());
    QCOMPARE(laid.placement.layout->nodes.size(), laid.graph.nodes.size());
    QCOMPARE(laid.placement.layout->edges.size(), laid.graph.edges.size());
}

QTEST_GUILESS_MAIN(TestDecisionTree)
#include "tst_decisiontree.moc"
