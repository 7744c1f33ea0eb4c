#include "replay/policy/replaydiffjson.h"

#include "model/intracediff.h"
#include "model/vocabulary.h"

#include <algorithm>

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

Json pointHeader(const ReplayModel& m, const PointResult& p, std::size_t file)
{
    const EventRecord& e = m.event(p.event);
    auto s = [&](Field f) { return e.s(f) == kNoStr ? Json(nullptr) : Json(std::string(m.str(e, f))); };
    Json j = Json::object();
    j["file"] = file;
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

ReplayDiffSummary mergeSummaries(const std::vector<FileDiff>& files)
{
    ReplayDiffSummary total;
    std::map<std::string, std::size_t> neverFired;
    for (const FileDiff& f : files) {
        const ReplayDiffSummary& s = f.result.summary;
        total.decisionPoints += s.decisionPoints;
        total.changed += s.changed;
        total.unchanged += s.unchanged;
        total.notReplayable += s.notReplayable;
        total.capabilityGateSkipped += s.capabilityGateSkipped;
        for (const auto& [from, to] : {std::pair{&s.flips, &total.flips}, std::pair{&s.byRule, &total.byRule},
                                       std::pair{&s.byAgent, &total.byAgent}, std::pair{&s.byTool, &total.byTool},
                                       std::pair{&s.byTenant, &total.byTenant}})
            for (const auto& [k, v] : *from)
                (*to)[k] += v;
        for (const std::string& rule : s.rulesNeverFired)
            ++neverFired[rule];
    }
    for (const auto& [rule, count] : neverFired)
        if (count == files.size())
            total.rulesNeverFired.push_back(rule);
    // rules[N] in numeric order, not text order
    std::sort(total.rulesNeverFired.begin(), total.rulesNeverFired.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    return total;
}

Json replayDiffJson(const ReplayDiffContext& c, const std::vector<FileDiff>& files)
{
    Json out = Json::object();
    out["format"] = "replay-diff";
    out["version"] = 1;
    out["generator"] = c.generator;
    out["mode"] = c.baseline ? "baseline_vs_policy" : "recorded_vs_policy";
    Json audit = Json::array();
    for (const FileDiff& f : files)
        audit.push_back(Json{{"path", f.model->path()}, {"sha256", f.model->sha256()}, {"bytes", f.model->bytes().size()}});
    out["audit_files"] = std::move(audit);
    out["trace_id"] = optionalString(c.traceId);
    out["policy"] = bundleJson(c.after);
    out["baseline"] = bundleJson(c.baseline);

    const ReplayDiffSummary s = mergeSummaries(files);
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
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
        const ReplayModel& m = *files[fi].model;
        for (const PointResult& p : files[fi].result.points) {
            if (!p.replayable()) {
                Json j = pointHeader(m, p, fi);
                j["missing"] = missingFactNames(p.missing);
                notReplayable.push_back(std::move(j));
                continue;
            }
            if (!p.changed)
                continue;
            Json j = pointHeader(m, p, fi);
            const DecisionSnapshot before = beforeSnapshot(m, p, c.baseline);
            const PolicyOutcome after = afterOutcome(m, p, *c.after);
            j["before"] = Json{{"decision", before.decision},
                               {"matched_rule", optionalString(before.matchedRule)},
                               {"reason", before.reason},
                               {"source", c.baseline ? "baseline" : "recorded"}};
            j["after"] = outcomeJson(m, p, after);
            // upstream's mismatch object: what the log (or A) says vs what B decides
            const bool loosened = decisionFromText(after.decision) == Decision::Allowed;
            j["mismatch"] = Json{{"type", "decision_changed"},
                                 {"expected", before.decision},
                                 {"actual", after.decision},
                                 {"severity", loosened ? "high" : "medium"},
                                 {"reason", "Re-evaluation under " + c.after->policy().path + " decided " + after.decision +
                                                " where " + (c.baseline ? "the baseline" : "the log") + " says " +
                                                before.decision + "."}};
            changes.push_back(std::move(j));
        }
    }
    out["changes"] = std::move(changes);
    out["not_replayable"] = std::move(notReplayable);
    return out;
}

Json decisionsJson(const ReplayDiffContext& c, const std::vector<FileDiff>& files)
{
    Json out = Json::object();
    out["format"] = "policy-decisions";
    out["version"] = 1;
    Json audit = Json::array();
    for (const FileDiff& f : files)
        audit.push_back(Json{{"path", f.model->path()}, {"sha256", f.model->sha256()}});
    out["audit_files"] = std::move(audit);
    out["policy"] = bundleJson(c.after);
    Json points = Json::array();
    for (std::size_t fi = 0; fi < files.size(); ++fi) {
        const ReplayModel& m = *files[fi].model;
        for (const PointResult& p : files[fi].result.points) {
            Json j = pointHeader(m, p, fi);
            const DecisionSnapshot recorded = beforeSnapshot(m, p, nullptr);
            j["recorded"] = Json{{"decision", recorded.decision}, {"matched_rule", optionalString(recorded.matchedRule)}};
            if (p.replayable())
                j["policy"] = outcomeJson(m, p, afterOutcome(m, p, *c.after));
            else
                j["missing"] = missingFactNames(p.missing);
            points.push_back(std::move(j));
        }
    }
    out["decision_points"] = std::move(points);
    return out;
}

} // namespace rw
