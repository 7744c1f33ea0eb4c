#include "model/workspace.h"

#include <algorithm>
#include <array>
#include <thread>

namespace rw {

namespace {

constexpr std::array<std::string_view, 9> kStages = {"plan",  "evaluate", "decision", "execute", "mcp_policy",
                                                     "policy", "input",    "output",   "llm"};

} // namespace

std::uint16_t stageBit(std::string_view stage)
{
    for (std::size_t i = 0; i < kStages.size(); ++i)
        if (kStages[i] == stage)
            return static_cast<std::uint16_t>(1u << i);
    return 0;
}

void Workspace::addFile(std::unique_ptr<ReplayModel> model)
{
    addFile(std::shared_ptr<const ReplayModel>(std::move(model)));
}

void Workspace::addFileFrom(const Workspace& other, std::size_t file)
{
    const auto fileIndex = static_cast<std::uint32_t>(m_files.size());
    m_files.push_back(other.m_files[file]);
    // a file's rows are one run in the order its traces were added
    for (std::size_t i = 0; i < other.m_rows.size(); ++i) {
        if (other.m_rows[i].file != file)
            continue;
        m_rows.push_back(other.m_rows[i]);
        m_rows.back().file = fileIndex;
        m_summaries.push_back(other.m_summaries[i]);
    }
}

void Workspace::addFile(std::shared_ptr<const ReplayModel> model)
{
    addRows(std::move(model), {});
}

void Workspace::addExtendedFile(std::shared_ptr<const ReplayModel> model, const Workspace& previous,
                                std::size_t previousFile, std::size_t keptEvents)
{
    // A trace whose events all are kept records and that gained none has the
    // row it had: only the traces the new lines touched are summed up again.
    std::vector<std::int64_t> reuse(model->traceCount(), -1);
    for (std::size_t i = 0; i < previous.m_rows.size(); ++i) {
        const TraceRow& r = previous.m_rows[i];
        if (r.file != previousFile || r.trace >= reuse.size())
            continue;
        const std::span<const std::uint32_t> events = model->traceEvents(r.trace);
        if (events.size() == r.events && !events.empty() && events.back() < keptEvents)
            reuse[r.trace] = static_cast<std::int64_t>(i);
    }
    addRows(std::move(model), {&previous, std::move(reuse)});
}

void Workspace::addRows(std::shared_ptr<const ReplayModel> model, Reuse reuse)
{
    const auto fileIndex = static_cast<std::uint32_t>(m_files.size());
    const ReplayModel& m = *model;
    std::vector<TraceSummary> summaries(m.traceCount());
    std::vector<TraceRow> rows(summaries.size());

    auto fill = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            TraceRow& r = rows[i];
            if (reuse.previous && reuse.rows[i] >= 0) {
                const auto was = static_cast<std::size_t>(reuse.rows[i]);
                r = reuse.previous->m_rows[was];
                r.file = fileIndex;
                summaries[i] = reuse.previous->m_summaries[was];
                // the one view into the model's bytes: to this model's
                TraceSummary& s = summaries[i];
                if (s.budgetStatus && s.violations.empty() && s.usageEvent >= 0)
                    s.budgetStatus = m.str(m.event(static_cast<std::size_t>(s.usageEvent)), Field::BudgetStatus);
                continue;
            }
            summaries[i] = summarizeTrace(m, i);
            const TraceSummary& s = summaries[i];
            r.file = fileIndex;
            r.trace = static_cast<std::uint32_t>(i);
            r.traceId = s.traceId;
            const EventRecord& last = m.event(static_cast<std::size_t>(s.lastEvent));
            r.finalDecision = last.s(Field::Decision);
            r.decision = last.decision;
            r.finalReason = last.s(Field::Reason);
            r.tool = last.s(Field::ToolName);
            r.events = s.eventCount;
            r.diagnostics = static_cast<std::uint32_t>(s.diagnostics);
            r.violations = static_cast<std::uint32_t>(s.violations.size());
            r.firstSeenUs = s.minTimeUs;
            r.durationUs = s.durationUs();
            for (const TrustCount& t : s.trustCounts) {
                const Trust trust = trustFromText(m.str(t.trust));
                if (trustRank(trust) > trustRank(r.trust))
                    r.trust = trust;
            }
            if (s.usageEvent >= 0)
                r.budgetStatus = m.event(static_cast<std::size_t>(s.usageEvent)).s(Field::BudgetStatus);
            for (const std::uint32_t e : m.traceEvents(s.trace)) {
                const EventRecord& ev = m.event(e);
                if (ev.s(Field::AgentName) != kNoStr)
                    r.agentName = ev.s(Field::AgentName);
                if (ev.s(Field::AgentId) != kNoStr)
                    r.agentId = ev.s(Field::AgentId);
                if (ev.s(Field::AgentTrustLevel) != kNoStr)
                    r.agentTrust = ev.s(Field::AgentTrustLevel);
                if (ev.s(Field::TenantId) != kNoStr)
                    r.tenant = ev.s(Field::TenantId);
                r.stageMask |= stageBit(m.str(ev, Field::DecisionStage));
            }
            r.agentTrustLevel = r.agentTrust == kNoStr ? Trust::None : trustFromText(m.str(r.agentTrust));
            r.governance = computeInTraceDiff(m, s).governance;
        }
    };
    const unsigned threads = rows.size() < 2048 ? 1u : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> workers;
    const std::size_t per = (rows.size() + threads - 1) / threads;
    for (unsigned t = 1; t < threads; ++t)
        workers.emplace_back(fill, std::min(rows.size(), t * per), std::min(rows.size(), (t + 1) * per));
    fill(0, std::min(rows.size(), per));
    for (auto& w : workers)
        w.join();

    m_files.push_back(std::move(model));
    m_rows.insert(m_rows.end(), rows.begin(), rows.end());
    m_summaries.insert(m_summaries.end(), std::make_move_iterator(summaries.begin()),
                       std::make_move_iterator(summaries.end()));
}

std::uint64_t Workspace::totalEvents() const
{
    std::uint64_t n = 0;
    for (const auto& f : m_files)
        n += f->eventCount();
    return n;
}

std::uint64_t Workspace::totalDiagnostics() const
{
    std::uint64_t n = 0;
    for (const auto& f : m_files)
        for (const auto c : f->stats().diagnosticCounts)
            n += c;
    return n;
}

std::int64_t Workspace::findRow(std::string_view traceId) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (str(m_rows[i], m_rows[i].traceId) == traceId)
            return static_cast<std::int64_t>(i);
    return -1;
}

} // namespace rw
