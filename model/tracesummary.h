#pragma once

#include "model/replaymodel.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rw {

struct TrustCount
{
    StrId trust = kNoStr;
    std::uint32_t count = 0;
};

// The summary of one trace, derived exactly as upstream's replay engine does
// (reference §2.2; order-dependent on purpose), plus our own fields. Event
// references are indexes of ReplayModel::event(), -1 when absent.
struct TraceSummary
{
    std::size_t trace = 0;
    StrId traceId = kNoStr;
    std::uint32_t eventCount = 0;
    std::int64_t firstEvent = -1;    // first_seen
    std::int64_t lastEvent = -1;     // final decision, tool, reason; last_seen
    std::int64_t planEvent = -1;     // first event with a plan_id
    std::int64_t identityEvent = -1; // last event with agent_id / trust / environment
    std::int64_t protocolEvent = -1; // last event with a protocol
    std::int64_t usageEvent = -1;    // last event with runtime_usage
    std::int64_t budgetEvent = -1;   // last event with runtime_budget (evidence)
    std::vector<TrustCount> trustCounts;    // every provenance item of every event, first-seen order
    std::vector<StrId> schemaVersions;      // distinct, first-seen; kNoStr shows as "legacy"
    std::vector<StrId> executionPlanIds;    // distinct non-null, first-seen
    std::vector<StrId> violations;          // union of runtime_violations, first-seen
    std::optional<std::string_view> budgetStatus;

    // ours
    std::int64_t minTimeUs = kNoTime;
    std::int64_t maxTimeUs = kNoTime;
    std::uint32_t distinctAgents = 0;
    std::uint32_t distinctTools = 0;
    std::uint64_t diagnostics = 0;
    // Run traces (reference §3.1): completed_at - started_at, or the first
    // step's start to the last step's end. Interceptor traces keep upstream's
    // first-to-last event time (kNoTime here).
    std::int64_t runDurationUs = kNoTime;

    std::int64_t durationUs() const
    {
        if (runDurationUs != kNoTime)
            return runDurationUs;
        return minTimeUs == kNoTime ? 0 : maxTimeUs - minTimeUs;
    }
};

TraceSummary summarizeTrace(const ReplayModel& model, std::size_t trace);

// Summaries of every trace, computed on all cores.
std::vector<TraceSummary> summarizeAll(const ReplayModel& model, unsigned threads = 0);

} // namespace rw
