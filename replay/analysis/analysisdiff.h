#pragma once

// Detector what-if: the same runs analysed under configuration A (the
// baseline) and B, anomalies matched by fingerprint (detector, rule, run,
// step, key; severity is not part of it), so a patched baseline grant, a new
// behavioural policy or a new exfiltration rule shows as anomalies that
// appear, vanish or change severity, and as policy checks whose result
// changes. The counterpart of the policy re-evaluation's replay-diff.
#include "replay/analysis/anomaly.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rw::analysis {

struct AnomalyChange
{
    enum class Kind : std::uint8_t { Appeared, Vanished, SeverityChanged } kind = Kind::Appeared;
    std::optional<Anomaly> before; // under A; none when it appeared
    std::optional<Anomaly> after;  // under B; none when it vanished
    const Anomaly& either() const { return after ? *after : *before; }
};

struct CheckChange
{
    std::string runId, agentId, policy, check, title;
    std::optional<CheckResult> before, after; // none: the check did not apply under that configuration
};

struct AnalysisDiff
{
    std::int64_t runs = 0;
    std::int64_t anomaliesBefore = 0, anomaliesAfter = 0, unchanged = 0;
    std::vector<AnomalyChange> changes; // run by run, in B's order, then A's leftovers
    std::vector<CheckChange> checkChanges;
    bool empty() const { return changes.empty() && checkChanges.empty(); }
};

// Adds the differences of one file's runs (the same runs, in the same order,
// under A and B) to `diff`.
void diffAnalyses(const std::vector<RunAnalysis>& before, const std::vector<RunAnalysis>& after, AnalysisDiff& diff);

} // namespace rw::analysis
