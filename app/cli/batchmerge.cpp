#include "app/cli/batchmerge.h"

#include "app/cli/batchfacts.h"
#include "app/cli/compliance.h"
#include "app/cli/governancejson.h"
#include <algorithm>
#include <map>
#include <set>

namespace rw {

using Json = nlohmann::ordered_json;
using analysis::RunAnalysis;

namespace {

std::string compact(const Json& j)
{
    return j.dump(-1, ' ', true, Json::error_handler_t::replace);
}

// what the fleet section needs of a run
RunAnalysis fleetRun(const RunFacts& facts)
{
    RunAnalysis r;
    r.agentId = facts.agentId;
    r.startedAt = facts.startedAt;
    r.baseline = facts.baseline;
    r.granted = facts.granted;
    r.used = facts.used;
    r.escalated = facts.escalated;
    for (const std::string& p : r.used) {
        const auto it = std::find_if(facts.uses.begin(), facts.uses.end(), [&](const auto& u) { return u.first == p; });
        r.uses.push_back(it == facts.uses.end() ? 1 : it->second);
    }
    return r;
}

Json fleetJson(const analysis::FleetSummary& s, const std::string& window)
{
    Json fleet;
    fleet["window"] = window.empty() ? Json() : Json(window);
    fleet["runs"] = s.runs;
    fleet["runs_outside_window"] = s.skipped;
    Json cells = Json::array();
    for (const analysis::HeatCell& c : s.cells)
        cells.push_back({{"agent", c.agent}, {"permission", c.permission}, {"uses", c.uses}, {"runs", c.runs},
                         {"escalated_runs", c.escalatedRuns}});
    fleet["heatmap"] = {{"cells", std::move(cells)}};
    Json over = Json::array();
    for (const analysis::OverProvisioned& p : s.overProvisioned)
        over.push_back({{"agent", p.agent}, {"permission", p.permission}, {"granted_runs", p.grantedRuns},
                        {"used_runs", p.usedRuns}});
    fleet["over_provisioned"] = std::move(over);
    Json frequent = Json::array();
    for (const analysis::FrequentEscalation& e : s.frequentEscalations)
        frequent.push_back({{"agent", e.agent}, {"permission", e.permission}, {"escalated_runs", e.escalatedRuns},
                            {"runs", e.agentRuns}, {"share", e.share},
                            {"suggested_baseline_patch", "+ " + e.permission}});
    fleet["frequent_escalations"] = std::move(frequent);
    return fleet;
}

struct Totals
{
    std::size_t runs = 0, critical = 0, warning = 0, clean = 0;
    std::map<std::string, std::size_t> bySeverity{{"critical", 0}, {"warn", 0}, {"info", 0}};
    std::map<std::string, std::size_t> byDetector;

    void add(const RunFacts& facts)
    {
        ++runs;
        if (facts.clean)
            ++clean;
        else if (facts.worst == "critical")
            ++critical;
        else
            ++warning;
        for (const AnomalyFacts& anomaly : facts.anomalies) {
            ++bySeverity[anomaly.severity];
            ++byDetector[anomaly.detector];
        }
    }
};

} // namespace

std::optional<MergedBatch> mergeBatchParts(std::vector<BatchPart> parts, const std::vector<std::string>& names,
                                           const BatchMergeOptions& options, std::string& error)
{
    const auto nameOf = [&](std::size_t i) { return i < names.size() ? names[i] : "part " + std::to_string(i + 1); };
    if (parts.empty()) {
        error = "no parts to merge";
        return std::nullopt;
    }
    std::set<std::string> walked;
    std::map<std::string, std::pair<Json, std::size_t>> inputs; // path -> input, the part it came from
    std::map<std::string, std::vector<BatchRun>> runsOf;         // path -> its runs in file order
    std::vector<Json> problems;
    analysis::GovernanceCounts governance;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        Json& h = parts[i].header;
        if (!h.is_object() || factText(h, "schema") != kBatchPartSchema || !h.contains("version") ||
            h["version"] != 1) {
            error = nameOf(i) + " is not a batch part (" + std::string(kBatchPartSchema) + ", version 1)";
            return std::nullopt;
        }
        for (const char* key : {"files", "problems", "inputs"})
            if (!h.contains(key) || !h[key].is_array()) {
                error = nameOf(i) + ": `" + key + "` is not a list";
                return std::nullopt;
            }
        if (h["config"] != parts.front().header["config"]) {
            error = nameOf(i) + " was analysed with another configuration than " + nameOf(0) +
                    " (profile, behavioural policies, exfiltration rules or sequence profiles differ)";
            return std::nullopt;
        }
        for (const Json& f : h["files"])
            if (f.is_string())
                walked.insert(f.get<std::string>());
        for (Json& p : h["problems"])
            problems.push_back(std::move(p));
        for (Json& input : h["inputs"]) {
            const std::string path = factText(input, "path");
            if (const auto it = inputs.find(path); it != inputs.end()) {
                error = path + " is analysed in two parts: " + nameOf(it->second.second) + " and " + nameOf(i);
                return std::nullopt;
            }
            inputs.emplace(path, std::make_pair(std::move(input), i));
        }
        for (BatchRun& run : parts[i].runs) {
            // a run of a file the part did not analyse: the merge would read a file no walk gave it
            const auto input = inputs.find(run.facts.file);
            if (input == inputs.end() || input->second.second != i) {
                error = nameOf(i) + " holds a run of " + run.facts.file +
                        ", which is not among its inputs: not a part this tool wrote";
                return std::nullopt;
            }
            runsOf[run.facts.file].push_back(std::move(run));
        }
        if (governance.rows.empty())
            governance = std::move(parts[i].governance);
        else
            governance.merge(parts[i].governance);
    }
    for (const std::string& f : walked)
        if (!inputs.count(f)) {
            error = "no part analysed " + f + ", which the walk found";
            return std::nullopt;
        }
    // a part cut short at a run, or altered: its inputs count the runs it must hold
    for (const auto& [path, input] : inputs) {
        const Json listed = input.first.contains("runs") ? input.first["runs"] : Json(std::uint64_t{0});
        const auto found = runsOf.find(path);
        const std::size_t rows = found == runsOf.end() ? 0 : found->second.size();
        if (!listed.is_number_unsigned() || listed.get<std::uint64_t>() != rows) {
            error = nameOf(input.second) + " lists " + (listed.is_number_unsigned() ? std::to_string(listed.get<std::uint64_t>()) : std::string("no count of")) +
                    " runs for " + path + " but holds " + std::to_string(rows) + ": it is cut short or altered";
            return std::nullopt;
        }
    }

