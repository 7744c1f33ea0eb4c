// trace_integrity: does the run's own record (permissions_summary,
// policy_version) agree with its steps?
//   integrity.not-granted             a used permission missing from `granted`          WARN
//   integrity.unrecorded-escalation   used beyond the profile's baseline, granted, but not listed `escalated`   WARN
//   integrity.denied-succeeded        listed `denied`, yet a step using it succeeded    CRITICAL
//   integrity.policy-version          policy_version differs from the bundle in use     WARN
// Only runs that recorded a summary are judged; each finding is anchored on
// the first step that used the permission.
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include <algorithm>
#include <map>

namespace rw::analysis {

namespace {

bool listed(const std::vector<std::string>& list, std::string_view p)
{
    return std::find(list.begin(), list.end(), p) != list.end();
}

bool succeeded(std::string_view status)
{
    return status == "success" || status == "ok" || status == "succeeded" || status == "completed";
}

class IntegrityDetector : public RunDetector
{
public:
    void begin(RunAnalyzer&) override { m_reported.clear(); }

    void step(RunAnalyzer& run, StepInput& in) override
    {
        if (!run.start().hasSummary)
            return;
        const StepFacts& f = *in.facts;
        for (std::size_t i = 0; i < f.permissions.size(); ++i) {
            const std::string p(f.permissions[i]);
            const RunStart& start = run.start();
            const auto once = [&](const char* rule, Severity severity) {
                if (!m_reported.emplace(std::string(rule) + '|' + p).second)
                    return;
                Anomaly& a = run.emit(Detector::TraceIntegrity, rule, severity, &in, p);
                a.witness.front().pointer = in.permissionsPointer + '/' + std::to_string(i);
                a.witness.front().value = p;
                a.context["permission"] = p;
            };
            if (!listed(start.granted, p))
                once("integrity.not-granted", Severity::Warn);
            else if (run.baselineSource() == BaselineSource::Profile && !run.inBaseline(p) &&
                     !listed(start.escalated, p))
                once("integrity.unrecorded-escalation", Severity::Warn);
            if (listed(start.denied, p) && succeeded(f.resultStatus))
                once("integrity.denied-succeeded", Severity::Critical);
        }
    }

    void finish(RunAnalyzer& run) override
    {
        const std::string& bundle = run.config().policyVersion;
        const std::string& recorded = run.start().policyVersion;
        if (bundle.empty() || recorded.empty() || bundle == recorded)
            return;
        Anomaly& a = run.emit(Detector::TraceIntegrity, "integrity.policy-version", Severity::Warn, nullptr, recorded);
        a.context["recorded"] = recorded;
        a.context["bundle"] = bundle;
    }

private:
    std::set<std::string> m_reported;
};

} // namespace

std::unique_ptr<RunDetector> makeIntegrityDetector() { return std::make_unique<IntegrityDetector>(); }

} // namespace rw::analysis
