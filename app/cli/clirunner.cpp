#include "app/cli/clirunner.h"

#include "app/cli/batchrunner.h"
#include "app/cli/profilebuildrunner.h"

#include "app/cli/analyzerunner.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/cli/comparerunner.h"
#include "app/cli/evidencerunner.h"
#include "app/cli/policyrunner.h"
#include "app/cli/textreport.h"
#include "app/cli/watchalerts.h"
#include "app/cli/watchrunner.h"
#include "app/text/diagnostictext.h"
#include "app/text/graphfoldtext.h"
#include "app/text/layouttext.h"
#include "app/text/terminaltext.h"
#include "model/auditloader.h"
#include "model/intracediff.h"
#include "model/tracesummary.h"
#include "model/upstreamjson.h"
#include "replay/graph/graphpipeline.h"

#include <chrono>

namespace rw {

namespace {

int statsJsonOrText(const ReplayModel& model, const CliOptions& o, double seconds, std::ostream& out)
{
    if (!o.json) {
        out << statsText(model, seconds);
        return 0;
    }
    const LoadStats& st = model.stats();
    upstream::Json j = upstream::Json::object();
    j["file"] = model.path();
    j["format"] = model.format() == Format::RunTrace ? "run-trace" : "interceptor-jsonl";
    // null, never a hash of bytes that were not the file's
    if (model.sha256().empty())
        j["sha256"] = nullptr;
    else
        j["sha256"] = model.sha256();
    j["bytes"] = st.bytes;
    j["lines"] = st.lines;
    j["blank_lines"] = st.blankLines;
    j["events"] = st.events;
    j["unreadable_events"] = st.rejected;
    j["events_without_trace"] = st.withoutTrace;
    j["traces"] = st.traces;
    j["index_seconds"] = st.indexSeconds;
    j["total_seconds"] = seconds;
    j["sha256_seconds"] = model.sha256Seconds();
    j["mb_per_second"] = st.indexSeconds > 0 ? static_cast<double>(st.bytes) / 1e6 / st.indexSeconds : 0.0;
    j["threads"] = st.threads;
    upstream::Json codes = upstream::Json::object();
    for (std::size_t c = 0; c < kDiagnosticCodeCount; ++c)
        if (st.diagnosticCounts[c] > 0)
            codes[diagnosticCodeName(static_cast<DiagnosticCode>(c))] = st.diagnosticCounts[c];
    j["diagnostics"] = codes;
    out << upstream::dump(j);
    return 0;
}

} // namespace

int runCli(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    if (o.action == CliAction::Help) {
        out << cliUsage();
        return 0;
    }
    if (o.action == CliAction::Version) {
        out << "aisecops-replay " << RW_VERSION << '\n';
        return 0;
    }
    if (o.action == CliAction::CheckPolicy || o.action == CliAction::PolicyDecisions || o.action == CliAction::PolicyDiff)
        return runPolicyCommand(o, out, err);
    if (o.action == CliAction::Analyze || o.action == CliAction::CheckProfile)
        return runAnalyzeCommand(o, out, err);
    if (o.action == CliAction::MergeReports)
        return runMergeReports(o, out, err);
    if (o.action == CliAction::Watch)
        return runWatch(o, out, err);
    if (o.action == CliAction::CheckAlerts)
        return runCheckAlerts(o, out);
    if (o.action == CliAction::BuildProfile)
        return runBuildProfile(o, out, err);
    if (o.action == CliAction::Compare)
        return runCompareCommand(o, out, err);
    if (o.action == CliAction::Evidence || o.action == CliAction::Verify || o.action == CliAction::GenerateKey)
        return runEvidenceCommand(o, out, err);
    // the output is chosen before any work: a refused path costs nothing
    std::optional<OutputTarget> output;
    if (o.action == CliAction::Graph && !o.output.empty() && !(output = chooseCliOutput(o, o.output, OutputKind::Ordinary, err)))
        return 2;
    int status = 0;
    for (std::size_t f = 0; f < o.auditFiles.size(); ++f) {
        const std::string& path = o.auditFiles[f];
        const auto t0 = std::chrono::steady_clock::now();
        const std::unique_ptr<ReplayModel> loaded = loadAuditForCli(path, o, err);
        if (!loaded) {
            status = 1;
            continue;
        }
        const ReplayModel& model = *loaded;

        if (o.action == CliAction::Stats) {
            summarizeAll(model, o.threads); // part of a load as the workbench does it
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            statsJsonOrText(model, o, seconds, out);
            continue;
        }
        if (o.action == CliAction::List) {
            const std::vector<TraceSummary> summaries = summarizeAll(model, o.threads);
            upstream::ListFilter filter{o.decision, o.tool, o.trust, o.limit};
            const auto rows = upstream::listTraces(model, summaries, filter);
            if (o.auditFiles.size() > 1 && !o.json)
                out << (f ? "\n" : "") << "== " << terminalText(path) << '\n';
            out << (o.json ? upstream::dump(upstream::list(model, summaries, rows, o.limit))
                           : listText(model, summaries, rows));
            continue;
        }

        const auto trace = model.findTrace(o.traceId);
        if (!trace) {
            err << "Error: No audit events found for trace_id '" << terminalText(o.traceId) << "'\n";
            return 1;
        }
        const TraceSummary summary = summarizeTrace(model, *trace);
        switch (o.action) {
        case CliAction::Timeline:
            out << (o.json ? upstream::dump(upstream::traceResult(model, summary)) : timelineText(model, summary));
            break;
        case CliAction::Summary:
            out << (o.json ? upstream::dump(upstream::summary(model, summary)) : summaryText(model, summary));
            break;
        case CliAction::Graph: {
            const RenderedGraph rendered = renderTraceGraph(model, *trace, o.graphFormat);
            if (rendered.run.error != LayoutError::None) {
                err << "Error: " << terminalText(layoutErrorText(rendered.run, Reader::CommandLine)) << '\n';
                return 1;
            }
            const std::string& bytes = rendered.bytes;
            const ExecutionGraph& graph = rendered.graph;
            if (!output)
                out << bytes;
            else if (!writeCliOutput(*output, bytes, err))
                return 1;
            if (graph.folded())
                err << "Note: " << graphFoldText(graph).toStdString() << '\n';
            break;
        }
        case CliAction::Diff: {
            const InTraceDiff diff = computeInTraceDiff(model, summary);
            out << (o.json ? upstream::dump(upstream::diff(diff, false)) : diffText(diff));
            break;
        }
        default:
            break;
        }
    }
    return status;
}

} // namespace rw
