#include "tracesummary.h"

#include <algorithm>
#include <thread>

namespace rw {

namespace {

template <typename T> void addDistinct(std::vector<T>& v, T value)
{
    if (std::find(v.begin(), v.end(), value) == v.end())
        v.push_back(value);
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

    std::vector<StrId> agents, tools;
    for (const std::uint32_t i : events) {
        const EventRecord& e = model.event(i);
        for (const ProvenanceItem& p : model.provenance(e)) {
            auto it = std::find_if(s.trustCounts.begin(), s.trustCounts.end(),
                                   [&](const TrustCount& t) { return t.trust == p.trustLevel; });
            if (it == s.trustCounts.end())
                s.trustCounts.push_back({p.trustLevel, 1});
            else
                ++it->count;
        }
        addDistinct(s.schemaVersions, e.s(Field::SchemaVersion));
        if (e.s(Field::ExecutionPlanId) != kNoStr)
            addDistinct(s.executionPlanIds, e.s(Field::ExecutionPlanId));
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
            addDistinct(s.violations, v);
        if (e.s(Field::AgentName) != kNoStr || e.s(Field::AgentId) != kNoStr)
            addDistinct(agents, e.s(Field::AgentId) != kNoStr ? e.s(Field::AgentId) : e.s(Field::AgentName));
        if (e.s(Field::ToolName) != kNoStr)
            addDistinct(tools, e.s(Field::ToolName));
        if (e.timeUs != kNoTime) {
            s.minTimeUs = s.minTimeUs == kNoTime ? e.timeUs : std::min(s.minTimeUs, e.timeUs);
            s.maxTimeUs = s.maxTimeUs == kNoTime ? e.timeUs : std::max(s.maxTimeUs, e.timeUs);
        }
    }
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
