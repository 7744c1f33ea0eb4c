#include "model/upstreamjson.h"

#include "model/eventjson.h"
#include "model/markdowntext.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace rw::upstream {

namespace {

Json strOrNull(const ReplayModel& m, StrId id)
{
    if (id == kNoStr)
        return nullptr;
    return std::string(m.str(id));
}

Json strOrNull(std::optional<std::string_view> s)
{
    if (!s)
        return nullptr;
    return std::string(*s);
}

// An empty object with room for `fields` keys. An ordered object is a vector
// of (const key, value) pairs, so growing it copies every value: a trace's
// timeline (millions of entries) was copied each time a field was added after it.
Json objectFor(std::size_t fields)
{
    Json out = Json::object();
    out.get_ref<Json::object_t&>().reserve(fields);
    return out;
}

// put key only when the value is not null (pydantic exclude_none)
void putIfSet(Json& obj, const char* key, Json value)
{
    if (!value.is_null())
        obj[key] = std::move(value);
}

const Json* member(const Json* obj, const char* key)
{
    if (!obj || !obj->is_object())
        return nullptr;
    const auto it = obj->find(key);
    return it == obj->end() ? nullptr : &*it;
}

// upstream's int(): ints stay, floats truncate, numeric strings convert
Json asInt(const Json* v)
{
    if (!v || v->is_null())
        return nullptr;
    if (v->is_number_integer())
        return *v;
    if (v->is_number_float())
        return static_cast<std::int64_t>(std::trunc(v->get<double>()));
    if (v->is_string()) {
        try {
            return std::stoll(v->get<std::string>());
        } catch (...) {
            return nullptr;
        }
    }
    return nullptr;
}

// upstream's float(): a logged 0 prints as 0.0
Json asFloat(const Json* v)
{
    if (!v || v->is_null())
        return nullptr;
    if (v->is_number())
        return v->get<double>();
    if (v->is_string()) {
        try {
            return std::stod(v->get<std::string>());
        } catch (...) {
            return nullptr;
        }
    }
    return nullptr;
}

Json stringList(const ReplayModel& m, Span32 span)
{
    Json out = Json::array();
    for (const StrId id : m.list(span))
        out.push_back(std::string(m.str(id)));
    return out;
}

Json provenanceItem(const Json& item)
{
    Json out = Json::object();
    for (const char* key : {"source_type", "source_name", "source_hash", "origin_uri", "trust_level"}) {
        const Json* v = member(&item, key);
        out[key] = v ? *v : Json(nullptr);
    }
    const Json* meta = member(&item, "metadata");
    out["metadata"] = meta && meta->is_object() ? *meta : Json::object();
    return out;
}

Json trustMap(const ReplayModel& m, const TraceSummary& s)
{
    // An ordered_json object finds keys by a linear search, so tens of
    // thousands of trust levels (audit-controlled) made this quadratic: new
    // keys are appended directly, a repeated text (absent and "" both read
    // as "") keeps the last count, as assigning did.
    Json out = Json::object();
    auto& members = out.get_ref<Json::object_t&>();
    std::unordered_map<std::string_view, std::size_t> position;
    for (const TrustCount& t : s.trustCounts) {
        const std::string_view key = m.str(t.trust);
        const auto [it, added] = position.try_emplace(key, members.size());
        if (added)
            members.emplace_back(std::string(key), t.count);
        else
            std::next(members.begin(), static_cast<std::ptrdiff_t>(it->second))->second = t.count;
    }
    return out;
}

Json schemaVersions(const ReplayModel& m, const TraceSummary& s)
{
    Json out = Json::array();
    for (const StrId v : s.schemaVersions)
        out.push_back(v == kNoStr ? std::string("legacy") : std::string(m.str(v)));
    return out;
}

std::optional<Json> eventMember(const ReplayModel& m, std::int64_t event, const char* key)
{
    if (event < 0)
        return std::nullopt;
    const auto json = parseEventJson(m, m.event(static_cast<std::size_t>(event)));
    const Json* v = json ? member(&*json, key) : nullptr;
    if (!v)
        return std::nullopt;
    return *v;
}

// The summary fields shared by the summary, trace and list shapes, nulls kept.
struct SummaryFields
{
    Json finalDecision, toolName, finalReason, agentId, agentTrust, agentEnv, planId, intent, riskLevel,
        requestedCaps, stepCount, protocol, clientId, serverName, capability, budgetStatus, usageSummary,
        violations;
};

SummaryFields summaryFields(const ReplayModel& m, const TraceSummary& s)
{
    SummaryFields f;
    const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
    f.finalDecision = strOrNull(m, last.s(Field::Decision));
    f.toolName = strOrNull(m, last.s(Field::ToolName));
    f.finalReason = strOrNull(m, last.s(Field::Reason));
    if (s.identityEvent >= 0) {
        const EventRecord& e = m.event(static_cast<std::size_t>(s.identityEvent));
        f.agentId = strOrNull(m, e.s(Field::AgentId));
        f.agentTrust = strOrNull(m, e.s(Field::AgentTrustLevel));
        f.agentEnv = strOrNull(m, e.s(Field::AgentEnvironment));
    }
    if (s.planEvent >= 0) {
        const EventRecord& e = m.event(static_cast<std::size_t>(s.planEvent));
        f.planId = strOrNull(m, e.s(Field::PlanId));
        f.intent = strOrNull(m, e.s(Field::PlanIntent));
        f.riskLevel = strOrNull(m, e.s(Field::PlanRiskLevel));
        f.requestedCaps = stringList(m, e.requestedCaps);
        f.stepCount = e.planStepCount;
    }
    if (s.protocolEvent >= 0) {
        const EventRecord& e = m.event(static_cast<std::size_t>(s.protocolEvent));
        f.protocol = strOrNull(m, e.s(Field::Protocol));
        f.clientId = strOrNull(m, e.s(Field::ClientId));
        f.serverName = strOrNull(m, e.s(Field::ServerName));
        f.capability = strOrNull(m, e.s(Field::Capability));
    }
    f.budgetStatus = strOrNull(s.budgetStatus);
    if (auto usage = eventMember(m, s.usageEvent, "runtime_usage"))
        f.usageSummary = *usage;
    f.violations = Json::array();
    for (const StrId v : s.violations)
        f.violations.push_back(std::string(m.str(v)));
    return f;
}

// identity, plan, protocol and budget fields in the order of the trace and
// summary responses, nulls dropped, violations only when there are some
void putSummaryTail(Json& out, const SummaryFields& f)
{
    putIfSet(out, "agent_id", f.agentId);
    putIfSet(out, "agent_trust_level", f.agentTrust);
    putIfSet(out, "agent_environment", f.agentEnv);
    putIfSet(out, "plan_id", f.planId);
    putIfSet(out, "intent", f.intent);
    putIfSet(out, "risk_level", f.riskLevel);
    putIfSet(out, "requested_capabilities", f.requestedCaps);
    putIfSet(out, "step_count", f.stepCount);
    putIfSet(out, "protocol", f.protocol);
    putIfSet(out, "client_id", f.clientId);
    putIfSet(out, "server_name", f.serverName);
    putIfSet(out, "capability", f.capability);
    putIfSet(out, "budget_status", f.budgetStatus);
    putIfSet(out, "usage_summary", f.usageSummary);
    if (!f.violations.empty())
        out["violations"] = f.violations;
}

} // namespace