    MergedBatch out;
    Json& report = out.report;
    report["schema"] = "replay-workbench/analysis-report";
    report["version"] = 1;
    report["tool"] = {{"name", "aisecops-replay"}, {"version", RW_VERSION}};
    report["config"] = parts.front().header["config"];
    report["inputs"] = Json::array();
    std::map<std::string, std::pair<std::string, std::uint64_t>> hashed; // path -> sha256, size
    for (auto& [path, input] : inputs) {
        const Json size = input.first.contains("size") ? input.first["size"] : Json();
        hashed[path] = {factText(input.first, "sha256"), size.is_number_unsigned() ? size.get<std::uint64_t>() : 0};
        report["inputs"].push_back(std::move(input.first));
    }
    out.files = inputs.size();

    // a run id in several files: one piece a file, joined when the hook can
    std::map<std::string, std::vector<std::pair<std::string, std::size_t>>> placesOf; // id -> (path, index)
    for (const auto& [path, list] : runsOf)
        for (std::size_t k = 0; k < list.size(); ++k)
            placesOf[list[k].facts.runId].emplace_back(path, k);
    std::vector<SplitRun> split;
    std::vector<std::string> splitReason; // why a run cannot be joined before it is tried
    for (const auto& [id, places] : placesOf) {
        if (places.size() < 2 || places.front().first == places.back().first)
            continue; // in one file only (twice in one file is that file's own matter)
        SplitRun& run = split.emplace_back();
        run.runId = id;
        std::string reason;
        for (std::size_t k = 0; k < places.size(); ++k) {
            const auto& [path, index] = places[k];
            if (k && places[k - 1].first == path)
                reason = "it is more than once in " + path;
            run.pieces.push_back({&runsOf[path][index].facts, hashed[path].first, hashed[path].second});
        }
        splitReason.push_back(reason);
    }
    std::vector<SplitOutcome> outcomes(split.size());
    // a run analysed whole here gets this version's rules: only with parts of this version
    std::string otherVersion;
    bool sameVersion = true;
    for (const BatchPart& part : parts) {
        const auto tool = part.header.find("tool");
        const std::string version = tool == part.header.end() ? std::string() : factText(*tool, "version");
        if (version != RW_VERSION) {
            sameVersion = false;
            otherVersion = version.empty() ? "unknown" : version;
        }
    }
    if (!sameVersion)
        for (std::size_t i = 0; i < split.size(); ++i)
            if (splitReason[i].empty())
                splitReason[i] = "the parts were written by another version of the tool (" + otherVersion +
                                 "), this merge is " + RW_VERSION;
    if (options.joinSplitRuns) {
        std::vector<SplitRun> tried;
        for (std::size_t i = 0; i < split.size(); ++i)
            if (splitReason[i].empty())
                tried.push_back(split[i]);
        std::vector<SplitOutcome> done = options.joinSplitRuns(tried);
        for (std::size_t i = 0, k = 0; i < split.size(); ++i)
            if (splitReason[i].empty() && k < done.size())
                outcomes[i] = std::move(done[k++]);
    }
    std::set<std::pair<std::string, std::size_t>> dropped; // pieces of runs joined elsewhere
    for (std::size_t i = 0; i < split.size(); ++i) {
        const auto& places = placesOf[split[i].runId];
        SplitOutcome& outcome = outcomes[i];
        if (outcome.whole) {
            // the whole run in place of its oldest piece (where its row says it begins), the others gone
            std::size_t at = 0;
            for (std::size_t k = 0; k < places.size(); ++k)
                if (places[k].first == outcome.whole->facts.file)
                    at = k;
            runsOf[places[at].first][places[at].second] = std::move(*outcome.whole);
            for (std::size_t k = 0; k < places.size(); ++k)
                if (k != at)
                    dropped.insert(places[k]);
            governance.merge(outcome.correction);
            ++out.joined;
            continue;
        }
        const std::string reason = !splitReason[i].empty() ? splitReason[i]
                                   : !outcome.reason.empty() ? outcome.reason
                                                             : "the merge was not asked to";
        for (std::size_t k = 1; k < places.size(); ++k)
            if (places[k].first != places.front().first)
                problems.push_back({{"path", places[k].first},
                                    {"problem", "run_in_several_files"},
                                    {"detail", "run " + split[i].runId + " is also in " + places.front().first +
                                                   "; not analysed whole: " + reason}});
    }
    if (out.joined)
        governance.dropZeroRows();

