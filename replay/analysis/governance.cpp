#include "replay/analysis/governance.h"

#include "model/replaymodel.h"
#include "model/timestamp.h"
#include "model/vocabulary.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <unordered_map>

namespace rw::analysis {

namespace {

using C = GovernanceCounter;

constexpr std::int64_t kHourUs = 3600LL * 1000 * 1000;
constexpr std::int64_t kNoHour = INT64_MIN;

std::int64_t hourOf(std::int64_t timeUs)
{
    if (timeUs == kNoTime)
        return kNoHour;
    return timeUs >= 0 ? timeUs / kHourUs : (timeUs - kHourUs + 1) / kHourUs; // floor
}

// A bucket while one file is counted: views into the model and the hour as a
// number, so that a gigabyte of events costs no string and no formatting;
// each distinct bucket becomes a GovernanceKey once, at the end.
struct ViewKey
{
    std::int64_t hour = kNoHour;
    std::string_view agent, tool, tenant;
    bool operator==(const ViewKey& o) const
    {
        return hour == o.hour && agent == o.agent && tool == o.tool && tenant == o.tenant;
    }
};

struct ViewKeyHash
{
    std::size_t operator()(const ViewKey& k) const
    {
        const std::hash<std::string_view> h;
        std::size_t v = std::hash<std::int64_t>()(k.hour);
        for (const std::string_view s : {k.agent, k.tool, k.tenant})
            v = v * 0x9e3779b97f4a7c15ull + h(s);
        return v;
    }
};

class Local
{
public:
    void add(const ViewKey& key, GovernanceCounter c, std::int64_t n = 1)
    {
        if (n == 0)
            return;
        auto [it, added] = m_rows.try_emplace(key);
        if (added)
            it->second.fill(0);
        it->second[static_cast<std::size_t>(c)] += n;
    }

