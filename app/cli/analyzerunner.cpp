#include "app/cli/analyzerunner.h"

#include "app/cli/analysisdiffrunner.h"
#include "app/text/analysisjson.h"
#include "app/cli/batchrunner.h"
#include "app/cli/cliload.h"
#include "app/text/analysistext.h"
#include "app/text/plural.h"
#include "app/text/replaydifftext.h"
#include "app/text/terminaltext.h"
#include "model/upstreamjson.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/configfiles.h"
#include "replay/analysis/configloader.h"
#include "replay/policy/policybundle.h"

#include <functional>
#include <algorithm>
#include <filesystem>
#include <map>

namespace rw {

using analysis::AnalysisConfig;
using analysis::AnalysisRules;
using analysis::Anomaly;
using analysis::RunAnalysis;

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitFailOn = 5;

// Every file the options name, read into one configuration. Errors of any
// file leave `config` unusable (the caller checks hasErrors).
AnalysisConfig loadConfig(const CliOptions& o, std::vector<BundleDiagnostic>& diagnostics)
{
    return analysis::loadConfigFiles({o.profile, o.behaviour, o.exfil, o.sequenceProfiles, o.policyVersion}, diagnostics);
}

// The configuration compiled, its findings printed to `diag`; nullptr after
// an error.
std::shared_ptr<const AnalysisRules> loadRules(const CliOptions& o, std::ostream& diag, bool warnings,
                                               const std::function<void(AnalysisConfig&)>& adjust = {})
{
    std::vector<BundleDiagnostic> diagnostics;
    AnalysisConfig config = loadConfig(o, diagnostics);
    if (adjust)
        adjust(config);
    std::shared_ptr<const AnalysisRules> rules;
    if (!hasErrors(diagnostics))
        rules = AnalysisRules::compile(std::move(config), diagnostics);
    for (const BundleDiagnostic& d : diagnostics)
        if (warnings || d.level == BundleDiagnostic::Level::Error)
            diag << bundleDiagnosticLine(d) << '\n';
    return hasErrors(diagnostics) ? nullptr : rules;
}

int checkProfile(const CliOptions& o, std::ostream& out)
{
    const std::shared_ptr<const AnalysisRules> rules = loadRules(o, out, true);
    if (!rules)
        return kExitConfig;
    const AnalysisConfig& c = rules->config();
    out << terminalText(o.profile) << ": ok ("
        << counted(c.profile.agents.size(), "agent", "agents").toStdString() << ", "
        << counted(c.policies.size(), "behavioural policy", "behavioural policies").toStdString() << ", "
        << counted(c.sequenceProfiles.size(), "sequence profile", "sequence profiles").toStdString()
        << ", sha256 " << c.profile.source.sha256 << ")\n";
    return 0;
}

bool reaches(const std::vector<RunAnalysis>& runs, FailOn level)
{
    if (level == FailOn::Never)
        return false;
    const analysis::Severity threshold =
        level == FailOn::Warn ? analysis::Severity::Warn : analysis::Severity::Critical;
    for (const RunAnalysis& r : runs)
        for (const Anomaly& a : r.anomalies)
            if (a.severity >= threshold)
                return true;
    return false;
}

} // namespace

std::shared_ptr<const AnalysisRules> loadAnalysisRules(const CliOptions& o, std::ostream& diag,
                                                       const std::function<void(AnalysisConfig&)>& adjust)
{
    return loadRules(o, diag, !o.quiet, adjust);
}

int runAnalyzeCommand(const CliOptions& o, std::ostream& out, std::ostream& err)
{
    if (o.action == CliAction::CheckProfile)
        return checkProfile(o, out);
    if (o.analysisDiff)
        return runAnalysisDiff(o, out, err);
    const std::shared_ptr<const AnalysisRules> rules = loadRules(o, err, !o.quiet);
    if (!rules) {
        err << "Error: the analysis configuration is not valid\n";
        return kExitConfig;
    }
    if (!o.batch.empty())
        return runBatchAnalysis(o, *rules, out, err);
    int status = 0;
    std::vector<RunAnalysis> runs;
    for (const std::string& path : o.auditFiles) {
        const std::unique_ptr<ReplayModel> model = loadAuditForCli(path, o, err);
        if (!model) {
            status = 1;
            continue;
        }
        for (RunAnalysis& r : analysis::analyzeModel(*model, *rules, model->sha256())) {
            if (!o.traceId.empty() && r.runId != o.traceId)
                continue;
            if (r.file.empty())
                r.file = path;
            runs.push_back(std::move(r));
        }
    }
    if (status == 0 && !o.traceId.empty() && runs.empty()) {
        err << "Error: No run found with run_id '" << terminalText(o.traceId) << "'\n";
        return 1;
    }
    if (o.json) {
        out << upstream::dump(analysisJson(runs, rules->config()));
    } else {
        for (std::size_t i = 0; i < runs.size(); ++i)
            out << (i ? "\n" : "") << analysisReportText(runs[i]).toStdString();
    }
    if (status != 0)
        return status;
    return reaches(runs, o.failOn) ? kExitFailOn : 0;
}

} // namespace rw
