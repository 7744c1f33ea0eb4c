#include "app/cli/batchmerge.h"

#include "model/jsonscan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace rw {

using Json = nlohmann::ordered_json;
using analysis::RunAnalysis;

namespace {

std::string text(const Json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const Json& j, const char* key)
{
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const Json& s : *it)
            if (s.is_string())
                out.push_back(s.get<std::string>());
    return out;
}

// what the fleet section needs of a run row
RunAnalysis fleetRun(const Json& row)
{
    RunAnalysis r;
    r.agentId = text(row, "agent_id");
    r.startedAt = text(row, "started_at");
    r.baseline = strings(row, "baseline");
    r.granted = strings(row, "granted");
    r.used = strings(row, "used");
    r.escalated = strings(row, "escalated");
    const auto uses = row.find("uses");
    for (const std::string& p : r.used) {
        std::int64_t n = 1;
        if (uses != row.end() && uses->is_object() && uses->contains(p) && (*uses)[p].is_number_integer())
            n = (*uses)[p].get<std::int64_t>();
        r.uses.push_back(n);
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

void moveArray(Json& into, Json& from, const char* key)
{
    const auto it = from.find(key);
    if (it == from.end() || !it->is_array())
        return;
    for (Json& item : *it)
        into[key].push_back(std::move(item));
}

struct Totals
{
    std::size_t runs = 0, critical = 0, warning = 0, clean = 0;
    std::map<std::string, std::size_t> bySeverity{{"critical", 0}, {"warn", 0}, {"info", 0}};
    std::map<std::string, std::size_t> byDetector;

    void add(const Json& row)
    {
        ++runs;
        if (row.value("clean", true))
            ++clean;
        else if (text(row, "worst") == "critical")
            ++critical;
        else
            ++warning;
        if (const auto a = row.find("anomalies"); a != row.end() && a->is_array())
            for (const Json& anomaly : *a) {
                ++bySeverity[text(anomaly, "severity")];
                ++byDetector[text(anomaly, "detector")];
            }
    }
};

} // namespace

Json newBatchPart(const Json& config)
{
    Json part;
    part["schema"] = kBatchPartSchema;
    part["version"] = 1;
    part["tool"] = {{"name", "aisecops-replay"}, {"version", RW_VERSION}};
    part["config"] = config;
    part["files"] = Json::array();
    part["problems"] = Json::array();
    part["inputs"] = Json::array();
    part["runs"] = Json::array();
    return part;
}

void appendBatchPart(Json& into, Json&& from)
{
    for (const char* key : {"files", "problems", "inputs", "runs"})
        moveArray(into, from, key);
}

std::optional<MergedBatch> mergeBatchParts(std::vector<Json> parts, const std::vector<std::string>& names,
                                           const BatchMergeOptions& options, std::string& error)
{
    const auto nameOf = [&](std::size_t i) { return i < names.size() ? names[i] : "part " + std::to_string(i + 1); };
    if (parts.empty()) {
        error = "no parts to merge";
        return std::nullopt;
    }
    std::set<std::string> walked;
    std::map<std::string, std::pair<Json, std::size_t>> inputs; // path -> input, the part it came from
    std::map<std::string, std::vector<Json>> runsOf;             // path -> its runs in file order
    std::vector<Json> problems;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        Json& part = parts[i];
        if (!part.is_object() || text(part, "schema") != kBatchPartSchema || part.value("version", 0) != 1) {
            error = nameOf(i) + " is not a batch part (" + std::string(kBatchPartSchema) + ", version 1)";
            return std::nullopt;
        }
        for (const char* key : {"files", "problems", "inputs", "runs"})
            if (!part.contains(key) || !part[key].is_array()) {
                error = nameOf(i) + ": `" + key + "` is not a list";
                return std::nullopt;
            }
        if (part["config"] != parts.front()["config"]) {
            error = nameOf(i) + " was analysed with another configuration than " + nameOf(0) +
                    " (profile, behavioural policies, exfiltration rules or sequence profiles differ)";
            return std::nullopt;
        }
        for (const Json& f : part["files"])
            if (f.is_string())
                walked.insert(f.get<std::string>());
        for (Json& p : part["problems"])
            problems.push_back(std::move(p));
        for (Json& input : part["inputs"]) {
            const std::string path = text(input, "path");
            if (const auto it = inputs.find(path); it != inputs.end()) {
                error = path + " is analysed in two parts: " + nameOf(it->second.second) + " and " + nameOf(i);
                return std::nullopt;
            }
            inputs.emplace(path, std::make_pair(std::move(input), i));
        }
        for (Json& run : part["runs"])
            runsOf[text(run, "file")].push_back(std::move(run));
    }
    for (const std::string& f : walked)
        if (!inputs.count(f)) {
            error = "no part analysed " + f + ", which the walk found";
            return std::nullopt;
        }

    MergedBatch out;
    Json& report = out.report;
    report["schema"] = "replay-workbench/analysis-report";
    report["version"] = 1;
    report["tool"] = {{"name", "aisecops-replay"}, {"version", RW_VERSION}};
    report["config"] = parts.front()["config"];
    report["inputs"] = Json::array();
    for (auto& [path, input] : inputs)
        report["inputs"].push_back(std::move(input.first));
    out.files = inputs.size();

    // rows by input path (a std::map: sorted), each file's in file order
    Json rows = Json::array();
    Totals totals;
    std::vector<RunAnalysis> fleetRuns;
    std::map<std::string, std::string> fileOfRun; // run id -> the first file it was found in
    for (auto& [path, list] : runsOf)
        for (Json& row : list) {
            const std::string id = text(row, "run_id");
            if (const auto [it, added] = fileOfRun.emplace(id, path); !added && it->second != path)
                problems.push_back({{"path", path},
                                    {"problem", "run_in_several_files"},
                                    {"detail", "run " + id + " is also in " + it->second}});
            totals.add(row);
            fleetRuns.push_back(fleetRun(row));
            rows.push_back(std::move(row));
        }
    std::stable_sort(problems.begin(), problems.end(), [](const Json& a, const Json& b) {
        return std::make_pair(text(a, "path"), text(a, "problem")) < std::make_pair(text(b, "path"), text(b, "problem"));
    });
    problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
    report["problems"] = Json(std::move(problems));
    report["totals"] = {{"files", out.files},
                        {"runs", totals.runs},
                        {"critical_runs", totals.critical},
                        {"warning_runs", totals.warning},
                        {"clean_runs", totals.clean},
                        {"anomalies_by_severity", totals.bySeverity},
                        {"anomalies_by_detector", totals.byDetector}};
    report["fleet"] = fleetJson(analysis::summarizeFleet(fleetRuns, options.fleet), options.window);
    report["runs"] = std::move(rows);
    out.critical = totals.critical;
    out.warning = totals.warning;
    out.clean = totals.clean;
    return out;
}

