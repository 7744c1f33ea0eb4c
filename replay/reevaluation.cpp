#include "reevaluation.h"

#include <algorithm>
#include <set>

namespace rw {

bool isDecisionPoint(const ReplayModel& m, const EventRecord& e)
{
    if (e.has(EventFlag::Rejected))
        return false;
    if (e.has(EventFlag::RunStep))
        return true;
    const std::string_view type = m.str(e, Field::EventType);
    if (type == "mcp_policy_decision")
        return true;
    // the decision event of an execution plan (v0.3.0 lines carry no stage)
    const std::string_view stage = m.str(e, Field::DecisionStage);
    return type == "decision" && (stage == "evaluate" || e.s(Field::DecisionStage) == kNoStr);
}

PolicyRequest buildRequest(const ReplayModel& m, const EventRecord& e, std::vector<std::string>* missing)
{
    PolicyRequest r;
    auto need = [&](Field f, const char* name) {
        if (e.s(f) == kNoStr || m.str(e, f).empty()) {
            if (missing)
                missing->emplace_back(name);
            return std::string_view();
        }
        return m.str(e, f);
    };
    r.tool = need(Field::ToolName, "tool_name");
    r.agent = need(Field::AgentName, "agent_name");
    if (e.s(Field::Arguments) != kNoStr)
        r.argumentsJson = m.str(e, Field::Arguments);
    else if (!e.has(EventFlag::RunStep) && missing)
        missing->emplace_back("arguments");
    if (e.s(Field::SensitivityLevel) != kNoStr)
        r.sensitivity = m.str(e, Field::SensitivityLevel);
    r.hasCapabilities = e.has(EventFlag::HasGrantedCaps);
    for (const StrId c : m.list(e.grantedCaps))
        r.capabilities.push_back(m.str(c));
    for (const ProvenanceItem& p : m.provenance(e))
        r.provenance.push_back({m.str(p.sourceType), m.str(p.trustLevel)});
    r.hasUsage = e.has(EventFlag::HasRuntimeUsage);
    r.usage = e.usage;
    return r;
}

ReplayDiffResult reevaluate(const ReplayModel& m, std::optional<std::size_t> trace, const PolicyEngine& after,
                            const PolicyEngine* baseline)
{
    ReplayDiffResult result;
    std::set<int> fired;
    std::vector<std::size_t> traces;
    if (trace)
        traces.push_back(*trace);
    else
        for (std::size_t t = 0; t < m.traceCount(); ++t)
            traces.push_back(t);
    for (const std::size_t t : traces) {
        for (const std::uint32_t i : m.traceEvents(t)) {
            const EventRecord& e = m.event(i);
            if (!isDecisionPoint(m, e))
                continue;
            PointResult p;
            p.event = i;
            p.trace = t;
            const bool mcp = m.str(e, Field::EventType) == "mcp_policy_decision";
            const PolicyRequest request = buildRequest(m, e, &p.missing);
            p.replayable = p.missing.empty();
            auto opt = [&](Field f) {
                return e.s(f) == kNoStr ? std::optional<std::string>() : std::optional<std::string>(m.str(e, f));
            };
            p.before = {std::string(m.str(e, Field::Decision)), opt(Field::MatchedRule), std::string(m.str(e, Field::Reason))};
            if (p.replayable) {
                p.after = after.evaluate(request);
                // the MCP proxy reports a require_approval result as blocked
                if (mcp && p.after.decision == "require_approval")
                    p.after.decision = "blocked";
                if (p.after.ruleIndex >= 0)
                    fired.insert(p.after.ruleIndex);
                if (p.after.capabilityGateSkipped)
                    ++result.summary.capabilityGateSkipped;
                if (baseline) {
                    p.baseline = baseline->evaluate(request);
                    if (mcp && p.baseline->decision == "require_approval")
                        p.baseline->decision = "blocked";
                    p.before = {p.baseline->decision, p.baseline->matchedRule, p.baseline->reason};
                }
                p.changed = p.before.decision != p.after.decision;
            }
            ReplayDiffSummary& s = result.summary;
            ++s.decisionPoints;
            if (!p.replayable) {
                ++s.notReplayable;
            } else if (p.changed) {
                ++s.changed;
                ++s.flips[p.before.decision + "->" + p.after.decision];
                ++s.byRule[p.after.matchedRule.value_or("(default)")];
                ++s.byAgent[std::string(m.str(e, Field::AgentName))];
                ++s.byTool[std::string(m.str(e, Field::ToolName))];
                ++s.byTenant[e.s(Field::TenantId) == kNoStr ? std::string("(none)") : std::string(m.str(e, Field::TenantId))];
            } else {
                ++s.unchanged;
            }
            result.points.push_back(std::move(p));
        }
    }
    for (std::size_t r = 0; r < after.policy().rules.size(); ++r)
        if (!fired.count(static_cast<int>(r)))
            result.summary.rulesNeverFired.push_back("rules[" + std::to_string(r) + "]");
    return result;
}

} // namespace rw