    // each bucket becomes its GovernanceKey once (the hour formatted, the
    // views copied) and is added to `into` whole
    void addTo(GovernanceCounts& into) const
    {
        std::unordered_map<std::int64_t, std::string> hours; // a file spans few hours: each formatted once
        for (const auto& [key, row] : m_rows) {
            GovernanceKey k;
            if (key.hour != kNoHour) {
                auto [hour, added] = hours.try_emplace(key.hour);
                if (added)
                    hour->second = formatTimestampUtc(key.hour * kHourUs).substr(0, 13); // "2026-03-05T14"
                k.hour = hour->second;
                if (!isGovernanceHour(k.hour))
                    continue; // as a part's reader leaves it out: the same counts either way
            }
            k.agent = std::string(key.agent);
            k.tool = std::string(key.tool);
            k.tenant = std::string(key.tenant);
            into.add(std::move(k), row);
        }
    }

private:
    // hashed, not ordered: `into` orders the buckets, and a file's steps look
    // their bucket up several times each
    std::unordered_map<ViewKey, GovernanceRow, ViewKeyHash> m_rows;
};

bool isDecision(Decision d)
{
    return d == Decision::Allowed || d == Decision::Blocked || d == Decision::RequireApproval;
}

C provenanceCounter(Trust t)
{
    switch (t) {
    case Trust::Trusted: return C::ProvenanceTrusted;
    case Trust::Internal: return C::ProvenanceInternal;
    case Trust::External: return C::ProvenanceExternal;
    case Trust::Unverified: return C::ProvenanceUnverified;
    default: return C::ProvenanceOther;
    }
}

// incidents and anomalies of a run, at its own bucket
void countRun(Local& out, const ViewKey& key, const RunAnalysis* run)
{
    if (!run)
        return;
    std::int64_t anomalies = 0;
    bool critical = false;
    for (const Anomaly& a : run->anomalies) {
        anomalies += a.severity >= Severity::Warn ? 1 : 0;
        critical = critical || a.severity == Severity::Critical;
    }
    out.add(key, C::ToolAnomalies, anomalies);
    out.add(key, C::RuntimeIncidents, critical ? 1 : 0);
}

// an interceptor event whose purpose is the decision (not the tool_allowed,
// tool_executed or final_output events that repeat it)
bool decidingEvent(std::string_view type)
{
    return type == "decision" || type == "policy_decision" || type == "mcp_policy_decision";
}

// `decides`: the event is a decision point when it carries a decision
void countEvent(Local& out, const ReplayModel& model, const EventRecord& rec, const ViewKey& key, bool decides)
{
    if (!decides)
        return;
    if (isDecision(rec.decision)) {
        out.add(key, C::DecisionPoints);
        out.add(key, C::Blocked, rec.decision == Decision::Blocked ? 1 : 0);
        out.add(key, C::ApprovalRequired, rec.decision == Decision::RequireApproval ? 1 : 0);
    }
    // the provenance the decision weighed (every event of a plan repeats it: counted once, here)
    for (const ProvenanceItem& p : model.provenance(rec))
        out.add(key, provenanceCounter(trustFromText(model.str(p.trustLevel))));
}

ViewKey keyOf(const ReplayModel& model, const EventRecord& rec)
{
    ViewKey k;
    k.hour = hourOf(rec.timeUs);
    k.agent = model.str(rec, rec.s(Field::AgentId) != kNoStr ? Field::AgentId : Field::AgentName);
    k.tool = model.str(rec, Field::ToolName);
    k.tenant = model.str(rec, Field::TenantId);
    return k;
}

void countRuns(Local& out, const ReplayModel& model, const std::vector<RunAnalysis>& runs)
{
    std::vector<std::vector<std::uint32_t>> stepsOf(model.runs().size());
    for (std::size_t i = 0; i < model.runSteps().size(); ++i)
        stepsOf[model.runSteps()[i].run].push_back(static_cast<std::uint32_t>(i));
    for (std::size_t r = 0; r < model.runs().size(); ++r) {
        const RunInfo& info = model.runs()[r];
        ViewKey runKey;
        runKey.agent = model.str(info.agentId);
        // the run's bucket: its first step's time, as the trace list's first_seen
        // (so that the traces behind a count are found by it), else its start
        std::int64_t first = kNoTime;
        bool everyStepRead = true, gapless = true;
        std::int64_t position = 0;
        for (const std::uint32_t s : stepsOf[r]) {
            const RunStep& step = model.runSteps()[s];
            const EventRecord& rec = model.event(step.event);
            if (rec.timeUs != kNoTime && (first == kNoTime || rec.timeUs < first))
                first = rec.timeUs;
            everyStepRead = everyStepRead && !rec.has(EventFlag::Rejected);
            gapless = gapless && step.has(RunStepFlag::StepIndexGiven) && step.stepIndex == position;
            ++position;
            if (rec.has(EventFlag::Rejected))
                continue;
            const ViewKey key = keyOf(model, rec);
            countEvent(out, model, rec, key, true); // a run step is its own decision point
            out.add(key, C::Plans);                  // and its own plan
            out.add(key, C::BlockedPlans, rec.decision == Decision::Blocked ? 1 : 0);
        }
        runKey.hour = hourOf(first != kNoTime ? first : info.startedUs);
        out.add(runKey, C::Traces);
        const bool completed = info.status != kNoStr && model.str(info.status) == "completed";
        out.add(runKey, C::ReplayableTraces, everyStepRead && completed && position > 0 ? 1 : 0);
        out.add(runKey, C::ReconstructableTraces, gapless && position > 0 ? 1 : 0);
        countRun(out, runKey, r < runs.size() ? &runs[r] : nullptr);
    }
}

struct Plan
{
    ViewKey key;
    bool announced = false; // its plan event
    bool executed = false;  // tool_executed or tool_blocked
    Decision last = Decision::None;
};

void countTraces(Local& out, const ReplayModel& model, const std::vector<RunAnalysis>& runs)
{
    for (std::size_t t = 0; t < model.traceCount(); ++t) {
        const auto events = model.traceEvents(t);
        std::unordered_map<std::string_view, Plan> plans;
        ViewKey traceKey;
        bool first = true, everyEventPlaced = true;
        std::vector<std::string_view> planOfEvent;
        for (const std::uint32_t e : events) {
            const EventRecord& rec = model.event(e);
            if (rec.has(EventFlag::Rejected))
                continue;
            const ViewKey key = keyOf(model, rec);
            if (first) {
                traceKey = key;
                traceKey.tool = {};
                first = false;
            }
            const std::string_view type = model.str(rec, Field::EventType);
            countEvent(out, model, rec, key, decidingEvent(type));
            std::string_view planId = model.str(rec, Field::ExecutionPlanId);
            if (planId.empty())
                planId = model.str(rec, Field::PlanId);
            planOfEvent.push_back(planId);
            if (planId.empty())
                continue; // the trace as a whole (a final output)
            Plan& plan = plans.try_emplace(planId, Plan{key}).first->second; // the bucket of its first event
            plan.announced = plan.announced || type == "plan";
            plan.executed = plan.executed || type == "tool_executed" || type == "tool_blocked";
            if (decidingEvent(type) && isDecision(rec.decision))
                plan.last = rec.decision; // what the policy decided, not what later events repeat
        }
        if (first)
            continue; // nothing read
        bool replayable = !plans.empty();
        for (auto& [id, plan] : plans) {
            out.add(plan.key, C::Plans);
            out.add(plan.key, C::BlockedPlans, plan.last == Decision::Blocked ? 1 : 0);
            // complete: announced, decided, and executed unless the decision stopped it
            replayable = replayable && plan.announced && plan.last != Decision::None &&
                         (plan.executed || plan.last == Decision::Blocked || plan.last == Decision::RequireApproval);
        }
        for (const std::string_view id : planOfEvent)
            everyEventPlaced = everyEventPlaced && (id.empty() || plans[id].announced);
        out.add(traceKey, C::Traces);
        out.add(traceKey, C::ReplayableTraces, replayable ? 1 : 0);
        out.add(traceKey, C::ReconstructableTraces, everyEventPlaced && !plans.empty() ? 1 : 0);
        countRun(out, traceKey, t < runs.size() ? &runs[t] : nullptr);
    }
}

} // namespace

const char* governanceCounterName(GovernanceCounter c)
{
    static const char* const kNames[] = {"decision_points",       "blocked",
                                         "approval_required",     "execution_plans",
                                         "blocked_plans",         "provenance_trusted",
                                         "provenance_internal",   "provenance_external",
                                         "provenance_unverified", "provenance_other",
                                         "traces",                "replayable_traces",
                                         "reconstructable_traces", "runtime_incidents",
                                         "tool_execution_anomalies"};
    static_assert(std::size(kNames) == kGovernanceCounters);
    return kNames[static_cast<std::size_t>(c)];
}

bool isGovernanceHour(const std::string& h)
{
    if (h.size() != 13 || h[4] != '-' || h[7] != '-' || h[10] != 'T')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12})
        if (h[i] < '0' || h[i] > '9')
            return false;
    return true;
}

