#include "model/tracesummary.h"

#include <algorithm>
#include <thread>
#include <unordered_map>

namespace rw {

namespace {

// Distinct values in first-seen order. A linear search while the list is
// short (most traces hold a handful), a hash index once it grows: a trace of
// 500k execution plans was quadratic (minutes) with the search alone.
class FirstSeen
{
public:
    explicit FirstSeen(std::vector<StrId>& out) : m_out(out) {}

    // the value's position in the list, appended when new
    std::size_t add(StrId value)
    {
        if (m_index.empty()) {
            const auto it = std::find(m_out.begin(), m_out.end(), value);
            if (it != m_out.end())
                return static_cast<std::size_t>(it - m_out.begin());
            m_out.push_back(value);
            if (m_out.size() > kShort)
                for (std::size_t i = 0; i < m_out.size(); ++i)
                    m_index.emplace(m_out[i], i);
            return m_out.size() - 1;
        }
        const auto [it, added] = m_index.try_emplace(value, m_out.size());
        if (added)
            m_out.push_back(value);
        return it->second;
    }

private:
    static constexpr std::size_t kShort = 16;
    std::vector<StrId>& m_out;
    std::unordered_map<StrId, std::size_t> m_index;
};

// A run's own clock when the trace is one run that has both times; else the
// span from the earliest step start to the latest step end.
std::int64_t runTraceDuration(const ReplayModel& model, std::span<const std::uint32_t> events)
{
    const RunStep* first = model.runStep(events.front());
    bool oneRun = first != nullptr;
    std::int64_t from = kNoTime;
    std::int64_t to = kNoTime;
    for (const std::uint32_t i : events) {
        const RunStep* step = model.runStep(i);
        oneRun = oneRun && step && step->run == first->run;
        const std::int64_t end = model.event(i).timeUs;
        if (end == kNoTime)
            continue;
        const std::int64_t start = model.startTimeUs(i);
        from = from == kNoTime ? start : std::min(from, start);
        to = to == kNoTime ? end : std::max(to, end);
    }
    if (oneRun) {
        const RunInfo& run = model.runs()[first->run];
        if (run.startedUs != kNoTime && run.completedUs != kNoTime)
            return run.completedUs - run.startedUs;
    }
    return from == kNoTime ? 0 : to - from;
}

} // namespace

TraceSummary summarizeTrace(const ReplayModel& model, std::size_t trace)
{
    TraceSummary s;
    s.trace = trace;
    s.traceId = model.trace(trace).id;
    const auto events = model.traceEvents(trace);
    s.eventCount = static_cast<std::uint32_t>(events.size());
    s.diagnostics = model.traceDiagnosticCount(trace);
    if (events.empty())
        return s;
    s.firstEvent = events.front();
    s.lastEvent = events.back();

    std::vector<StrId> agents, tools, trusts;
    FirstSeen agentSet(agents), toolSet(tools), trustSet(trusts), versionSet(s.schemaVersions),
        planSet(s.executionPlanIds), violationSet(s.violations);
    for (const std::uint32_t i : events) {
        const EventRecord& e = model.event(i);
        for (const ProvenanceItem& p : model.provenance(e)) {
            const std::size_t t = trustSet.add(p.trustLevel);
            if (t == s.trustCounts.size())
                s.trustCounts.push_back({p.trustLevel, 1});
            else
                ++s.trustCounts[t].count;
        }
        versionSet.add(e.s(Field::SchemaVersion));
        if (e.s(Field::ExecutionPlanId) != kNoStr)
            planSet.add(e.s(Field::ExecutionPlanId));
        if (s.planEvent < 0 && e.s(Field::PlanId) != kNoStr)
            s.planEvent = i;
        if (e.s(Field::AgentId) != kNoStr || e.s(Field::AgentTrustLevel) != kNoStr ||
            e.s(Field::AgentEnvironment) != kNoStr)
            s.identityEvent = i;
        if (e.s(Field::Protocol) != kNoStr)
            s.protocolEvent = i;
        if (e.has(EventFlag::HasRuntimeUsage))
            s.usageEvent = i;
        if (e.has(EventFlag::HasRuntimeBudget))
            s.budgetEvent = i;
        for (const StrId v : model.list(e.violations))
            violationSet.add(v);
        if (e.s(Field::AgentName) != kNoStr || e.s(Field::AgentId) != kNoStr)
            agentSet.add(e.s(Field::AgentId) != kNoStr ? e.s(Field::AgentId) : e.s(Field::AgentName));
        if (e.s(Field::ToolName) != kNoStr)
            toolSet.add(e.s(Field::ToolName));
        if (e.timeUs != kNoTime) {
            s.minTimeUs = s.minTimeUs == kNoTime ? e.timeUs : std::min(s.minTimeUs, e.timeUs);
            s.maxTimeUs = s.maxTimeUs == kNoTime ? e.timeUs : std::max(s.maxTimeUs, e.timeUs);
        }
    }
    if (!events.empty() && model.event(events.front()).has(EventFlag::RunStep))
        s.runDurationUs = runTraceDuration(model, events);
    if (!s.violations.empty())
        s.budgetStatus = "violated";
    else if (s.usageEvent >= 0 && model.event(static_cast<std::size_t>(s.usageEvent)).s(Field::BudgetStatus) != kNoStr)
        s.budgetStatus = model.str(model.event(static_cast<std::size_t>(s.usageEvent)), Field::BudgetStatus);
    s.distinctAgents = static_cast<std::uint32_t>(agents.size());
    s.distinctTools = static_cast<std::uint32_t>(tools.size());
    return s;
}

std::vector<TraceSummary> summarizeAll(const ReplayModel& model, unsigned threads)
{
    std::vector<TraceSummary> out(model.traceCount());
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    if (out.size() < 1024)
        threads = 1;
    std::vector<std::thread> workers;
    const std::size_t per = (out.size() + threads - 1) / std::max(1u, threads);
    auto work = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            out[i] = summarizeTrace(model, i);
    };
    for (unsigned t = 1; t < threads; ++t)
        workers.emplace_back(work, std::min(out.size(), t * per), std::min(out.size(), (t + 1) * per));
    work(0, std::min(out.size(), per));
    for (auto& w : workers)
        w.join();
    return out;
}

} // namespace rw
