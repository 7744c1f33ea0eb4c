#include "replay/policy/reevaluation.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace rw {

namespace {

// the decision words an MCP proxy reports: require_approval shows as blocked
CompactOutcome asMcp(CompactOutcome o)
{
    if (o.decision == Decision::RequireApproval)
        o.decision = Decision::Blocked;
    return o;
}

// Interned ids of the words isDecisionPoint compares, looked up once.
struct Words
{
    explicit Words(const ReplayModel& m)
        : decision(m.pool().find("decision")), mcp(m.pool().find("mcp_policy_decision")),
          evaluate(m.pool().find("evaluate"))
    {
    }
    StrId decision, mcp, evaluate;
};

bool isPoint(const Words& w, const EventRecord& e)
{
    if (e.has(EventFlag::Rejected))
        return false;
    if (e.has(EventFlag::RunStep))
        return true;
    const StrId type = e.s(Field::EventType);
    if (type == kNoStr)
        return false;
    if (type == w.mcp)
        return true;
    // the decision event of an execution plan (v0.3.0 lines carry no stage)
    const StrId stage = e.s(Field::DecisionStage);
    return type == w.decision && (stage == w.evaluate || stage == kNoStr);
}

} // namespace

bool isDecisionPoint(const ReplayModel& m, const EventRecord& e) { return isPoint(Words(m), e); }

std::vector<std::string> missingFactNames(std::uint8_t missing)
{
    std::vector<std::string> out;
    if (missing & MissingTool)
        out.emplace_back("tool_name");
    if (missing & MissingAgent)
        out.emplace_back("agent_name");
    if (missing & MissingArguments)
        out.emplace_back("arguments");
    if (missing & MissingDecision)
        out.emplace_back("decision");
    return out;
}

std::uint8_t buildRequest(const ReplayModel& m, const EventRecord& e, PolicyRequest& r)
{
    std::uint8_t missing = 0;
    r.tool = m.str(e, Field::ToolName);
    r.agent = m.str(e, Field::AgentName);
    if (r.tool.empty())
        missing |= MissingTool;
    if (r.agent.empty())
        missing |= MissingAgent;
    r.argumentsJson = m.str(e, Field::Arguments);
    if (e.s(Field::Arguments) == kNoStr && !e.has(EventFlag::RunStep))
        missing |= MissingArguments;
    r.sensitivity.reset();
    if (e.s(Field::SensitivityLevel) != kNoStr)
        r.sensitivity = m.str(e, Field::SensitivityLevel);
    r.hasCapabilities = e.has(EventFlag::HasGrantedCaps);
    r.capabilities.clear();
    for (const StrId c : m.list(e.grantedCaps))
        r.capabilities.push_back(m.str(c));
    r.provenance.clear();
    for (const ProvenanceItem& p : m.provenance(e))
        r.provenance.push_back({m.str(p.sourceType), m.str(p.trustLevel)});
    r.hasUsage = e.has(EventFlag::HasRuntimeUsage);
    r.usage = e.usage;
    return missing;
}

std::string_view beforeDecision(const ReplayModel& m, const PointResult& p)
{
    if (p.baseline)
        return decisionName(p.baseline->decision);
    return m.str(m.event(p.event), Field::Decision);
}

std::string_view afterDecision(const PointResult& p) { return decisionName(p.after.decision); }

DecisionSnapshot beforeSnapshot(const ReplayModel& m, const PointResult& p, const PolicyEngine* baseline)
{
    const EventRecord& e = m.event(p.event);
    if (p.baseline && baseline) {
        PolicyRequest r;
        buildRequest(m, e, r);
        PolicyOutcome o = baseline->expand(*p.baseline, r);
        return {std::string(decisionName(p.baseline->decision)), o.matchedRule, o.reason};
    }
    return {std::string(m.str(e, Field::Decision)),
            e.s(Field::MatchedRule) == kNoStr ? std::nullopt : std::optional<std::string>(m.str(e, Field::MatchedRule)),
            std::string(m.str(e, Field::Reason))};
}

PolicyOutcome afterOutcome(const ReplayModel& m, const PointResult& p, const PolicyEngine& after)
{
    PolicyRequest r;
    buildRequest(m, m.event(p.event), r);
    PolicyOutcome o = after.expand(p.after, r);
    o.decision = decisionName(p.after.decision); // MCP points report require_approval as blocked
    return o;
}