Json timelineEntry(const ReplayModel& m, const EventRecord& rec)
{
    const auto parsed = parseEventJson(m, rec);
    const Json* j = parsed ? &*parsed : nullptr;
    Json e = Json::object();
    auto putStr = [&](const char* key, Field f) { putIfSet(e, key, strOrNull(m, rec.s(f))); };
    auto putRawStr = [&](const char* key) {
        const Json* v = member(j, key);
        if (v && !v->is_null())
            e[key] = v->is_string() ? *v : Json(v->dump());
    };
    putStr("timestamp", Field::Timestamp);
    putStr("event_type", Field::EventType);
    putStr("schema_version", Field::SchemaVersion);
    putStr("event_id", Field::EventId);
    putStr("decision_stage", Field::DecisionStage);
    putStr("agent_name", Field::AgentName);
    putStr("agent_id", Field::AgentId);
    putStr("agent_trust_level", Field::AgentTrustLevel);
    putStr("agent_environment", Field::AgentEnvironment);
    putStr("tool_name", Field::ToolName);
    putStr("decision", Field::Decision);
    putStr("reason", Field::Reason);
    Json prov = Json::array();
    if (const Json* p = member(j, "provenance"); p && p->is_array())
        for (const Json& item : *p)
            if (item.is_object())
                prov.push_back(provenanceItem(item));
    e["provenance"] = std::move(prov);
    putStr("execution_plan_id", Field::ExecutionPlanId);
    putStr("plan_id", Field::PlanId);
    putStr("plan_intent", Field::PlanIntent);
    putStr("plan_risk_level", Field::PlanRiskLevel);
    e["requested_capabilities"] = stringList(m, rec.requestedCaps);
    const Json* steps = member(j, "plan_steps");
    e["plan_steps"] = steps && steps->is_array() ? *steps : Json::array();
    putRawStr("model_output");
    putRawStr("user_input");
    putStr("protocol", Field::Protocol);
    putStr("client_id", Field::ClientId);
    putStr("server_name", Field::ServerName);
    putStr("capability", Field::Capability);
    putStr("budget_status", Field::BudgetStatus);
    for (const char* key : {"runtime_budget", "runtime_usage"})
        if (const Json* v = member(j, key); v && v->is_object())
            e[key] = *v;
    if (rec.violations.count > 0)
        e["runtime_violations"] = stringList(m, rec.violations);
    putIfSet(e, "tool_calls_used", asInt(member(j, "tool_calls_used")));
    putIfSet(e, "tool_calls_remaining", asInt(member(j, "tool_calls_remaining")));
    putIfSet(e, "depth_used", asInt(member(j, "depth_used")));
    putIfSet(e, "runtime_seconds", asFloat(member(j, "runtime_seconds")));
    putIfSet(e, "estimated_cost_usd", asFloat(member(j, "estimated_cost_usd")));
    return e;
}

