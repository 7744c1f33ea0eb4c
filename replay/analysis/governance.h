#pragma once

// Seed 002's operational metrics of a governance deployment, counted over
// any input (interceptor audit logs and run traces alike) in buckets of one
// hour (UTC) and one agent, tool and tenant, so that counts from many files
// (and many machines) add up. Definitions (docs/analysis.md, "Governance
// metrics"):
//  - decision points: events that carry a decision allowed, blocked or
//    require_approval (interceptor decisions; run steps that were allowed or
//    denied); blocked and approval-required are those among them;
//  - execution plans and blocked plans: distinct plan ids of a trace, blocked
//    when the plan's last decision is blocked (a run step is a plan);
//  - provenance trust: provenance items by trust level;
//  - per trace (bucket of its first event, its agent, tool "", its tenant):
//    traces; replayable ones (every plan has its plan, decision and execution
//    events, or a decision that blocked it; a run: every step read and a
//    completed status); reconstructable ones (every event names a plan the
//    trace announces, or belongs to the trace as a whole; a run: step indexes
//    0..n-1 without a gap); runtime incidents (a critical anomaly); tool
//    execution anomalies (anomalies at warn or above).
// Policy drift needs a second policy (--policy --diff) and is not counted here.
#include "replay/analysis/anomaly.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace rw {
class ReplayModel;
}

namespace rw::analysis {

enum class GovernanceCounter : std::uint8_t {
    DecisionPoints,
    Blocked,
    ApprovalRequired,
    Plans,
    BlockedPlans,
    ProvenanceTrusted,
    ProvenanceInternal,
    ProvenanceExternal,
    ProvenanceUnverified,
    ProvenanceOther,
    Traces,
    ReplayableTraces,
    ReconstructableTraces,
    RuntimeIncidents,
    ToolAnomalies,
    Count
};
inline constexpr std::size_t kGovernanceCounters = static_cast<std::size_t>(GovernanceCounter::Count);
const char* governanceCounterName(GovernanceCounter c); // decision_points, blocked, ...
// "2026-03-05T14": a bucket's hour as counts carry it (a year past 9999 has none)
bool isGovernanceHour(const std::string& hour);

struct GovernanceKey
{
    std::string hour; // "2026-03-05T14" (UTC), "" when the time is unknown
    std::string agent, tool, tenant;
    auto tie() const { return std::tie(hour, agent, tool, tenant); }
    bool operator<(const GovernanceKey& o) const { return tie() < o.tie(); }
    bool operator==(const GovernanceKey& o) const { return tie() == o.tie(); }
};

using GovernanceRow = std::array<std::int64_t, kGovernanceCounters>;

struct GovernanceCounts
{
    std::map<GovernanceKey, GovernanceRow> rows;
    void add(const GovernanceKey& key, GovernanceCounter c, std::int64_t n = 1);
    void add(GovernanceKey key, const GovernanceRow& row); // every counter of a bucket
    void merge(const GovernanceCounts& other);
    GovernanceRow total() const;
    void dropZeroRows(); // buckets whose every counter is 0 (after a correction)
};

// The counts of one loaded file; `runs` its analysis (analyzeModel, same order)
GovernanceCounts countGovernance(const ReplayModel& model, const std::vector<RunAnalysis>& runs);
// the same counts added to `into` (a batch worker's sum over its files): one
// lookup per bucket of the file, no counts of the file on their own
void addGovernance(GovernanceCounts& into, const ReplayModel& model, const std::vector<RunAnalysis>& runs);

} // namespace rw::analysis
