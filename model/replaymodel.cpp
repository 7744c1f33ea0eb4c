#include "model/replaymodel.h"

#include <algorithm>
#include <chrono>

namespace rw {

ReplayModel::~ReplayModel()
{
    // the hashing thread reads the mapping: let it finish before unmapping
    // (a hash left for the first to ask, never asked for, has no thread)
    if (m_sha256.valid() && m_sha256.wait_for(std::chrono::seconds(0)) != std::future_status::deferred)
        m_sha256.wait();
}

std::optional<std::size_t> ReplayModel::findTrace(std::string_view traceId) const
{
    const StrId id = m_pool.find(traceId);
    if (id == kNoStr)
        return std::nullopt;
    // traces are few compared with events; a linear scan over ids is cheap
    for (std::size_t i = 0; i < m_traces.size(); ++i)
        if (m_traces[i].id == id)
            return i;
    return std::nullopt;
}

const RunStep* ReplayModel::runStep(std::size_t event) const
{
    // steps are in event order: a binary search, no per-record index
    const auto it = std::lower_bound(m_runSteps.begin(), m_runSteps.end(), event,
                                     [](const RunStep& s, std::size_t e) { return s.event < e; });
    return it != m_runSteps.end() && it->event == event ? &*it : nullptr;
}

std::int64_t ReplayModel::startTimeUs(std::size_t event) const
{
    const EventRecord& rec = this->event(event);
    if (rec.timeUs == kNoTime)
        return kNoTime;
    const RunStep* step = rec.has(EventFlag::RunStep) ? runStep(event) : nullptr;
    if (!step || step->durationMs == kNoNumber)
        return rec.timeUs;
    return stepStartUs(rec.timeUs, step->durationMs);
}

std::int64_t ReplayModel::runDurationUs(std::size_t run) const
{
    const RunInfo& info = m_runs[run];
    if (info.startedUs != kNoTime && info.completedUs != kNoTime)
        return info.completedUs - info.startedUs;
    std::int64_t first = kNoTime;
    std::int64_t last = kNoTime;
    for (const RunStep& step : m_runSteps) {
        if (step.run != run || event(step.event).timeUs == kNoTime)
            continue;
        const std::int64_t start = startTimeUs(step.event);
        first = first == kNoTime ? start : std::min(first, start);
        last = last == kNoTime ? event(step.event).timeUs : std::max(last, event(step.event).timeUs);
    }
    return first == kNoTime ? 0 : last - first;
}

bool ReplayModel::sha256Ready() const
{
    return m_sha256.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

double ReplayModel::sha256Seconds() const
{
    m_sha256.wait();
    return *m_sha256Seconds;
}

} // namespace rw
