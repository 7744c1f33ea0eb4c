#include "app/cli/batchrunner.h"

#include "app/cli/analysisjson.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/text/terminaltext.h"
#include "model/diagnostic.h"
#include "model/replaymodel.h"
#include "model/upstreamjson.h"
#include "replay/analysis/batchfiles.h"

#include <chrono>
#include <map>
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

} // namespace

int runBatchAnalysis(const CliOptions& o, const analysis::AnalysisRules& rules, std::ostream& out, std::ostream& err)
{
    const analysis::BatchFiles found = analysis::collectBatchFiles(o.batch, o.batchGlob);
    for (const analysis::BatchProblem& p : found.problems)
        if (!o.quiet)
            err << "Warning: " << terminalText(p.path) << ": skipped, " << problemText(p.code)
                << (p.detail.empty() ? std::string() : " (" + terminalText(p.detail) + ")") << '\n';
    // the report may not land on a file it reads
    CliOptions withInputs = o;
    withInputs.auditFiles.insert(withInputs.auditFiles.end(), found.files.begin(), found.files.end());
    const std::optional<OutputTarget> target = chooseCliOutput(withInputs, o.output, OutputKind::Ordinary, err);
    if (!target)
        return 2;

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
    report["runs"] = analysed["runs"];
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