std::optional<Json> readBatchPart(const std::string& path, std::string& error)
{
    constexpr std::uint64_t kMaxBytes = 8ull << 30;
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        error = ec.message();
        return std::nullopt;
    }
    if (size > kMaxBytes) {
        error = "larger than 8 GiB: not a part this tool wrote";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes(size, '\0');
    if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size))) {
        error = "cannot be read";
        return std::nullopt;
    }
    if (jsonNestingDepth(bytes, 33) > 32) {
        error = "nested deeper than 32 levels: not a part this tool wrote";
        return std::nullopt;
    }
    Json part = Json::parse(bytes, nullptr, false);
    if (part.is_discarded()) {
        error = "not valid JSON";
        return std::nullopt;
    }
    return part;
}

std::string batchRunLines(const Json& report)
{
    std::string lines;
    for (const Json& run : report["runs"])
        lines += run.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
    return lines;
}

std::string batchIndexLines(const Json& report)
{
    std::map<std::string, Json> shaOf;
    for (const Json& input : report["inputs"])
        shaOf[text(input, "path")] = input.contains("sha256") ? input["sha256"] : Json();
    std::string lines;
    for (const Json& run : report["runs"]) {
        const Json& where = run["location"];
        Json line;
        line["run_id"] = run["run_id"];
        line["agent_id"] = run["agent_id"];
        line["file"] = run["file"];
        line["sha256"] = shaOf[text(run, "file")];
        line["line"] = where["line"];
        line["offset"] = where["offset"];
        line["length"] = where["length"];
        line["worst"] = run["worst"];
        lines += line.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
    }
    return lines;
}

} // namespace rw
