// permission_escalation: every used permission against the baseline grant.
// One anomaly per permission per step: WARN outside the baseline, INFO when
// the profile lets it be approved and the step carries the approval,
// CRITICAL when the run recorded it as denied.
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

#include <algorithm>

namespace rw::analysis {

namespace {

class EscalationDetector : public RunDetector
{
public:
    void step(RunAnalyzer& run, StepInput& in) override
    {
        const StepFacts& f = *in.facts;
        const RunStart& start = run.start();
        for (std::size_t i = 0; i < f.permissions.size(); ++i) {
            const std::string_view p = f.permissions[i];
            // once per permission per step (a step lists a handful)
            if (std::find(f.permissions.begin(), f.permissions.begin() + static_cast<std::ptrdiff_t>(i), p) !=
                f.permissions.begin() + static_cast<std::ptrdiff_t>(i))
                continue;
            const std::string permission(p);
            const auto witness = [&](Anomaly& a) {
                a.witness.front().pointer = in.permissionsPointer + '/' + std::to_string(i);
                a.witness.front().value = permission;
                a.context["permission"] = permission;
            };
            if (std::find(start.denied.begin(), start.denied.end(), p) != start.denied.end()) {
                witness(run.emit(Detector::PermissionEscalation, "escalation.denied-used", Severity::Critical, &in,
                                 permission));
                continue;
            }
            if (run.baselineSource() == BaselineSource::None || run.inBaseline(p))
                continue;
            std::string approval(f.approvalId);
            for (const auto& [perm, id] : start.approvedEscalations)
                if (approval.empty() && perm == p)
                    approval = id;
            const bool approvable = run.agent() && run.agent()->approvable.matches(p);
            if (approvable && !approval.empty()) {
                Anomaly& a = run.emit(Detector::PermissionEscalation, "escalation.approved", Severity::Info, &in,
                                      permission);
                witness(a);
                a.context["approval_id"] = approval;
                continue;
            }
            Anomaly& a = run.emit(Detector::PermissionEscalation, "escalation.not-in-baseline", Severity::Warn, &in,
                                  permission);
            witness(a);
            a.context["baseline"] = run.baseline();
            a.context["approvable"] = approvable;
            a.context["recorded_escalated"] =
                std::find(start.escalated.begin(), start.escalated.end(), p) != start.escalated.end();
            // a risky permission ranks higher within its severity
            const Severity risk = run.rules().risk(p);
            a.score = std::min(100, a.score + (risk == Severity::Critical ? 15 : risk == Severity::Warn ? 10 : 0));
        }
    }
};

} // namespace

std::unique_ptr<RunDetector> makeEscalationDetector() { return std::make_unique<EscalationDetector>(); }

std::vector<std::unique_ptr<RunDetector>> makeDetectors(const CompiledRules& rules)
{
    const auto on = [&](Detector d) { return (rules.config.detectors >> static_cast<unsigned>(d) & 1u) != 0; };
    std::vector<std::unique_ptr<RunDetector>> out;
    if (on(Detector::PermissionEscalation))
        out.push_back(makeEscalationDetector());
    if (on(Detector::UnusualToolSequence))
        out.push_back(makeSequenceDetector());
    if (on(Detector::ExcessiveRetries))
        out.push_back(makeRetryDetector());
    if (on(Detector::DataExfiltration))
        out.push_back(makeExfilDetector());
    // one detector for both: the checks' results need the two together
    if (on(Detector::BehaviouralDeviation) || on(Detector::MissingStep))
        out.push_back(makePolicyDetector());
    if (on(Detector::TraceIntegrity))
        out.push_back(makeIntegrityDetector());
    return out;
}

} // namespace rw::analysis