void GovernanceCounts::add(const GovernanceKey& key, GovernanceCounter c, std::int64_t n)
{
    if (n == 0)
        return;
    auto [it, added] = rows.try_emplace(key);
    if (added)
        it->second.fill(0);
    std::int64_t& v = it->second[static_cast<std::size_t>(c)];
    if (__builtin_add_overflow(v, n, &v)) // counts from many parts: saturate, never wrap
        v = n > 0 ? INT64_MAX : INT64_MIN;
}

void GovernanceCounts::add(GovernanceKey key, const GovernanceRow& row)
{
    auto [it, added] = rows.try_emplace(std::move(key), row);
    if (added)
        return;
    for (std::size_t i = 0; i < kGovernanceCounters; ++i)
        if (__builtin_add_overflow(it->second[i], row[i], &it->second[i]))
            it->second[i] = row[i] > 0 ? INT64_MAX : INT64_MIN;
}

void GovernanceCounts::merge(const GovernanceCounts& other)
{
    if (rows.empty()) {
        rows = other.rows;
        return;
    }
    for (const auto& [key, row] : other.rows)
        add(key, row);
}

void GovernanceCounts::dropZeroRows()
{
    std::erase_if(rows, [](const auto& entry) {
        return std::all_of(entry.second.begin(), entry.second.end(), [](std::int64_t v) { return v == 0; });
    });
}

GovernanceRow GovernanceCounts::total() const
{
    GovernanceRow sum{};
    for (const auto& [key, row] : rows)
        for (std::size_t i = 0; i < kGovernanceCounters; ++i)
            if (__builtin_add_overflow(sum[i], row[i], &sum[i]))
                sum[i] = INT64_MAX;
    return sum;
}

void addGovernance(GovernanceCounts& into, const ReplayModel& model, const std::vector<RunAnalysis>& runs)
{
    Local local;
    if (!model.runs().empty())
        countRuns(local, model, runs);
    else
        countTraces(local, model, runs);
    local.addTo(into);
}

GovernanceCounts countGovernance(const ReplayModel& model, const std::vector<RunAnalysis>& runs)
{
    GovernanceCounts out;
    addGovernance(out, model, runs);
    return out;
}

} // namespace rw::analysis