ReplayDiffResult reevaluate(const ReplayModel& m, std::optional<std::size_t> trace, const PolicyEngine& after,
                            const PolicyEngine* baseline)
{
    ReplayDiffResult result;
    ReplayDiffSummary& s = result.summary;
    const Words words(m);
    const StrId mcpWord = words.mcp;
    std::vector<bool> fired(after.policy().rules.size(), false);
    PolicyRequest request; // reused: its vectors keep their capacity
    // Changed points are counted by ids first and named once at the end:
    // a string per changed point would dominate the loop.
    std::map<std::pair<std::string_view, Decision>, std::size_t> flips;
    std::map<std::tuple<int, int, StrId>, std::pair<std::uint32_t, std::size_t>> byRule;
    std::map<StrId, std::size_t> byAgent, byTool, byTenant;

    auto visit = [&](std::uint32_t i) {
        const EventRecord& e = m.event(i);
        if (!isPoint(words, e))
            return;
        PointResult p;
        p.event = i;
        p.mcp = e.s(Field::EventType) == mcpWord && mcpWord != kNoStr;
        p.missing = buildRequest(m, e, request);
        // without a recorded decision there is nothing to compare with
        if (!baseline && m.str(e, Field::Decision).empty())
            p.missing |= MissingDecision;
        ++s.decisionPoints;
        if (!p.replayable()) {
            ++s.notReplayable;
            result.points.push_back(p);
            return;
        }
        p.after = after.decide(request);
        if (p.mcp)
            p.after = asMcp(p.after);
        if (p.after.ruleIndex >= 0)
            fired[static_cast<std::size_t>(p.after.ruleIndex)] = true;
        if (p.after.capabilityGateSkipped)
            ++s.capabilityGateSkipped;
        if (baseline) {
            p.baseline = baseline->decide(request);
            if (p.mcp)
                p.baseline = asMcp(*p.baseline);
        }
        const std::string_view before = beforeDecision(m, p);
        const std::string_view now = afterDecision(p);
        p.changed = before != now;
        if (p.changed) {
            ++s.changed;
            ++flips[{before, p.after.decision}];
            // the rule's name depends on the agent only for per-agent steps
            const bool perAgent = p.after.step == PolicyStep::AgentAllowList || p.after.step == PolicyStep::AgentApproval;
            auto& rule = byRule[{static_cast<int>(p.after.step), p.after.ruleIndex, perAgent ? e.s(Field::AgentName) : kNoStr}];
            if (rule.second++ == 0)
                rule.first = static_cast<std::uint32_t>(result.points.size()); // this point's index
            ++byAgent[e.s(Field::AgentName)];
            ++byTool[e.s(Field::ToolName)];
            ++byTenant[e.s(Field::TenantId)];
        } else {
            ++s.unchanged;
        }
        result.points.push_back(p);
    };
    if (trace) {
        for (const std::uint32_t i : m.traceEvents(*trace))
            visit(i);
    } else {
        // file order: sequential over the records, which is also what a reader expects
        for (std::size_t i = 0; i < m.eventCount(); ++i)
            visit(static_cast<std::uint32_t>(i));
    }
    for (std::size_t r = 0; r < fired.size(); ++r)
        if (!fired[r])
            s.rulesNeverFired.push_back("rules[" + std::to_string(r) + "]");
    for (const auto& [key, count] : flips)
        s.flips[std::string(key.first) + "->" + decisionName(key.second)] += count;
    for (const auto& [key, entry] : byRule) {
        // name the rule from the first point that reached it
        const PolicyOutcome o = afterOutcome(m, result.points[entry.first], after);
        s.byRule[o.matchedRule.value_or("(default)")] += entry.second;
    }
    auto name = [&](StrId id, const char* none) { return id == kNoStr ? std::string(none) : std::string(m.str(id)); };
    for (const auto& [id, count] : byAgent)
        s.byAgent[name(id, "(none)")] += count;
    for (const auto& [id, count] : byTool)
        s.byTool[name(id, "(none)")] += count;
    for (const auto& [id, count] : byTenant)
        s.byTenant[name(id, "(none)")] += count;
    return result;
}

} // namespace rw
