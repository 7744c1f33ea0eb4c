// Re-evaluation benchmark: every decision point of an audit file under a
// 200-rule bundle (rules that mostly do not match, so each evaluation walks
// them all), on one core, after the load. Prints decision points per second
// and the ratio to the load time of the same file in the same process; then
// the workbench's path (Policy > Re-evaluate All Traces: trace by trace, with
// the rows behind every count) against the whole-file pass as its baseline.
//   bench_reevaluate FILE
#include "model/auditloader.h"
#include "replay/policy/policyengine.h"
#include "replay/policy/reevaluation.h"
#include "replay/policy/workspacereevaluation.h"

#include <numeric>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    rw::LoadResult loaded = rw::AuditLoader::loadFile(argv[1]);
    if (!loaded.model)
        return 1;
    const double load = std::chrono::duration<double>(Clock::now() - t0).count();

    std::string yaml = "rules:\n";
    for (int i = 0; i < 196; ++i)
        yaml += "  - tool_name: tool_" + std::to_string(i) + "\n    agent_name: agent_" + std::to_string(i % 7) +
                "\n    action: block\n";
    yaml += "  - tool_name: send_email\n    provenance_trust: [unverified]\n    action: require_approval\n";
    yaml += "  - provenance_source_type: [retrieval_chunk]\n    provenance_trust: [external]\n    action: block\n";
    yaml += "  - sensitivity_level: secret\n    action: block\n";
    yaml += "  - tool_name: search_docs\n    action: allow\n";
    yaml += "blocked_tools: [shell_exec]\nmonitored_tools: [read_customer]\n"
            "dangerous_argument_patterns: [drop table, rm -rf, api_key, /etc/passwd]\n"
            "agents:\n  ops_agent:\n    allowed_tools: [restart_service, read_customer]\n";
    std::vector<rw::BundleDiagnostic> d;
    const auto bundle = rw::parsePolicyBundle(yaml, "bench-200-rules.yaml", d);
    if (!bundle || bundle->rules.size() != 200) {
        std::fprintf(stderr, "bundle did not load\n");
        return 1;
    }
    const rw::PolicyEngine engine(*bundle, nullptr);
    double best = 1e9;
    rw::ReplayDiffResult result;
    const int runs = std::getenv("RW_BENCH_RUNS") ? std::atoi(std::getenv("RW_BENCH_RUNS")) : 3;
    for (int r = 0; r < runs; ++r) {
        const auto t1 = Clock::now();
        result = rw::reevaluate(*loaded.model, std::nullopt, engine);
        best = std::min(best, std::chrono::duration<double>(Clock::now() - t1).count());
    }
    const double points = static_cast<double>(result.summary.decisionPoints);
    std::printf("file: %s (%llu events)\n", argv[1], static_cast<unsigned long long>(loaded.model->eventCount()));
    std::printf("load (index, all cores): %.3f s\n", load);
    std::printf("re-evaluate %.0f decision points under 200 rules (one core): %.3f s = %.2f M points/s "
                "(%zu changed); ratio to load %.2fx  [target >= 2 M/s]\n",
                points, best, points / best / 1e6, result.summary.changed, best / load);

    rw::Workspace ws;
    ws.addFile(std::move(loaded.model));
    std::vector<std::uint32_t> rows(ws.rows().size());
    std::iota(rows.begin(), rows.end(), 0u);
    double bestRows = 1e9;
    std::size_t progressCalls = 0;
    rw::WorkspaceReevaluation byTrace;
    for (int r = 0; r < runs; ++r) {
        const auto t1 = Clock::now();
        byTrace = rw::reevaluateRows(ws, rows, engine, [&](std::size_t) { return ++progressCalls > 0; });
        bestRows = std::min(bestRows, std::chrono::duration<double>(Clock::now() - t1).count());
    }
    std::printf("workbench re-evaluation of all %zu traces (%zu points, %zu changed, rows behind every count, "
                "progress every 256 traces): %.3f s = %.2fx the whole-file pass  [window stays responsive: "
                "off the GUI thread, cancellable]\n",
                rows.size(), byTrace.summary.decisionPoints, byTrace.summary.changed, bestRows, bestRows / best);
    return 0;
}
