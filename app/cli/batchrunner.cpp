#include "app/cli/batchrunner.h"

#include "app/text/analysisjson.h"
#include "app/cli/batchjoin.h"
#include "app/cli/batchmerge.h"
#include "app/cli/batchprogress.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/cli/governancejson.h"
#include "app/cli/interrupt.h"
#include "app/cli/analyzerunner.h"
#include "app/cli/runrowwriter.h"
#include "app/text/governancetext.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"
#include "model/diagnostic.h"
#include "model/replaymodel.h"
#include "model/upstreamjson.h"
#include "model/timestamp.h"
#include "replay/analysis/batchfiles.h"
#include "replay/analysis/fleet.h"
#include "replay/analysis/governanceseries.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

namespace rw {

namespace {

using analysis::RunAnalysis;
using Json = nlohmann::ordered_json;

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



// --controls: nullopt and exit code 2 (after its findings) when it is not valid
bool loadControlsOption(const CliOptions& o, std::optional<analysis::ControlSet>& controls, std::ostream& err)
{
    if (o.controls.empty())
        return true;
    std::vector<BundleDiagnostic> diagnostics;
    controls = analysis::loadControls(o.controls, diagnostics);
    for (const BundleDiagnostic& d : diagnostics)
        if (!o.quiet || d.level == BundleDiagnostic::Level::Error)
            err << bundleDiagnosticLine(d) << '\n';
    if (!controls)
        err << "Error: the controls mapping is not valid\n";
    return controls.has_value();
}

// What the merge takes from the options (--window, --min-escalated-*,
// --controls), checked before any work; nullopt after the error (exit 2).
struct MergeSettings
{
    analysis::FleetOptions fleet;
    std::optional<analysis::ControlSet> controls;
    BatchMergeOptions options(const CliOptions& o) const { return {fleet, o.window, controls ? &*controls : nullptr, {}}; }
};

std::optional<MergeSettings> mergeSettings(const CliOptions& o, std::ostream& err)
{
    const std::optional<analysis::FleetOptions> fleet = fleetOptions(o, err);
    if (!fleet)
        return std::nullopt;
    MergeSettings s{*fleet, std::nullopt};
    if (!loadControlsOption(o, s.controls, err))
        return std::nullopt;
    return s;
}

struct BatchOutputs
{
    OutputTarget report;
    std::optional<OutputTarget> jsonl, index;
};

// --output, --jsonl and --index: three different files, none of them a file
// the call reads (a trace, a part, a configuration file)
std::optional<BatchOutputs> chooseOutputs(const CliOptions& o, const std::vector<std::string>& read,
                                          const analysis::AnalysisConfig* config, std::ostream& err)
{
    CliOptions withInputs = o;
    withInputs.auditFiles.insert(withInputs.auditFiles.end(), read.begin(), read.end());
    if (!o.controls.empty())
        withInputs.auditFiles.push_back(o.controls);
    if (config) {
        for (const std::string* path : {&config->profile.source.path, &config->exfil.source.path})
            if (!path->empty())
                withInputs.auditFiles.push_back(*path);
        for (const analysis::BehaviourPolicy& p : config->policies)
            withInputs.auditFiles.push_back(p.source.path);
        for (const auto& [named, profile] : config->sequenceProfiles)
            withInputs.auditFiles.push_back(profile.source.path);
    }
    if ((!o.jsonl.empty() && (o.jsonl == o.output || o.jsonl == o.index)) || (!o.index.empty() && o.index == o.output)) {
        err << "Error: --output, --jsonl and --index name the same file\n";
        return std::nullopt;
    }
    std::optional<OutputTarget> report = chooseCliOutput(withInputs, o.output, OutputKind::Ordinary, err);
    if (!report)
        return std::nullopt;
    BatchOutputs out{*report, std::nullopt, std::nullopt};
    for (auto [path, slot] : {std::pair{&o.jsonl, &out.jsonl}, std::pair{&o.index, &out.index}}) {
        if (path->empty())
            continue;
        *slot = chooseCliOutput(withInputs, *path, OutputKind::Ordinary, err);
        if (!*slot)
            return std::nullopt;
    }
    return out;
}

// The map step for one file: its input row (path, SHA-256, runs, load
// findings, or the error) and its runs' rows. False when stopped.
bool mapFile(const std::string& path, const CliOptions& o, const analysis::AnalysisRules& rules,
             const std::atomic<bool>& stop, Json& input, std::vector<BatchRun>& runs,
             analysis::GovernanceCounts& governance)
{
    std::ostringstream fileWarnings; // counted in the report, not printed per file
    // one file per core already: the hash on this worker, not a thread of its own
    const std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, fileWarnings, &stop, true);
    if (stop.load())
        return false;
    input = Json::object();
    input["path"] = path;
    runs.clear();
    if (!model) {
        input["error"] = fileWarnings.str();
        return true;
    }
    const std::string sha = model->sha256();
    std::vector<RunAnalysis> fileRuns = analysis::analyzeModel(*model, rules, sha, &stop);
    if (stop.load())
        return false;
    input["sha256"] = sha;
    input["size"] = model->storedBytes().size();
    input["runs"] = fileRuns.size();
    Json diagnostics = Json::object();
    for (std::size_t c = 0; c < kDiagnosticCodeCount; ++c)
        if (const std::uint64_t n = model->diagnosticCount(static_cast<DiagnosticCode>(c)))
            diagnostics[diagnosticCodeName(static_cast<DiagnosticCode>(c))] = n;
    input["diagnostics"] = std::move(diagnostics);
    analysis::addGovernance(governance, *model, fileRuns);
    for (RunAnalysis& r : fileRuns) {
        if (r.file.empty())
            r.file = path;
        // the row's text made here, on the worker, without a JSON tree: into a
        // buffer that keeps its capacity, then copied once at its exact size
        thread_local std::string scratch;
        scratch.clear();
        std::vector<std::string> messages;
        appendRunRow(scratch, r, &messages);
        BatchRun& run = runs.emplace_back();
        run.row.assign(scratch);
        run.facts = runFactsOf(r, std::move(messages));
    }
    return true;
}

ProgressStyle progressStyle(const CliOptions& o, const std::ostream& err)
{
    if (o.quiet)
        return ProgressStyle::Off;
    if (&err == &std::cerr && ::isatty(STDERR_FILENO) && getenv("TERM") && std::string(getenv("TERM")) != "dumb")
        return ProgressStyle::Bar;
    return ProgressStyle::Lines;
}

// what every batch command prints at its end, and its exit code
int finishBatch(const CliOptions& o, const MergedBatch& merged, const BatchOutputs& outputs, std::ostream& out,
                std::ostream& err)
{
    // Ctrl+C during the merge: nothing written yet, nothing will be
    if (InterruptScope::flag().load()) {
        err << "Interrupted: nothing was written\n";
        return 130;
    }
    if (outputs.jsonl &&
        !writeCliOutputStreamed(*outputs.jsonl, [&](const OutputSink& sink) { emitBatchRunLines(merged, sink); }, err))
        return 1;
    if (outputs.index && !writeCliOutput(*outputs.index, batchIndexLines(merged), err))
        return 1;
    if (!writeCliOutputStreamed(outputs.report, [&](const OutputSink& sink) { emitBatchReport(merged, sink); }, err))
        return 1;
    // (a Ctrl+C from here on changes nothing: every file is in place)
    // with --csv, standard output is the CSV alone (for a spreadsheet): the lines go to stderr
    std::ostream& lines = o.csv ? err : out;
    lines << "Critical anomalies: " << merged.critical << '\n'
          << "Warnings: " << merged.warning << '\n'
          << "Clean runs: " << merged.clean << '\n';
    if (!o.controls.empty())
        lines << "Controls: " << merged.controlsPassed << " pass, " << merged.controlsFailed << " fail, "
              << merged.controlsNotExamined << " not examined\n";
    if (merged.joined)
        lines << "Runs joined across files: " << merged.joined << '\n';
    lines << "Report written to: " << terminalText(o.output) << '\n';
    if (o.metrics)
        out << (o.csv ? analysis::governanceCsv(merged.governance) : governanceTable(merged.governance).toStdString());
    if (o.failOn == FailOn::Never)
        return 0;
    const bool reached = o.failOn == FailOn::Warn ? merged.critical + merged.warning > 0 : merged.critical > 0;
    return reached ? 5 : 0;
}

} // namespace

