// One big trace, every per-trace command: a generated interceptor JSONL of
// 2,000,000 events in 500,000 execution plans of a single trace (written to a
// temporary directory and deleted afterwards), loaded, then the summary, the
// timeline text, the --json timeline, the in-trace diff, the execution graph
// (folded, DOT text, no layout) and an evidence export of that trace
// (--no-svg) are timed, each as a ratio to the load time in the same process.
// The target is <= 2x: a per-event search anywhere makes these minutes.
//   bench_bigtrace [EVENTS] [PLANS]
#include "app/cli/textreport.h"
#include "app/pdf/reportpdf.h"
#include "model/auditloader.h"
#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/upstreamjson.h"
#include "model/workspace.h"
#include "replay/evidence/evidencebundle.h"
#include "replay/graph/executiongraph.h"
#include "replay/graph/graphdot.h"

#include <QTemporaryDir>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// the event shapes of sample-audits/ and bench/gen_audit.py, four per plan
bool writeTrace(const std::string& path, std::size_t events, std::size_t plans)
{
    static const char* kTools[] = {"read_customer", "send_email", "restart_service", "write_file", "shell_exec", "search_docs"};
    static const char* kTrust[][3] = {{"user_prompt", "api_request", "internal"},
                                      {"skill", "community_skill", "unverified"},
                                      {"retrieval_chunk", "kb://wiki", "external"}};
    static const char* kTypes[] = {"plan", "decision", "tool_call", "tool_allowed"};
    std::ofstream out(path, std::ios::binary);
    std::string line;
    const std::size_t perPlan = (events + plans - 1) / plans;
    for (std::size_t i = 0; i < events; ++i) {
        const std::size_t plan = i / perPlan;
        const std::size_t kind = i % perPlan % 4;
        const bool blocked = plan % 5 == 0;
        const char* tool = kTools[plan % 6];
        const auto& prov = kTrust[plan % 3];
        const std::string type = kind == 3 && blocked ? "tool_blocked" : kTypes[kind];
        const char* decision = kind == 0 || kind == 2 ? "pending" : blocked ? "blocked" : "allowed";
        char ts[40];
        std::snprintf(ts, sizeof ts, "2026-03-05T%02zu:%02zu:%02zu.%03zuZ", (i / 3600000) % 24, (i / 60000) % 60,
                      (i / 1000) % 60, i % 1000);
        line = std::string(R"({"timestamp": ")") + ts + R"(", "event_type": ")" + type + R"(", "decision": ")" + decision +
               R"(", "schema_version": "0.5.0", "event_id": "e-)" + std::to_string(i) +
               R"(", "trace_id": "big-trace", "plan_id": "plan-)" + std::to_string(plan) +
               R"(", "execution_plan_id": "plan-)" + std::to_string(plan) + R"(", "agent_name": "bulk_agent", "tool_name": ")" +
               tool + R"(", "decision_stage": "evaluate", "reason": "bench", "provenance": [{"source_type": ")" + prov[0] +
               R"(", "source_name": ")" + prov[1] + R"(", "trust_level": ")" + prov[2] + "\"}]}\n";
        out << line;
    }
    return static_cast<bool>(out.flush());
}

} // namespace

int main(int argc, char** argv)
{
    rw::ensureGuiApplication(); // the evidence report's PDF, as the CLI makes it
    const std::size_t events = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 2000000;
    const std::size_t plans = argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 500000;
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    const std::string path = dir.filePath(QStringLiteral("big-trace.jsonl")).toStdString();
    auto t0 = Clock::now();
    if (!writeTrace(path, events, plans)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
    }
    std::printf("generated %zu events, %zu plans in one trace: %.2f s\n", events, plans, secondsSince(t0));

    t0 = Clock::now();
    rw::LoadResult loaded = rw::AuditLoader::loadFile(path);
    if (!loaded.model)
        return 1;
    const std::string sha = loaded.model->sha256();
    const double load = secondsSince(t0);
    const rw::ReplayModel& m = *loaded.model;
    std::printf("load + SHA-256: %.2f s (%zu bytes, %zu traces)\n", load, m.bytes().size(), m.traceCount());
    const auto trace = m.findTrace("big-trace");
    if (!trace)
        return 1;

    auto report = [&](const char* what, double s, const std::string& size) {
        std::printf("%-34s %7.2f s  %5.2fx load  %s\n", what, s, s / load, size.c_str());
    };
    t0 = Clock::now();
    rw::TraceSummary summary = rw::summarizeTrace(m, *trace);
    const std::string summaryOut = rw::summaryText(m, summary);
    report("--summary", secondsSince(t0), std::to_string(summary.executionPlanIds.size()) + " plans");

    t0 = Clock::now();
    summary = rw::summarizeTrace(m, *trace);
    std::string timeline = rw::timelineText(m, summary);
    report("timeline (text)", secondsSince(t0), std::to_string(timeline.size() >> 20) + " MiB");
    std::string().swap(timeline); // each output is dropped once measured: gigabytes held would weigh on the next

    t0 = Clock::now();
    summary = rw::summarizeTrace(m, *trace);
    std::string json = rw::upstream::dump(rw::upstream::traceResult(m, summary));
    report("--json (timeline)", secondsSince(t0), std::to_string(json.size() >> 20) + " MiB");
    std::string().swap(json);

    t0 = Clock::now();
    summary = rw::summarizeTrace(m, *trace);
    const std::string diff = rw::diffText(rw::computeInTraceDiff(m, summary));
    report("--diff", secondsSince(t0), std::to_string(diff.size()) + " bytes");

    t0 = Clock::now();
    const rw::ExecutionGraph graph = rw::buildExecutionGraph(m, *trace);
    const std::string dot = rw::toDot(graph);
    report("--graph dot (folded)", secondsSince(t0),
           std::to_string(graph.nodes.size()) + " nodes, " + std::to_string(graph.collapsedPlans) + " plans folded");

    t0 = Clock::now();
    rw::Workspace ws;
    ws.addFile(std::move(loaded.model));
    rw::EvidenceRequest req;
    req.ws = &ws;
    req.rows = {static_cast<std::uint32_t>(ws.findRow("big-trace"))};
    req.examiner = "bench";
    req.graphSvg = false;
    req.renderPdf = rw::renderReportPdf;
    const std::string bundle = dir.filePath(QStringLiteral("big-trace.zip")).toStdString();
    const rw::EvidenceResult r = rw::writeEvidenceBundle(req, bundle);
    if (!r.ok) {
        std::fprintf(stderr, "export failed: %s\n", r.error.c_str());
        return 1;
    }
    report("--evidence --no-svg", secondsSince(t0), std::to_string(r.bytes >> 20) + " MiB bundle");
    return 0;
}
