#pragma once

// Fleet-wide views of many runs (reference §3.11 `fleet`): the agents ×
// permissions matrix in a time window, grants never used (over-provisioning)
// and permissions escalated often enough that the baseline probably needs
// them (the seed's "a baseline grant that needs updating").
#include "replay/analysis/anomaly.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rw::analysis {

struct FleetOptions
{
    std::int64_t fromUs = 0;  // runs started at or after (0: no bound)
    std::int64_t toUs = 0;    // and before (0: no bound)
    std::int64_t minEscalatedRuns = 5;
    double minEscalatedShare = 0.25; // of the agent's runs in the window
};

struct HeatCell
{
    std::string agent, permission;
    std::int64_t uses = 0;          // steps that used it
    std::int64_t runs = 0;          // runs that used it
    std::int64_t escalatedRuns = 0; // runs where it was outside the baseline
};

struct OverProvisioned
{
    std::string agent, permission;
    std::int64_t grantedRuns = 0; // runs that held it (baseline or recorded grant)
    std::int64_t usedRuns = 0;    // always 0: granted, never used in the window
};

struct FrequentEscalation
{
    std::string agent, permission;
    std::int64_t escalatedRuns = 0;
    std::int64_t agentRuns = 0;
    double share = 0;
};

struct FleetSummary
{
    std::int64_t runs = 0; // in the window
    std::int64_t skipped = 0; // outside it, or without a start time when a window is given
    std::vector<HeatCell> cells;            // by agent, then permission
    std::vector<OverProvisioned> overProvisioned;
    std::vector<FrequentEscalation> frequentEscalations; // by share, highest first
};

FleetSummary summarizeFleet(const std::vector<RunAnalysis>& runs, const FleetOptions& options);

} // namespace rw::analysis