int runBatchAnalysis(const CliOptions& o, const analysis::AnalysisRules& rules, std::ostream& out, std::ostream& err)
{
    const std::optional<MergeSettings> settings = mergeSettings(o, err);
    if (!settings)
        return 2;
    const analysis::BatchFiles found = analysis::collectBatchFiles(o.batch, o.batchGlob);
    for (const analysis::BatchProblem& p : found.problems)
        if (!o.quiet)
            err << "Warning: " << terminalText(p.path) << ": skipped, " << problemText(p.code)
                << (p.detail.empty() ? std::string() : " (" + terminalText(p.detail) + ")") << '\n';
    const std::optional<BatchOutputs> outputs = chooseOutputs(o, found.files, &rules.config(), err);
    if (!outputs)
        return 2;

    // the walk: what it found and what it could not take
    BatchPart walk = newBatchPart(analysisConfigJson(rules.config()));
    walk.header["files"] = found.files;
    for (const analysis::BatchProblem& p : found.problems)
        walk.header["problems"].push_back({{"path", p.path}, {"problem", problemName(p.code)}, {"detail", p.detail}});

    if (o.walkOnly) {
        if (!writeCliOutput(outputs->report, batchPartText(walk), err))
            return 1;
        out << "Found " << found.files.size() << " trace file" << (found.files.size() == 1 ? "" : "s") << '\n'
            << "Part written to: " << terminalText(o.output) << '\n';
        return 0;
    }
    const InterruptScope interrupt;
    (o.csv ? err : out) << "Analysing " << found.files.size() << " trace file" << (found.files.size() == 1 ? "" : "s") << "...\n";
    out.flush();

    // the map: files shared out to workers, each result in its file's slot
    const std::size_t n = found.files.size();
    std::vector<Json> inputs(n);
    std::vector<std::vector<BatchRun>> runs(n);
    BatchProgress progress(err, progressStyle(o, err), n,
                           std::accumulate(found.sizes.begin(), found.sizes.end(), std::uint64_t{0}));
    const unsigned threads = static_cast<unsigned>(
        std::min<std::size_t>(n, o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency())));
    // each worker sums the metrics of its files (sums: whatever file goes to whichever worker)
    std::vector<analysis::GovernanceCounts> governance(std::max(threads, 1u));
    std::atomic<std::size_t> next{0};
    const auto worker = [&](unsigned slot) {
        for (std::size_t i = next++; i < n && !InterruptScope::flag().load(); i = next++)
            if (mapFile(found.files[i], o, rules, InterruptScope::flag(), inputs[i], runs[i], governance[slot]))
                progress.fileDone(found.sizes[i]);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(worker, t);
    worker(0);
    for (std::thread& t : pool)
        t.join();
    progress.finish();
    if (InterruptScope::flag().load()) {
        err << "Interrupted: nothing was written\n";
        return 130;
    }
    BatchPart part = std::move(walk);
    for (const analysis::GovernanceCounts& g : governance)
        part.governance.merge(g);
    for (std::size_t i = 0; i < n; ++i) {
        part.header["inputs"].push_back(std::move(inputs[i]));
        for (BatchRun& r : runs[i])
            part.runs.push_back(std::move(r));
    }
    if (o.part) {
        if (!writeCliOutputStreamed(outputs->report, [&](const OutputSink& sink) { emitBatchPart(part, sink); }, err))
            return 1;
        out << "Part written to: " << terminalText(o.output) << '\n';
        return 0;
    }
    BatchMergeOptions mergeOptions = settings->options(o);
    mergeOptions.joinSplitRuns = [&](const std::vector<SplitRun>& split) {
        return joinSplitRuns(split, o, &rules, {}, &InterruptScope::flag());
    };
    std::string error;
    std::vector<BatchPart> parts;
    parts.push_back(std::move(part));
    const std::optional<MergedBatch> merged = mergeBatchParts(std::move(parts), {}, mergeOptions, error);
    if (!merged) {
        err << "Error: " << terminalText(error) << '\n';
        return 1;
    }
    return finishBatch(o, *merged, *outputs, out, err);
}

