#include "replaydiffjson.h"

#include "intracediff.h"

namespace rw {

namespace {

using Json = nlohmann::ordered_json;

Json optionalString(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

Json bundleJson(const PolicyEngine* engine)
{
    if (!engine)
        return nullptr;
    Json b = Json::object();
    b["path"] = engine->policy().path;
    b["sha256"] = engine->policy().sha256;
    if (const CapabilityBundle* caps = engine->capabilities())
        b["capabilities"] = Json{{"path", caps->path}, {"sha256", caps->sha256}};
    else
        b["capabilities"] = nullptr;
    b["rules"] = engine->policy().rules.size();
    return b;
}

Json countMap(const std::map<std::string, std::size_t>& m)
{
    Json out = Json::object();
    for (const auto& [k, v] : m)
        out[k] = v;
    return out;
}

Json pointHeader(const ReplayModel& m, const PointResult& p)
{
    const EventRecord& e = m.event(p.event);
    auto s = [&](Field f) { return e.s(f) == kNoStr ? Json(nullptr) : Json(std::string(m.str(e, f))); };
    Json j = Json::object();
    j["trace_id"] = s(Field::TraceId);
    j["event_id"] = s(Field::EventId);
    j["event_type"] = s(Field::EventType);
    j["line"] = e.line;
    j["byte_offset"] = e.offset;
    j["agent_name"] = s(Field::AgentName);
    j["tool_name"] = s(Field::ToolName);
    j["tenant_id"] = s(Field::TenantId);
    return j;
}

Json outcomeJson(const ReplayModel& m, const PointResult& p, const PolicyOutcome& o)
{
    const EventRecord& e = m.event(p.event);
    Json j = Json::object();
    j["decision"] = o.decision;
    j["matched_rule"] = optionalString(o.matchedRule);
    j["reason"] = o.reason;
    j["control"] = controlName(o.control);
    j["risk_level"] = o.risk;
    j["violations"] = o.violations;
    j["reason_chain"] = o.reasonChain;
    std::vector<std::string_view> violations(o.violations.begin(), o.violations.end());
    const std::optional<std::string_view> tool =
        e.s(Field::ToolName) == kNoStr ? std::nullopt : std::optional<std::string_view>(m.str(e, Field::ToolName));
    const std::optional<std::string_view> rule =
        o.matchedRule ? std::optional<std::string_view>(*o.matchedRule) : std::nullopt;
    j["explanation"] = explainGovernanceDecision(tool, std::nullopt, std::string_view(o.decision),
                                                 std::string_view(o.reason), rule, violations);
    return j;
}

} // namespace

Json replayDiffJson(const ReplayDiffContext& c, const ReplayDiffResult& r)
{
    const ReplayModel& m = *c.model;
    Json out = Json::object();
    out["format"] = "replay-diff";
    out["version"] = 1;
    out["generator"] = c.generator;
    out["mode"] = c.baseline ? "baseline_vs_policy" : "recorded_vs_policy";
    out["audit_files"] = Json::array({Json{{"path", m.path()}, {"sha256", m.sha256()}, {"bytes", m.bytes().size()}}});
    out["trace_id"] = optionalString(c.traceId);
    out["policy"] = bundleJson(c.after);
    out["baseline"] = bundleJson(c.baseline);

    const ReplayDiffSummary& s = r.summary;
    Json summary = Json::object();
    summary["decision_points"] = s.decisionPoints;
    summary["changed"] = s.changed;
    summary["unchanged"] = s.unchanged;
    summary["not_replayable"] = s.notReplayable;
    summary["flips"] = countMap(s.flips);
    summary["by_rule"] = countMap(s.byRule);
    summary["by_agent"] = countMap(s.byAgent);
    summary["by_tool"] = countMap(s.byTool);
    summary["by_tenant"] = countMap(s.byTenant);
    summary["rules_never_fired"] = s.rulesNeverFired;
    summary["capability_gate_not_evaluated"] = s.capabilityGateSkipped;
    out["summary"] = std::move(summary);

    Json changes = Json::array();
    Json notReplayable = Json::array();
    for (const PointResult& p : r.points) {
        if (!p.replayable()) {
            Json j = pointHeader(m, p);
            j["missing"] = missingFactNames(p.missing);
            notReplayable.push_back(std::move(j));
            continue;
        }
        if (!p.changed)
            continue;
        Json j = pointHeader(m, p);
        const DecisionSnapshot before = beforeSnapshot(m, p, c.baseline);
        const PolicyOutcome after = afterOutcome(m, p, *c.after);
        j["before"] = Json{{"decision", before.decision},
                           {"matched_rule", optionalString(before.matchedRule)},
                           {"reason", before.reason},
                           {"source", c.baseline ? "baseline" : "recorded"}};
        j["after"] = outcomeJson(m, p, after);
        // upstream's mismatch object: what the log (or A) says vs what B decides
        const bool loosened = after.decision == "allowed";
        j["mismatch"] = Json{{"type", "decision_changed"},
                             {"expected", before.decision},
                             {"actual", after.decision},
                             {"severity", loosened ? "high" : "medium"},
                             {"reason", "Re-evaluation under " + c.after->policy().path + " decided " +
                                            after.decision + " where " + (c.baseline ? "the baseline" : "the log") +
                                            " says " + before.decision + "."}};
        changes.push_back(std::move(j));
    }
    out["changes"] = std::move(changes);
    out["not_replayable"] = std::move(notReplayable);
    return out;
}

Json decisionsJson(const ReplayDiffContext& c, const ReplayDiffResult& r)
{
    const ReplayModel& m = *c.model;
    Json out = Json::object();
    out["format"] = "policy-decisions";
    out["version"] = 1;
    out["audit_files"] = Json::array({Json{{"path", m.path()}, {"sha256", m.sha256()}}});
    out["policy"] = bundleJson(c.after);
    Json points = Json::array();
    for (const PointResult& p : r.points) {
        Json j = pointHeader(m, p);
        const DecisionSnapshot recorded = beforeSnapshot(m, p, nullptr);
        j["recorded"] = Json{{"decision", recorded.decision}, {"matched_rule", optionalString(recorded.matchedRule)}};
        if (p.replayable())
            j["policy"] = outcomeJson(m, p, afterOutcome(m, p, *c.after));
        else
            j["missing"] = missingFactNames(p.missing);
        points.push_back(std::move(j));
    }
    out["decision_points"] = std::move(points);
    return out;
}

} // namespace rw
