#include "app/cli/batchrunner.h"

#include "app/cli/analysisjson.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/text/terminaltext.h"
#include "model/diagnostic.h"
#include "model/replaymodel.h"
#include "model/upstreamjson.h"
#include "model/timestamp.h"
#include "replay/analysis/batchfiles.h"
#include "replay/analysis/fleet.h"

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <sstream>

namespace rw {

namespace {

using analysis::RunAnalysis;
using analysis::Severity;

const char* problemName(analysis::BatchProblem::Code code)
{
    switch (code) {
    case analysis::BatchProblem::Code::Unreadable: return "unreadable";
    case analysis::BatchProblem::Code::SymlinkLoop: return "symlink_loop";
    case analysis::BatchProblem::Code::Dangling: return "dangling_symlink";
    case analysis::BatchProblem::Code::NotAFolder: return "not_a_folder_or_file";
    }
    return "unreadable";
}

const char* problemText(analysis::BatchProblem::Code code)
{
    switch (code) {
    case analysis::BatchProblem::Code::Unreadable: return "it cannot be read";
    case analysis::BatchProblem::Code::SymlinkLoop: return "a folder already walked (a symlink loop, or a second link to it)";
    case analysis::BatchProblem::Code::Dangling: return "a symbolic link to nothing";
    case analysis::BatchProblem::Code::NotAFolder: return "neither a folder nor a regular file";
    }
    return "it cannot be read";
}

struct Totals
{
    std::size_t runs = 0, critical = 0, warning = 0, clean = 0;
    std::map<std::string, std::size_t> bySeverity{{"critical", 0}, {"warn", 0}, {"info", 0}};
    std::map<std::string, std::size_t> byDetector;