Json traceResult(const ReplayModel& m, const TraceSummary& s)
{
    Json out = objectFor(32);
    out["trace_id"] = std::string(m.str(s.traceId));
    out["event_count"] = s.eventCount;
    Json plans = Json::array();
    for (const StrId p : s.executionPlanIds)
        plans.push_back(std::string(m.str(p)));
    out["execution_plan_ids"] = std::move(plans);
    Json timeline = Json::array();
    for (const std::uint32_t i : m.traceEvents(s.trace))
        timeline.push_back(timelineEntry(m, m.event(i)));
    out["timeline"] = std::move(timeline);
    out["schema_versions_observed"] = schemaVersions(m, s);
    out["provenance_summary"] = trustMap(m, s);
    SummaryFields f = summaryFields(m, s);
    putIfSet(out, "final_decision", f.finalDecision);
    putIfSet(out, "final_reason", f.finalReason);
    putSummaryTail(out, f);
    return out;
}

Json summary(const ReplayModel& m, const TraceSummary& s)
{
    Json out = objectFor(32);
    out["trace_id"] = std::string(m.str(s.traceId));
    out["event_count"] = s.eventCount;
    SummaryFields f = summaryFields(m, s);
    putIfSet(out, "final_decision", f.finalDecision);
    putIfSet(out, "tool_name", f.toolName);
    putIfSet(out, "final_reason", f.finalReason);
    out["provenance_trust_summary"] = trustMap(m, s);
    out["schema_versions_observed"] = schemaVersions(m, s);
    putSummaryTail(out, f);
    return out;
}

Json listRow(const ReplayModel& m, const TraceSummary& s)
{
    Json out = Json::object();
    SummaryFields f = summaryFields(m, s);
    out["trace_id"] = std::string(m.str(s.traceId));
    out["event_count"] = s.eventCount;
    out["final_decision"] = f.finalDecision;
    out["tool_name"] = f.toolName;
    out["final_reason"] = f.finalReason;
    out["provenance_trust_summary"] = trustMap(m, s);
    out["schema_versions_observed"] = schemaVersions(m, s);
    out["first_seen"] = strOrNull(m, m.event(static_cast<std::size_t>(s.firstEvent)).s(Field::Timestamp));
    out["last_seen"] = strOrNull(m, m.event(static_cast<std::size_t>(s.lastEvent)).s(Field::Timestamp));
    if (!f.planId.is_null() || !f.usageSummary.is_null() || !f.protocol.is_null() || !f.agentId.is_null()) {
        out["plan_id"] = f.planId;
        out["intent"] = f.intent;
        out["risk_level"] = f.riskLevel;
        out["requested_capabilities"] = f.requestedCaps;
        out["step_count"] = f.stepCount;
        out["agent_id"] = f.agentId;
        out["agent_trust_level"] = f.agentTrust;
        out["agent_environment"] = f.agentEnv;
        out["protocol"] = f.protocol;
        out["client_id"] = f.clientId;
        out["server_name"] = f.serverName;
        out["capability"] = f.capability;
        out["budget_status"] = f.budgetStatus;
        out["usage_summary"] = f.usageSummary;
        out["violations"] = f.violations;
    }
    return out;
}

