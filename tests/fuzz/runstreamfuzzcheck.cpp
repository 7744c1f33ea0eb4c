#include "tests/fuzz/runstreamfuzzcheck.h"

#include "model/auditloader.h"
#include "replay/analysis/analyzer.h"
#include "replay/analysis/configloader.h"
#include "tests/fuzz/fuzzcheck.h"

namespace rwfuzz {

namespace {

constexpr std::string_view kStart =
    R"({"event":"run_started","run_id":"run-f","agent_id":"prod-triage-1","started_at":"2026-03-05T14:00:00Z"})"
    "\n";

const rw::analysis::AnalysisRules& rules()
{
    static const std::shared_ptr<const rw::analysis::AnalysisRules> compiled = [] {
        std::vector<rw::BundleDiagnostic> d;
        rw::analysis::AnalysisConfig config;
        config.profile = *rw::analysis::parseAnalysisProfile(
            "version: 1\nagents:\n  - match: 'prod-*'\n    baseline_grant: [metrics:read]\n"
            "    approvable: [service:restart]\n    approved_tools: [metrics.query]\n",
            "fuzz-analysis.yaml", d);
        config.profileGiven = true;
        config.policies.push_back(*rw::analysis::parseBehaviourPolicy(
            "id: P\nname: p\nchecks:\n"
            "  - {id: a, prohibit: [{text: x, when: 'action_type:destroy'}]}\n"
            "  - {id: b, require: 'tool in $agent.approved_tools'}\n"
            "  - {id: c, review: 'escalated:true AND NOT approval.id:*'}\n"
            "  - {id: d, when: 'action_type:modify', preceded_by: 'param.host:=$step.param.host', within_steps: 2}\n"
            "  - {id: e, when: 'tool:service.restart', followed_by: 'tool:metrics.query', within_steps: 2}\n"
            "  - {id: f, when: 'reasoning~\"(?i)read-only\"', require: 'NOT perm:*:write'}\n",
            "fuzz-policy.yaml", d));
        config.exfil = rw::analysis::defaultExfilRules();
        config.policyVersion = "v1";
        return rw::analysis::AnalysisRules::compile(std::move(config), d);
    }();
    return *compiled;
}

std::string checkRuns(const std::vector<rw::analysis::RunAnalysis>& runs, std::size_t fileSize)
{
    for (const rw::analysis::RunAnalysis& run : runs) {
        std::int64_t last = -2;
        for (const rw::analysis::Anomaly& a : run.anomalies) {
            if (a.stepIndex < last)
                return "anomalies out of step order";
            last = a.stepIndex;
            if (a.fingerprint.size() != 64)
                return "a fingerprint that is no SHA-256";
            for (const rw::analysis::Witness& w : a.witness)
                if (w.offset > fileSize || w.length > fileSize - w.offset)
                    return "a witness outside the file";
        }
        for (const rw::analysis::PolicyCheckResult& c : run.checks)
            if (c.result == rw::analysis::CheckResult::Pass && !c.steps.empty())
                return "a passing check with offending steps";
    }
    return {};
}

} // namespace

std::string checkRunStreamInput(std::string_view bytes)
{
    std::string file(kStart);
    file.append(bytes);
    if (std::string problem = checkInput(file); !problem.empty())
        return problem;
    const auto model = rw::AuditLoader::loadBytes(file, "fuzz-stream.jsonl");
    if (!model)
        return "the loader gave no model";
    const auto first = rw::analysis::analyzeModel(*model, rules(), "fuzz");
    if (std::string problem = checkRuns(first, model->bytes().size()); !problem.empty())
        return problem;
    const auto second = rw::analysis::analyzeModel(*model, rules(), "fuzz");
    if (first.size() != second.size())
        return "the analysis is not deterministic (runs)";
    for (std::size_t i = 0; i < first.size(); ++i) {
        if (first[i].anomalies.size() != second[i].anomalies.size())
            return "the analysis is not deterministic (anomalies)";
        for (std::size_t j = 0; j < first[i].anomalies.size(); ++j)
            if (first[i].anomalies[j].fingerprint != second[i].anomalies[j].fingerprint ||
                first[i].anomalies[j].context != second[i].anomalies[j].context)
                return "the analysis is not deterministic (a record)";
    }
    return {};
}

} // namespace rwfuzz
