#include "replay/compare/tracecompare.h"

#include "model/eventjson.h"

#include <algorithm>
#include <map>

namespace rw {

namespace {

std::string text(const ReplayModel& m, const EventRecord& e, Field f)
{
    return std::string(m.str(e, f));
}

// The events of one side, grouped into plans in first-seen order. Group 0
// holds the trace-level events (LLM input/output, events without a plan).
struct Plans
{
    std::vector<std::vector<std::uint32_t>> groups{1};
    std::vector<std::string> signature{1}; // the plan's tool, what plans align on
};

Plans groupPlans(const CompareSide& side)
{
    Plans p;
    const ReplayModel& m = *side.model;
    std::map<std::string, std::size_t, std::less<>> index;
    for (const std::uint32_t i : m.traceEvents(side.trace)) {
        const EventRecord& e = m.event(i);
        const std::string_view plan = m.str(e, Field::ExecutionPlanId);
        std::size_t g = 0;
        if (!plan.empty() && !e.has(EventFlag::RunStep)) {
            auto it = index.find(plan);
            if (it == index.end()) {
                it = index.emplace(std::string(plan), p.groups.size()).first;
                p.groups.emplace_back();
                p.signature.emplace_back();
            }
            g = it->second;
        }
        p.groups[g].push_back(i);
        if (g > 0 && p.signature[g].empty())
            p.signature[g] = text(m, e, Field::ToolName);
    }
    return p;
}

std::string stepKey(const ReplayModel& m, const EventRecord& e)
{
    if (e.has(EventFlag::RunStep))
        return "step " + text(m, e, Field::ToolName);
    std::string key = text(m, e, Field::EventType);
    const std::string stage = text(m, e, Field::DecisionStage);
    if (!stage.empty() && stage != key)
        key += " / " + stage;
    return key;
}

void setJsonKey(nlohmann::ordered_json& j, const char* key, nlohmann::ordered_json value)
{
    // write where the recorded event keeps it: top level, else its context
    if (!j.contains(key) && j.contains("context") && j["context"].is_object() && j["context"].contains(key))
        j["context"][key] = std::move(value);
    else
        j[key] = std::move(value);
}

} // namespace

const char* compareFieldName(CompareField field)
{
    static const char* const names[] = {"event_type", "decision_stage", "decision",   "tool_name",
                                        "matched_rule", "reason",       "risk_level", "agent",
                                        "agent_trust_level", "provenance", "requested_capabilities",
                                        "budget_status", "arguments"};
    static_assert(std::size(names) == kCompareFieldCount);
    return names[static_cast<std::size_t>(field)];
}

std::string compareValue(const CompareSide& side, std::uint32_t event, CompareField field)
{
    const ReplayModel& m = *side.model;
    const EventRecord& e = m.event(event);
    const auto o = side.overrides.find(event);
    const DecisionOverride* over = o == side.overrides.end() ? nullptr : &o->second;
    switch (field) {
    case CompareField::EventType:
        return text(m, e, Field::EventType);
    case CompareField::Stage:
        return text(m, e, Field::DecisionStage);
    case CompareField::Decision:
        return over ? over->decision : text(m, e, Field::Decision);
    case CompareField::Tool:
        return text(m, e, Field::ToolName);
    case CompareField::MatchedRule:
        return over ? over->matchedRule.value_or(std::string()) : text(m, e, Field::MatchedRule);
    case CompareField::Reason:
        return over ? over->reason : text(m, e, Field::Reason);
    case CompareField::Risk:
        return over && !over->risk.empty() ? over->risk : text(m, e, Field::RiskLevel);
    case CompareField::Agent: {
        std::string out = text(m, e, Field::AgentName);
        if (e.s(Field::AgentId) != kNoStr)
            out += (out.empty() ? "" : " ") + ("(" + text(m, e, Field::AgentId) + ")");
        return out;
    }
    case CompareField::AgentTrust:
        return text(m, e, Field::AgentTrustLevel);
    case CompareField::Provenance: {
        std::string out;
        for (const ProvenanceItem& p : m.provenance(e)) {
            out += out.empty() ? "" : ", ";
            out += std::string(m.str(p.sourceType)) + ":" + std::string(m.str(p.sourceName)) + "=" +
                   std::string(m.str(p.trustLevel));
        }
        return out;
    }
    case CompareField::Capabilities: {
        std::string out;
        for (const StrId c : m.list(e.requestedCaps))
            out += (out.empty() ? "" : ", ") + std::string(m.str(c));
        return out;
    }
    case CompareField::Budget:
        return text(m, e, Field::BudgetStatus);
    case CompareField::Arguments:
        return text(m, e, Field::Arguments);
    case CompareField::Count:
        break;
    }
    return {};
}

std::vector<std::pair<std::size_t, std::size_t>> alignSequences(const std::vector<std::string>& a,
                                                                const std::vector<std::string>& b,
                                                                std::size_t maxCells)
{
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head]) {
        out.emplace_back(head, head);
        ++head;
    }
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
        ++tail;
    const std::size_t n = a.size() - head - tail, k = b.size() - head - tail;
    if (n > 0 && k > 0 && n * k <= maxCells) {
        // classic DP table over the middle: lengths of the longest common suffixes
        std::vector<std::uint32_t> len((n + 1) * (k + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (k + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = k; j-- > 0;)
                at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n && j < k) {
            if (a[head + i] == b[head + j]) {
                out.emplace_back(head + i, head + j);
                ++i;
                ++j;
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                ++i;
            } else {
                ++j;
            }
        }
    }
    for (std::size_t t = tail; t-- > 0;)
        out.emplace_back(a.size() - 1 - t, b.size() - 1 - t);
    return out;
}