    void add(const RunAnalysis& r)
    {
        ++runs;
        if (r.clean())
            ++clean;
        else if (r.worst() == Severity::Critical)
            ++critical;
        else
            ++warning;
        for (const analysis::Anomaly& a : r.anomalies) {
            ++bySeverity[analysis::severityName(a.severity)];
            ++byDetector[analysis::detectorName(a.detector)];
        }
    }
};

// "2026-03-01" or a full ISO time, UTC
std::optional<std::int64_t> windowBound(const std::string& text)
{
    if (text.size() == 10)
        return parseTimestamp(text + "T00:00:00Z");
    return parseTimestamp(text);
}

// --window FROM..TO and the thresholds, or a usage error
std::optional<analysis::FleetOptions> fleetOptions(const CliOptions& o, std::ostream& err)
{
    analysis::FleetOptions f;
    if (!o.window.empty()) {
        const std::size_t dots = o.window.find("..");
        const auto from = dots == std::string::npos ? std::nullopt : windowBound(o.window.substr(0, dots));
        const auto to = dots == std::string::npos ? std::nullopt : windowBound(o.window.substr(dots + 2));
        if (!from || !to || *to <= *from) {
            err << "Error: --window takes FROM..TO, two dates or ISO times with FROM before TO, got '"
                << terminalText(o.window) << "'\n";
            return std::nullopt;
        }
        f.fromUs = *from;
        f.toUs = *to;
    }
    try {
        std::size_t used = 0;
        if (!o.minEscalatedRuns.empty()) {
            f.minEscalatedRuns = std::stoll(o.minEscalatedRuns, &used);
            if (used != o.minEscalatedRuns.size() || f.minEscalatedRuns < 1)
                throw std::invalid_argument("runs");
        }
        if (!o.minEscalatedShare.empty()) {
            f.minEscalatedShare = std::stod(o.minEscalatedShare, &used);
            if (used != o.minEscalatedShare.size() || !(f.minEscalatedShare >= 0 && f.minEscalatedShare <= 1))
                throw std::invalid_argument("share");
        }
    } catch (const std::exception&) {
        err << "Error: --min-escalated-runs takes a whole number from 1, --min-escalated-share a fraction from 0 to 1\n";
        return std::nullopt;
    }
    return f;
}

nlohmann::ordered_json fleetJson(const analysis::FleetSummary& s, const CliOptions& o)
{
    nlohmann::ordered_json fleet;
    fleet["window"] = o.window.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(o.window);
    fleet["runs"] = s.runs;
    fleet["runs_outside_window"] = s.skipped;
    nlohmann::ordered_json cells = nlohmann::ordered_json::array();
    for (const analysis::HeatCell& c : s.cells)
        cells.push_back({{"agent", c.agent}, {"permission", c.permission}, {"uses", c.uses}, {"runs", c.runs},
                         {"escalated_runs", c.escalatedRuns}});
    fleet["heatmap"] = {{"cells", std::move(cells)}};
    nlohmann::ordered_json over = nlohmann::ordered_json::array();
    for (const analysis::OverProvisioned& p : s.overProvisioned)
        over.push_back({{"agent", p.agent}, {"permission", p.permission}, {"granted_runs", p.grantedRuns},
                        {"used_runs", p.usedRuns}});
    fleet["over_provisioned"] = std::move(over);
    nlohmann::ordered_json frequent = nlohmann::ordered_json::array();
    for (const analysis::FrequentEscalation& e : s.frequentEscalations)
        frequent.push_back({{"agent", e.agent}, {"permission", e.permission}, {"escalated_runs", e.escalatedRuns},
                            {"runs", e.agentRuns}, {"share", e.share},
                            {"suggested_baseline_patch", "+ " + e.permission}});
    fleet["frequent_escalations"] = std::move(frequent);
    return fleet;
}

} // namespace

int runBatchAnalysis(const CliOptions& o, const analysis::AnalysisRules& rules, std::ostream& out, std::ostream& err)
{
    const std::optional<analysis::FleetOptions> fleet = fleetOptions(o, err);
    if (!fleet)
        return 2;
    const analysis::BatchFiles found = analysis::collectBatchFiles(o.batch, o.batchGlob);
    for (const analysis::BatchProblem& p : found.problems)
        if (!o.quiet)
            err << "Warning: " << terminalText(p.path) << ": skipped, " << problemText(p.code)
                << (p.detail.empty() ? std::string() : " (" + terminalText(p.detail) + ")") << '\n';
    // the report may not land on a file it reads: a trace, or a configuration file
    CliOptions withInputs = o;
    withInputs.auditFiles.insert(withInputs.auditFiles.end(), found.files.begin(), found.files.end());
    const analysis::AnalysisConfig& read = rules.config();
    for (const std::string* path : {&read.profile.source.path, &read.exfil.source.path})
        if (!path->empty())
            withInputs.auditFiles.push_back(*path);
    for (const analysis::BehaviourPolicy& p : read.policies)
        withInputs.auditFiles.push_back(p.source.path);
    for (const auto& [named, profile] : read.sequenceProfiles)
        withInputs.auditFiles.push_back(profile.source.path);
    const std::optional<OutputTarget> target = chooseCliOutput(withInputs, o.output, OutputKind::Ordinary, err);
    if (!target)
        return 2;
    std::optional<OutputTarget> jsonlTarget;
    if (!o.jsonl.empty()) {
        if (o.jsonl == o.output) {
            err << "Error: --jsonl and --output name the same file\n";
            return 2;
        }
        jsonlTarget = chooseCliOutput(withInputs, o.jsonl, OutputKind::Ordinary, err);
        if (!jsonlTarget)
            return 2;
    }

    out << "Analysing " << found.files.size() << " trace file" << (found.files.size() == 1 ? "" : "s") << "...\n";
    out.flush();
    std::vector<RunAnalysis> runs;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    Totals totals;
    auto lastProgress = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < found.files.size(); ++i) {
        const std::string& path = found.files[i];
        std::ostringstream fileWarnings; // counted in the report, not printed per file
        const std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, fileWarnings);
        nlohmann::ordered_json input;
        input["path"] = path;
        if (!model) {
            input["error"] = fileWarnings.str();
            inputs.push_back(std::move(input));
            continue;
        }
        const std::string sha = model->sha256();
        std::vector<RunAnalysis> fileRuns = analysis::analyzeModel(*model, rules, sha);
        input["sha256"] = sha;
        input["runs"] = fileRuns.size();
        nlohmann::ordered_json diagnostics = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < kDiagnosticCodeCount; ++c)
            if (const std::uint64_t n = model->diagnosticCount(static_cast<DiagnosticCode>(c)))
                diagnostics[diagnosticCodeName(static_cast<DiagnosticCode>(c))] = n;
        input["diagnostics"] = std::move(diagnostics);
        inputs.push_back(std::move(input));
        for (RunAnalysis& r : fileRuns) {
            if (r.file.empty())
                r.file = path;
            totals.add(r);
            runs.push_back(std::move(r));
        }
        const auto now = std::chrono::steady_clock::now();
        if (!o.quiet && now - lastProgress > std::chrono::seconds(1)) {
            err << "  " << i + 1 << " / " << found.files.size() << " files, " << totals.runs << " runs\n";
            lastProgress = now;
        }
    }

    const nlohmann::ordered_json analysed = analysisJson(runs, rules.config());
    nlohmann::ordered_json report;
    report["schema"] = "replay-workbench/analysis-report";
    report["version"] = 1;
    report["tool"] = {{"name", "aisecops-replay"}, {"version", RW_VERSION}};
    report["config"] = analysed["config"];
    report["inputs"] = std::move(inputs);
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const analysis::BatchProblem& p : found.problems)
        problems.push_back({{"path", p.path}, {"problem", problemName(p.code)}, {"detail", p.detail}});
    report["problems"] = std::move(problems);
    report["totals"] = {{"files", found.files.size()},
                        {"runs", totals.runs},
                        {"critical_runs", totals.critical},
                        {"warning_runs", totals.warning},
                        {"clean_runs", totals.clean},
                        {"anomalies_by_severity", totals.bySeverity},
                        {"anomalies_by_detector", totals.byDetector}};
    report["fleet"] = fleetJson(analysis::summarizeFleet(runs, *fleet), o);
    report["runs"] = analysed["runs"];
    if (jsonlTarget) {
        // one run a line, compact, in the report's order
        std::string lines;
        for (const nlohmann::ordered_json& run : analysed["runs"])
            lines += run.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
        if (!writeCliOutput(*jsonlTarget, lines, err))
            return 1;
    }
    if (!writeCliOutput(*target, upstream::dump(report), err))
        return 1;

    out << "Critical anomalies: " << totals.critical << '\n'
        << "Warnings: " << totals.warning << '\n'
        << "Clean runs: " << totals.clean << '\n'
        << "Report written to: " << terminalText(o.output) << '\n';
    if (o.failOn == FailOn::Never)
        return 0;
    const bool reached = o.failOn == FailOn::Warn ? totals.critical + totals.warning > 0 : totals.critical > 0;
    return reached ? 5 : 0;
}

} // namespace rw