int runMergeReports(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const std::optional<MergeSettings> settings = mergeSettings(o, err);
    if (!settings)
        return 2;
    // the parts' configuration, to analyse whole the runs split across files
    // (the default one when none is given, as a map step without options has it)
    const std::shared_ptr<const analysis::AnalysisRules> rules = loadAnalysisRules(o, err);
    if (!rules) {
        err << "Error: the analysis configuration is not valid\n";
        return 2;
    }
    const std::optional<BatchOutputs> outputs = chooseOutputs(o, o.mergeParts, &rules->config(), err);
    if (!outputs)
        return 2;
    // the parts are held in memory together: a bound on all of them, not only on each
    constexpr std::uint64_t kMaxTotal = 16ull << 30;
    std::uint64_t total = 0;
    for (const std::string& path : o.mergeParts) {
        std::error_code ec;
        const std::uint64_t size = std::filesystem::file_size(path, ec);
        total += ec ? 0 : size; // a part that cannot be read is named when it is read
    }
    if (total > kMaxTotal) {
        err << "Error: the parts hold more than 16 GiB together, more than a merge holds in memory\n";
        return 1;
    }
    const InterruptScope interrupt;
    (o.csv ? err : out) << "Merging " << o.mergeParts.size() << " part" << (o.mergeParts.size() == 1 ? "" : "s") << "...\n";
    std::vector<BatchPart> parts;
    for (const std::string& path : o.mergeParts) {
        if (InterruptScope::flag().load()) {
            err << "Interrupted: nothing was written\n";
            return 130;
        }
        std::string error;
        std::optional<BatchPart> part = readBatchPart(path, error);
        if (!part) {
            err << "Error: " << terminalText(path) << ": " << terminalText(error) << '\n';
            return 1;
        }
        parts.push_back(std::move(*part));
    }
    // the trace files the parts analysed are inputs too (the merge reads some of them again)
    std::vector<std::string> read = o.mergeParts;
    for (const BatchPart& part : parts)
        if (const auto inputs = part.header.find("inputs"); inputs != part.header.end() && inputs->is_array())
            for (const Json& input : *inputs)
                read.push_back(factText(input, "path"));
    if (!chooseOutputs(o, read, &rules->config(), err))
        return 2;
    BatchMergeOptions mergeOptions = settings->options(o);
    const bool configGiven = !o.profile.empty() || !o.behaviour.empty() || !o.exfil.empty() ||
                             !o.sequenceProfiles.empty() || !o.policyVersion.empty();
    const bool sameConfig = parts.empty() || analysisConfigJson(rules->config()) == parts.front().header["config"];
    if (configGiven && !sameConfig) {
        err << "Error: the analysis configuration given is not the one the parts were analysed with\n";
        return 1;
    }
    mergeOptions.joinSplitRuns = [&](const std::vector<SplitRun>& split) {
        return joinSplitRuns(split, o, sameConfig ? rules.get() : nullptr,
                             "the merge was not given the parts' analysis configuration (--profile, --behaviour, "
                             "--exfil, --sequence-profile, --policy-version as the map steps had them)",
                             &InterruptScope::flag());
    };
    std::string error;
    std::optional<MergedBatch> merged;
    try {
        merged = mergeBatchParts(std::move(parts), o.mergeParts, mergeOptions, error);
    } catch (const std::exception& e) {
        // parts come from other machines: whatever slipped past their checks is refused, never a crash
        err << "Error: the parts could not be merged: " << terminalText(e.what()) << '\n';
        return 1;
    }
    if (!merged) {
        err << "Error: " << terminalText(error) << '\n';
        return 1;
    }
    (o.csv ? err : out) << "Trace files: " << merged->files << '\n';
    return finishBatch(o, *merged, *outputs, out, err);
}

} // namespace rw
