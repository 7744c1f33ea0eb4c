// Behavioural policies (reference §3.5) on each step's action and reasoning:
//   prohibit      every step matching a prohibition's `when`       behavioural_deviation
//   require       every step matching `when` (or every step) that does not match `require`
//   preceded_by   a `when` step with no step matching it within_steps before   missing_step
//   followed_by   a `when` step with no step matching it within_steps after (or before the run ends)
//   review        steps matching it need a human's review: the check WARNs and lists them, no anomaly
// An agent whose profile names a behavioural_policy gets that policy; any
// other agent every policy whose applies_to matches it. Each check ends PASS,
// WARN (violations or review steps) or FAIL (a critical violation).
#include "replay/analysis/compiledrules.h"
#include "replay/analysis/detectors.h"

namespace rw::analysis {

namespace {

struct Pending
{
    std::unique_ptr<KeptStep> step;
};

struct CheckState
{
    const CompiledPolicy* policy = nullptr;
    const CompiledCheck* check = nullptr;
    std::size_t result = 0; // into RunAnalysis::checks
    std::vector<Pending> pending;
};

class PolicyDetector : public RunDetector
{
public:
    void begin(RunAnalyzer& run) override
    {
        m_states.clear();
        m_applied.clear();
        const CompiledRules& rules = run.rules();
        const std::string named = run.agent() ? run.agent()->profile->behaviouralPolicy : std::string();
        StepFacts who;
        who.agent = run.start().agentId.empty() ? run.start().agentName : run.start().agentId;
        who.agentName = run.start().agentName;
        who.run = run.start().runId;
        for (const CompiledPolicy& p : rules.policies) {
            const bool applies = named.empty() ? p.appliesTo.matches(who) : p.policy->id == named;
            if (!applies)
                continue;
            for (const CompiledCheck& c : p.checks) {
                PolicyCheckResult r;
                r.policy = p.policy->id;
                r.check = c.check->id;
                r.title = c.check->title;
                r.advice = c.check->advice;
                m_states.push_back({&p, &c, run.checks().size(), {}});
                run.checks().push_back(std::move(r));
            }
            m_applied.push_back(&p);
        }
    }

    void step(RunAnalyzer& run, StepInput& in) override
    {
        StepFacts& f = *in.facts;
        for (CheckState& s : m_states) {
            const CompiledCheck& c = *s.check;
            const PolicyCheck& pc = *c.check;
            resolvePending(run, s, f);
            for (std::size_t i = 0; i < c.prohibitWhen.size(); ++i)
                if (c.prohibitWhen[i].matches(f))
                    violation(run, s, &in, nullptr, Detector::BehaviouralDeviation, "prohibit",
                              pc.prohibit[i].text, pc.prohibit[i].severity, pc.id + '#' + std::to_string(i));
            const bool when = c.when.matches(f); // an empty `when` concerns every step
            if (!c.require.isEmpty() && when && !c.require.matches(f))
                violation(run, s, &in, nullptr, Detector::BehaviouralDeviation, "require", pc.require.text,
                          pc.severity, pc.id);
            if (!c.review.isEmpty() && when && c.review.matches(f)) {
                PolicyCheckResult& r = run.checks()[s.result];
                r.steps.push_back(f.step);
                if (r.result == CheckResult::Pass)
                    r.result = CheckResult::Warn;
            }
            if (!c.precededBy.isEmpty() && !c.when.isEmpty() && when && !precededBy(run, c, pc, f))
                violation(run, s, &in, nullptr, Detector::MissingStep, "preceded_by", pc.precededBy.text, pc.severity,
                          pc.id);
            if (!c.followedBy.isEmpty() && !c.when.isEmpty() && when)
                s.pending.push_back({std::make_unique<KeptStep>(in)});
        }
    }

    void finish(RunAnalyzer& run) override
    {
        // what was still awaited when the run ended never happened
        for (CheckState& s : m_states)
            for (Pending& p : s.pending)
                violation(run, s, nullptr, p.step.get(), Detector::MissingStep, "followed_by",
                          s.check->check->followedBy.text, s.check->check->severity, s.check->check->id);
        if (!m_applied.empty()) {
            // the report names the policy; several are listed by id
            std::string ids;
            for (const CompiledPolicy* p : m_applied)
                ids += (ids.empty() ? "" : ", ") + p->policy->id;
            m_name = m_applied.size() == 1 ? m_applied.front()->policy->name : std::string();
            run.setPolicy(ids, m_name);
        }
    }

private:
    static bool precededBy(RunAnalyzer& run, const CompiledCheck& c, const PolicyCheck& pc, const StepFacts& current)
    {
        const std::size_t kept = run.historySize();
        const std::size_t look = pc.withinSteps > 0 ? static_cast<std::size_t>(pc.withinSteps) : kept;
        for (std::size_t i = 0; i < look && i < kept; ++i) {
            KeptStep& k = run.historyBack(i);
            k.facts.anchor = &current;
            k.facts.variables = current.variables;
            const bool met = c.precededBy.matches(k.facts);
            k.facts.anchor = nullptr;
            if (met)
                return true;
        }
        return false;
    }

    void resolvePending(RunAnalyzer& run, CheckState& s, StepFacts& f)
    {
        const PolicyCheck& pc = *s.check->check;
        std::vector<Pending> still;
        for (Pending& p : s.pending) {
            f.anchor = &p.step->facts;
            const bool met = s.check->followedBy.matches(f);
            f.anchor = nullptr;
            if (met)
                continue;
            if (pc.withinSteps > 0 && f.step - p.step->facts.step >= pc.withinSteps)
                violation(run, s, nullptr, p.step.get(), Detector::MissingStep, "followed_by", pc.followedBy.text,
                          pc.severity, pc.id);
            else
                still.push_back(std::move(p));
        }
        s.pending = std::move(still);
    }

    void violation(RunAnalyzer& run, CheckState& s, const StepInput* in, const KeptStep* kept, Detector detector,
                   const char* kind, const std::string& text, Severity severity, std::string key)
    {
        const BehaviourPolicy& policy = *s.policy->policy;
        const PolicyCheck& pc = *s.check->check;
        const std::string rule = "policy." + policy.id + '.' + pc.id;
        Anomaly& a = kept ? run.emitAt(detector, rule, severity, *kept, std::move(key))
                          : run.emit(detector, rule, severity, in, std::move(key));
        a.context["policy"] = policy.id;
        a.context["policy_name"] = policy.name;
        a.context["check"] = pc.id;
        a.context["title"] = pc.title;
        a.context["kind"] = kind;
        a.context["text"] = text;
        a.context["within_steps"] = pc.withinSteps;
        const Severity effective = a.severity; // after the profile's overrides
        PolicyCheckResult& r = run.checks()[s.result];
        r.steps.push_back(a.stepIndex);
        if (effective == Severity::Critical)
            r.result = CheckResult::Fail;
        else if (r.result == CheckResult::Pass)
            r.result = CheckResult::Warn;
    }

    std::vector<CheckState> m_states;
    std::vector<const CompiledPolicy*> m_applied;
    std::string m_name;
};

} // namespace

std::unique_ptr<RunDetector> makePolicyDetector() { return std::make_unique<PolicyDetector>(); }

} // namespace rw::analysis