    // runs by input path (a std::map: sorted), each file's in file order
    Totals totals;
    std::vector<RunAnalysis> fleetRuns;
    fleetRuns.reserve(out.runs.capacity());
    for (auto& [path, list] : runsOf)
        for (std::size_t k = 0; k < list.size(); ++k) {
            if (dropped.count({path, k}))
                continue;
            BatchRun& run = list[k];
            totals.add(run.facts);
            fleetRuns.push_back(fleetRun(run.facts));
            out.runs.push_back(std::move(run));
        }
    std::stable_sort(problems.begin(), problems.end(), [](const Json& a, const Json& b) {
        return std::make_pair(factText(a, "path"), factText(a, "problem")) < std::make_pair(factText(b, "path"), factText(b, "problem"));
    });
    problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
    report["problems"] = Json(std::move(problems));
    report["totals"] = {{"files", out.files},
                        {"runs", totals.runs},
                        {"critical_runs", totals.critical},
                        {"warning_runs", totals.warning},
                        {"clean_runs", totals.clean},
                        {"runs_joined_across_files", out.joined},
                        {"anomalies_by_severity", totals.bySeverity},
                        {"anomalies_by_detector", totals.byDetector}};
    report["fleet"] = fleetJson(analysis::summarizeFleet(fleetRuns, options.fleet), options.window);
    report["metrics"] = governanceReportJson(governance);
    out.governance = std::move(governance);
    if (options.controls) {
        report["compliance"] = complianceJson(*options.controls, out.runs, report["fleet"]);
        out.controlsPassed = report["compliance"]["summary"]["pass"].get<std::size_t>();
        out.controlsFailed = report["compliance"]["summary"]["fail"].get<std::size_t>();
        out.controlsNotExamined = report["compliance"]["summary"]["not_examined"].get<std::size_t>();
    }
    out.critical = totals.critical;
    out.warning = totals.warning;
    out.clean = totals.clean;
    return out;
}

void emitBatchReport(const MergedBatch& merged, const std::function<void(std::string_view)>& sink)
{
    // the keys before the runs as any JSON document of ours, the runs spliced in one a line
    std::string head = merged.report.dump(2, ' ', true, Json::error_handler_t::replace);
    head.resize(head.size() - 2); // "\n}"
    sink(head);
    sink(merged.runs.empty() ? ",\n  \"runs\": []" : ",\n  \"runs\": [");
    for (std::size_t i = 0; i < merged.runs.size(); ++i) {
        sink(i ? ",\n    " : "\n    ");
        sink(merged.runs[i].row);
    }
    sink(merged.runs.empty() ? "\n}\n" : "\n  ]\n}\n");
}

std::string batchReportText(const MergedBatch& merged)
{
    std::string out;
    emitBatchReport(merged, [&](std::string_view piece) { out += piece; });
    return out;
}

void emitBatchRunLines(const MergedBatch& merged, const std::function<void(std::string_view)>& sink)
{
    for (const BatchRun& r : merged.runs) {
        sink(r.row);
        sink("\n");
    }
}

std::string batchIndexLines(const MergedBatch& merged)
{
    std::map<std::string, Json> shaOf;
    for (const Json& input : merged.report["inputs"])
        shaOf[factText(input, "path")] = input.contains("sha256") ? input["sha256"] : Json();
    std::string lines;
    for (const BatchRun& run : merged.runs) {
        const RunFacts& f = run.facts;
        Json line;
        line["run_id"] = f.runId;
        line["agent_id"] = f.agentId;
        line["file"] = f.file;
        line["sha256"] = shaOf[f.file];
        line["line"] = f.line;
        line["offset"] = f.offset;
        line["length"] = f.length;
        line["worst"] = f.worst.empty() ? Json() : Json(f.worst);
        if (!f.segments.empty()) {
            // a run joined from several files: every piece, the first being the file above
            Json segments = Json::array();
            for (const analysis::RunSegment& s : f.segments)
                segments.push_back({{"file", s.file}, {"sha256", s.sha256}, {"line", s.line}, {"offset", s.offset},
                                    {"length", s.length}});
            line["segments"] = std::move(segments);
        }
        lines += compact(line) + '\n';
    }
    return lines;
}

} // namespace rw
