// Execution-graph benchmark: layout time (Graphviz helper process, plain
// output) and drawing time for graphs of 50, 200 and 1000 nodes shaped like
// busy traces, plus a 200-node trace laid out and drawn end to end.
//   QT_QPA_PLATFORM=offscreen RW_GRAPH_LAYOUT=build/release/app/rw-graph-layout bench_graph
#include "app/text/layouttext.h"
#include "model/auditloader.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphdot.h"
#include "replay/graph/graphlayout.h"
#include "views/graphview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>

#include <cstdio>
#include <string>

namespace {

// a trace with `plans` execution plans of 4 events each: 4 nodes a plan plus sources, agent, governance
std::string traceWithPlans(int plans)
{
    std::string out;
    for (int p = 0; p < plans; ++p) {
        const std::string plan = "p" + std::to_string(p);
        const char* outcome = p % 3 == 0 ? "tool_blocked" : "tool_allowed";
        for (const char* type : {"plan", "decision", "tool_call", outcome}) {
            const std::string t(type);
            const std::string decision = t == "plan" || t == "tool_call" ? "pending" : (p % 3 == 0 ? "blocked" : "allowed");
            out += R"({"timestamp": "2026-05-17T00:00:00Z", "event_type": ")" + t + R"(", "decision": ")" + decision +
                   R"(", "trace_id": "t", "execution_plan_id": ")" + plan + R"(", "plan_id": ")" + plan +
                   R"(", "tool_name": "tool_)" + std::to_string(p % 17) + R"(", "agent_name": "agent", "provenance": [{"source_type": "skill", "trust_level": "unverified", "source_name": "s)" +
                   std::to_string(p % 5) + R"("}]})" + "\n";
        }
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    rw::GraphLimits limits;
    limits.maxPlansShown = 1000; // measure the raw sizes; the GUI folds beyond 24
    for (const int plans : {11, 48, 248}) { // about 50, 200 and 1000 nodes
        const auto model = rw::AuditLoader::loadBytes(traceWithPlans(plans), "<bench>");
        QElapsedTimer t;
        t.start();
        const rw::ExecutionGraph graph = rw::buildExecutionGraph(*model, 0, limits);
        const double build = static_cast<double>(t.nsecsElapsed()) / 1e6;
        const rw::LayoutRun run = rw::runLayoutHelper(rw::toDot(graph), "plain", 60000);
        if (run.error != rw::LayoutError::None) {
            std::fprintf(stderr, "%s\n", rw::layoutErrorText(run, rw::Reader::CommandLine).c_str());
            return 1;
        }
        std::string error;
        const auto layout = rw::parsePlainLayout(run.output, graph.nodes.size(), &error);
        if (!layout) {
            std::fprintf(stderr, "parse failed: %s\n", error.c_str());
            return 1;
        }
        rw::GraphView view;
        view.resize(1400, 500);
        t.restart();
        view.setGraph(model.get(), graph, *layout);
        const QPixmap pixmap = view.grab(); // a full paint of the view
        const double draw = static_cast<double>(t.nsecsElapsed()) / 1e6;
        std::printf("%4zu nodes, %4zu edges: build %.2f ms, layout (helper process) %.0f ms, draw %.1f ms, total %.0f ms%s\n",
                    graph.nodes.size(), graph.edges.size(), build, run.seconds * 1000, draw,
                    build + run.seconds * 1000 + draw, graph.nodes.size() >= 180 && graph.nodes.size() <= 220 ? "  [target < 500 ms]" : "");
    }
    return 0;
}