Json evidence(const ReplayModel& m, const TraceSummary& s, const InTraceDiff& d, const std::string& generatedAt)
{
    const SummaryFields f = summaryFields(m, s);
    const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
    Json out = objectFor(32);
    out["trace_id"] = std::string(m.str(s.traceId));
    out["generated_at"] = generatedAt;
    out["agent_identity"] = {{"agent_id", f.agentId},
                             {"agent_name", strOrNull(m, last.s(Field::AgentName))},
                             {"trust_level", f.agentTrust},
                             {"environment", f.agentEnv}};
    out["plan_summary"] = {{"plan_id", f.planId},
                           {"intent", f.intent},
                           {"risk_level", f.riskLevel},
                           {"requested_capabilities", f.requestedCaps},
                           {"step_count", f.stepCount}};
    out["policy_decision"] = {{"final_decision", f.finalDecision}, {"final_reason", f.finalReason}};
    // the budget object is not in the index: read it from the event's own bytes
    Json budget;
    if (s.budgetEvent >= 0) {
        if (const auto j = parseEventJson(m, m.event(static_cast<std::size_t>(s.budgetEvent))); j && j->is_object()) {
            if (j->contains("runtime_budget"))
                budget = (*j)["runtime_budget"];
            else if (j->contains("context") && (*j)["context"].is_object() && (*j)["context"].contains("runtime_budget"))
                budget = (*j)["context"]["runtime_budget"];
        }
    }
    Json violations = Json::array();
    for (const StrId v : s.violations)
        violations.push_back(std::string(m.str(v)));
    out["runtime_budget_usage"] = {{"budget_status", f.budgetStatus},
                                   {"budget", budget},
                                   {"usage", f.usageSummary},
                                   {"violations", violations}};
    out["provenance_summary"] = trustMap(m, s);
    out["replay_timeline_summary"] = {
        {"event_count", s.eventCount},
        {"first_seen", strOrNull(m, m.event(static_cast<std::size_t>(s.firstEvent)).s(Field::Timestamp))},
        {"last_seen", strOrNull(m, last.s(Field::Timestamp))},
        {"schema_versions_observed", schemaVersions(m, s)}};
    Json replayDiff = diff(d, true);
    out["final_governance_result"] = replayDiff.value("governance_result", Json());
    out["replay_diff_summary"] = std::move(replayDiff);
    return out;
}

Json diff(const InTraceDiff& d, bool keepNulls)
{
    Json out = Json::object();
    auto put = [&](const char* key, Json v) {
        if (keepNulls || !v.is_null())
            out[key] = std::move(v);
    };
    put("trace_id", std::string(d.traceId));
    put("plan_id", strOrNull(d.planId));
    put("planned_tool", strOrNull(d.plannedTool));
    put("planned_intent", strOrNull(d.plannedIntent));
    Json caps = Json::array();
    for (const std::string_view c : d.plannedCapabilities)
        caps.push_back(std::string(c));
    out["planned_capabilities"] = std::move(caps);
    put("planned_risk_level", strOrNull(d.plannedRiskLevel));
    put("policy_decision", strOrNull(d.policyDecision));
    put("execution_outcome", std::string(d.executionOutcome()));
    put("governance_result", d.governanceResult);
    Json mismatches = Json::array();
    for (const Mismatch& mm : d.mismatches)
        mismatches.push_back(Json{{"type", mm.type},
                                  {"expected", mm.expected},
                                  {"actual", mm.actual},
                                  {"severity", mm.severity},
                                  {"reason", mm.reason}});
    out["mismatches"] = std::move(mismatches);
    Json violations = Json::array();
    for (const std::string_view v : d.violations)
        violations.push_back(std::string(v));
    out["violations"] = std::move(violations);
    put("summary", d.summary);
    return out;
}

std::vector<std::size_t> listTraces(const ReplayModel& m, const std::vector<TraceSummary>& summaries,
                                    const ListFilter& filter)
{
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        const TraceSummary& s = summaries[i];
        const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
        if (filter.decision && (last.s(Field::Decision) == kNoStr || m.str(last, Field::Decision) != *filter.decision))
            continue;
        if (filter.tool && (last.s(Field::ToolName) == kNoStr || m.str(last, Field::ToolName) != *filter.tool))
            continue;
        if (filter.trust && std::none_of(s.trustCounts.begin(), s.trustCounts.end(), [&](const TrustCount& t) {
                return m.str(t.trust) == *filter.trust;
            }))
            continue;
        rows.push_back(i);
    }
    auto lastSeen = [&](std::size_t i) {
        return m.str(m.event(static_cast<std::size_t>(summaries[i].lastEvent)), Field::Timestamp);
    };
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) { return lastSeen(a) > lastSeen(b); });
    if (rows.size() > filter.limit)
        rows.resize(filter.limit);
    return rows;
}

Json list(const ReplayModel& m, const std::vector<TraceSummary>& summaries, const std::vector<std::size_t>& rows,
          std::size_t limit)
{
    Json traces = Json::array();
    for (const std::size_t i : rows)
        traces.push_back(listRow(m, summaries[i]));
    Json out = objectFor(3);
    out["traces"] = std::move(traces);
    out["count"] = rows.size();
    out["limit"] = limit;
    return out;
}

std::string dump(const Json& j)
{
    return j.dump(2, ' ', true, Json::error_handler_t::replace) + "\n";
}

std::string dumpSorted(const Json& j)
{
    const nlohmann::json sorted = nlohmann::json::parse(j.dump());
    return sorted.dump(2, ' ', true, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace rw::upstream
