#include "app/text/analysisevidence.h"

#include "app/text/analysisjson.h"
#include "model/regularfile.h"
#include "model/sourcefile.h"
#include "replay/evidence/evidenceanalysis.h"
#include "replay/policy/yamltree.h"

#include <filesystem>
#include <set>

namespace rw {

std::string addEvidenceAnalysis(EvidenceRequest& req, const Workspace& ws, const analysis::AnalysisRules& rules,
                                const std::string& tool, const std::atomic<bool>* cancel)
{
    std::vector<std::set<std::string, std::less<>>> exported(ws.fileCount());
    for (const std::uint32_t r : req.rows)
        exported[ws.row(r).file].insert(std::string(ws.str(ws.row(r), ws.row(r).traceId)));
    std::vector<analysis::RunAnalysis> runs;
    for (std::size_t f = 0; f < ws.fileCount(); ++f) {
        if (exported[f].empty())
            continue;
        const ReplayModel& m = ws.file(f);
        for (analysis::RunAnalysis& run : analysis::analyzeModel(m, rules, m.sha256(), cancel))
            if (exported[f].count(run.runId)) {
                if (run.file.empty())
                    run.file = m.path();
                runs.push_back(std::move(run));
            }
        if (cancel && cancel->load())
            return "cancelled";
    }
    const analysis::AnalysisConfig& config = rules.config();
    nlohmann::ordered_json report = nlohmann::ordered_json::object();
    report["schema"] = kAnalysisSchema;
    report["version"] = 1;
    report["tool"] = {{"name", tool}, {"version", RW_VERSION}};
    nlohmann::ordered_json body = analysisJson(runs, config);
    report["config"] = std::move(body["config"]);
    report["runs"] = std::move(body["runs"]);
    req.analysisReport = report.dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace) + '\n';

    std::vector<const analysis::ConfigSource*> sources = {&config.profile.source, &config.exfil.source};
    for (const analysis::BehaviourPolicy& p : config.policies)
        sources.push_back(&p.source);
    for (const auto& [named, profile] : config.sequenceProfiles)
        sources.push_back(&profile.source);
    std::set<std::string> added; // a file named twice (a profile and its sequence profile list) is one member
    for (const analysis::ConfigSource* source : sources) {
        if (source->builtIn || source->path.empty() || !added.insert(source->sha256).second)
            continue;
        ReadFailure failure;
        std::optional<std::string> bytes = readRegularFile(source->path, YamlLimits().maxBytes, &failure);
        if (!bytes)
            return source->path + " cannot be read again: " + readFailureReason(failure);
        if (sha256Hex(*bytes) != source->sha256)
            return source->path + " changed since the analysis read it";
        req.analysisFiles.push_back({std::to_string(req.analysisFiles.size() + 1) + "-" +
                                         std::filesystem::path(source->path).filename().string(),
                                     std::move(*bytes)});
    }
    return {};
}

} // namespace rw