TraceComparison compareTraces(const CompareSide& left, const CompareSide& right)
{
    TraceComparison out;
    const Plans lp = groupPlans(left), rp = groupPlans(right);
    out.leftPlans = lp.groups.size() - 1;
    out.rightPlans = rp.groups.size() - 1;

    auto addRow = [&](int lPlan, int rPlan, std::int64_t l, std::int64_t r, const std::string& step) {
        CompareRow row;
        row.leftPlan = lPlan;
        row.rightPlan = rPlan;
        row.left = l;
        row.right = r;
        for (std::size_t f = 0; f < kCompareFieldCount; ++f) {
            if (l >= 0)
                row.leftValues[f] = compareValue(left, static_cast<std::uint32_t>(l), static_cast<CompareField>(f));
            if (r >= 0)
                row.rightValues[f] = compareValue(right, static_cast<std::uint32_t>(r), static_cast<CompareField>(f));
            if (l >= 0 && r >= 0 && row.leftValues[f] != row.rightValues[f])
                row.changedFields |= 1u << f;
        }
        row.step = step;
        row.change = l < 0 ? RowChange::Added : r < 0 ? RowChange::Removed : row.changedFields ? RowChange::Changed : RowChange::Same;
        switch (row.change) {
        case RowChange::Same: ++out.same; break;
        case RowChange::Changed: ++out.changed; break;
        case RowChange::Removed: ++out.removed; break;
        case RowChange::Added: ++out.added; break;
        }
        out.rows.push_back(std::move(row));
    };

    // the steps of two paired plans (either may be absent: -1)
    auto alignPlan = [&](std::int64_t l, std::int64_t r) {
        static const std::vector<std::uint32_t> none;
        const auto& le = l >= 0 ? lp.groups[static_cast<std::size_t>(l)] : none;
        const auto& re = r >= 0 ? rp.groups[static_cast<std::size_t>(r)] : none;
        std::vector<std::string> lk, rk;
        for (const std::uint32_t i : le)
            lk.push_back(stepKey(*left.model, left.model->event(i)));
        for (const std::uint32_t i : re)
            rk.push_back(stepKey(*right.model, right.model->event(i)));
        const int lPlan = static_cast<int>(std::max<std::int64_t>(l, 0)), rPlan = static_cast<int>(std::max<std::int64_t>(r, 0));
        std::size_t i = 0, j = 0;
        auto pairs = alignSequences(lk, rk);
        pairs.emplace_back(lk.size(), rk.size()); // sentinel: flush the rest
        for (const auto& [pi, pj] : pairs) {
            for (; i < pi; ++i)
                addRow(lPlan, rPlan, le[i], -1, lk[i]);
            for (; j < pj; ++j)
                addRow(lPlan, rPlan, -1, re[j], rk[j]);
            if (pi < lk.size() && pj < rk.size()) {
                addRow(lPlan, rPlan, le[pi], re[pj], lk[pi]);
                i = pi + 1;
                j = pj + 1;
            }
        }
    };

    alignPlan(lp.groups[0].empty() ? -1 : 0, rp.groups[0].empty() ? -1 : 0);
    const std::vector<std::string> ls(lp.signature.begin() + 1, lp.signature.end());
    const std::vector<std::string> rs(rp.signature.begin() + 1, rp.signature.end());
    auto pairs = alignSequences(ls, rs);
    pairs.emplace_back(ls.size(), rs.size());
    std::size_t i = 0, j = 0;
    for (const auto& [pi, pj] : pairs) {
        // unmatched plans between two matches are paired in order, like a diff pairs changed lines
        while (i < pi && j < pj)
            alignPlan(static_cast<std::int64_t>(++i), static_cast<std::int64_t>(++j));
        while (i < pi)
            alignPlan(static_cast<std::int64_t>(++i), -1);
        while (j < pj)
            alignPlan(-1, static_cast<std::int64_t>(++j));
        if (pi < ls.size() && pj < rs.size()) {
            alignPlan(static_cast<std::int64_t>(pi + 1), static_cast<std::int64_t>(pj + 1));
            i = pi + 1;
            j = pj + 1;
        }
    }
    return out;
}

std::optional<nlohmann::ordered_json> sideEventJson(const CompareSide& side, std::uint32_t event, std::string* error)
{
    auto json = parseEventJson(*side.model, side.model->event(event), error);
    const auto o = side.overrides.find(event);
    if (!json || !json->is_object() || o == side.overrides.end())
        return json;
    const DecisionOverride& d = o->second;
    setJsonKey(*json, "decision", d.decision);
    setJsonKey(*json, "reason", d.reason);
    setJsonKey(*json, "matched_rule", d.matchedRule ? nlohmann::ordered_json(*d.matchedRule) : nlohmann::ordered_json());
    if (!d.risk.empty())
        setJsonKey(*json, "risk_level", d.risk);
    return json;
}

} // namespace rw
