#include "app/cli/analysisdiffrunner.h"

#include "app/text/analysisjson.h"
#include "app/cli/analyzerunner.h"
#include "app/cli/cliload.h"
#include "app/cli/clioutput.h"
#include "app/text/analysisdifftext.h"
#include "app/text/terminaltext.h"
#include "model/replaymodel.h"
#include "model/upstreamjson.h"
#include "replay/analysis/analysisdiff.h"
#include "replay/analysis/batchfiles.h"

#include <algorithm>
#include <map>

namespace rw {

using analysis::AnomalyChange;
using Json = nlohmann::ordered_json;

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitChanged = 3;

const char* kindName(AnomalyChange::Kind k)
{
    switch (k) {
    case AnomalyChange::Kind::Appeared: return "appeared";
    case AnomalyChange::Kind::Vanished: return "vanished";
    case AnomalyChange::Kind::SeverityChanged: return "severity_changed";
    }
    return "appeared";
}

Json optionalResult(const std::optional<analysis::CheckResult>& r)
{
    return r ? Json(analysis::checkResultName(*r)) : Json(nullptr);
}

// the configuration files of A and B: outputs may not land on them
void configFiles(const analysis::AnalysisConfig& c, std::vector<std::string>& out)
{
    for (const std::string* path : {&c.profile.source.path, &c.exfil.source.path})
        if (!path->empty())
            out.push_back(*path);
    for (const analysis::BehaviourPolicy& p : c.policies)
        out.push_back(p.source.path);
    for (const auto& [named, profile] : c.sequenceProfiles)
        out.push_back(profile.source.path);
}

Json diffJson(const analysis::AnalysisDiff& d, const Json& files, const analysis::AnalysisConfig& a,
              const analysis::AnalysisConfig& b)
{
    Json j;
    j["format"] = "analysis-diff";
    j["version"] = 1;
    j["generator"] = std::string("aisecops-replay ") + RW_VERSION;
    j["audit_files"] = files;
    j["baseline"] = analysisConfigJson(a);
    j["config"] = analysisConfigJson(b);
    std::map<std::string, std::int64_t> flips, byDetector, byRule, byAgent;
    std::int64_t appeared = 0, vanished = 0, severity = 0;
    Json changes = Json::array();
    for (const AnomalyChange& c : d.changes) {
        const analysis::Anomaly& x = c.either();
        (c.kind == AnomalyChange::Kind::Appeared ? appeared : c.kind == AnomalyChange::Kind::Vanished ? vanished : severity)++;
        ++flips[std::string(c.before ? analysis::severityName(c.before->severity) : "none") + "->" +
                (c.after ? analysis::severityName(c.after->severity) : "none")];
        ++byDetector[analysis::detectorName(x.detector)];
        ++byRule[x.ruleId];
        ++byAgent[x.agentId];
        Json row;
        row["change"] = kindName(c.kind);
        row["run_id"] = x.runId;
        row["agent_id"] = x.agentId;
        row["fingerprint"] = x.fingerprint;
        row["detector"] = analysis::detectorName(x.detector);
        row["rule_id"] = x.ruleId;
        row["before"] = c.before ? anomalyJson(*c.before) : Json(nullptr);
        row["after"] = c.after ? anomalyJson(*c.after) : Json(nullptr);
        changes.push_back(std::move(row));
    }
    Json checks = Json::array();
    for (const analysis::CheckChange& c : d.checkChanges)
        checks.push_back({{"run_id", c.runId}, {"agent_id", c.agentId}, {"policy", c.policy}, {"check", c.check},
                          {"title", c.title}, {"before", optionalResult(c.before)}, {"after", optionalResult(c.after)}});
    j["summary"] = {{"runs", d.runs},
                    {"anomalies_before", d.anomaliesBefore},
                    {"anomalies_after", d.anomaliesAfter},
                    {"unchanged", d.unchanged},
                    {"appeared", appeared},
                    {"vanished", vanished},
                    {"severity_changed", severity},
                    {"checks_changed", d.checkChanges.size()},
                    {"flips", flips},
                    {"by_detector", byDetector},
                    {"by_rule", byRule},
                    {"by_agent", byAgent}};
    j["changes"] = std::move(changes);
    j["check_changes"] = std::move(checks);
    return j;
}

} // namespace

int runAnalysisDiff(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    const auto after = loadAnalysisRules(o, err);
    CliOptions baselineOptions = o;
    baselineOptions.profile = o.baselineProfile;
    if (!o.baselineBehaviour.empty())
        baselineOptions.behaviour = o.baselineBehaviour;
    if (!o.baselineExfil.empty())
        baselineOptions.exfil = o.baselineExfil;
    const auto before = loadAnalysisRules(baselineOptions, err);
    if (!after || !before) {
        err << "Error: the " << (!before ? "baseline (A)" : "analysis (B)") << " configuration is not valid\n";
        return kExitConfig;
    }
    std::vector<std::string> files = o.auditFiles;
    if (!o.batch.empty()) {
        const analysis::BatchFiles found = analysis::collectBatchFiles(o.batch, o.batchGlob);
        for (const analysis::BatchProblem& p : found.problems)
            if (!o.quiet)
                err << "Warning: " << terminalText(p.path) << ": skipped (" << terminalText(p.detail) << ")\n";
        files.insert(files.end(), found.files.begin(), found.files.end());
    }
    std::optional<OutputTarget> target;
    if (!o.output.empty()) {
        CliOptions withInputs = o;
        withInputs.auditFiles = files;
        configFiles(before->config(), withInputs.auditFiles);
        configFiles(after->config(), withInputs.auditFiles);
        if (!(target = chooseCliOutput(withInputs, o.output, OutputKind::Ordinary, err)))
            return 2;
    }

    analysis::AnalysisDiff diff;
    Json audited = Json::array();
    int status = 0;
    for (const std::string& path : files) {
        const std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, err);
        if (!model) {
            status = 1;
            continue;
        }
        const std::string sha = model->sha256();
        audited.push_back({{"path", path}, {"sha256", sha}, {"bytes", model->bytes().size()}});
        std::vector<analysis::RunAnalysis> a = analysis::analyzeModel(*model, *before, sha);
        std::vector<analysis::RunAnalysis> b = analysis::analyzeModel(*model, *after, sha);
        if (!o.traceId.empty()) {
            const auto other = [&](const analysis::RunAnalysis& r) { return r.runId != o.traceId; };
            a.erase(std::remove_if(a.begin(), a.end(), other), a.end());
            b.erase(std::remove_if(b.begin(), b.end(), other), b.end());
        }
        analysis::diffAnalyses(a, b, diff);
    }
    for (const AnomalyChange& c : diff.changes)
        out << anomalyChangeLine(c).toStdString() << "\n";
    for (const analysis::CheckChange& c : diff.checkChanges)
        out << checkChangeLine(c).toStdString() << "\n";
    out << analysisDiffSummary(diff).toStdString() << '\n';
    if (target && !writeCliOutput(*target, upstream::dump(diffJson(diff, audited, before->config(), after->config())), err))
        return 1;
    if (status != 0)
        return status;
    return o.failOnChange && !diff.empty() ? kExitChanged : 0;
}

} // namespace rw
