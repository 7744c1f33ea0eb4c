#pragma once

// Governance metrics (governance.h) as time series for a chart: one counter,
// over a window, in buckets of an hour (a day past two weeks, a week past a
// year), in total or broken down by agent, tool or tenant (the largest
// series first, the rest summed as one). And the counts as CSV, the same for
// the CLI's --metrics --csv and the workbench's export.
#include "replay/analysis/governance.h"

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

namespace rw::analysis {

enum class GovernanceBreakdown : std::uint8_t { Total, Agent, Tool, Tenant };

struct GovernanceSeries
{
    std::string name;                 // the agent, tool or tenant ("" for none); "Total"
    bool rest = false;                // the series past maxSeries, summed
    std::vector<std::int64_t> values; // one per bucket
    std::int64_t total = 0;
};

struct GovernanceChartData
{
    std::int64_t firstUs = 0;  // the first bucket's start (UTC)
    std::int64_t bucketUs = 0; // an hour, a day or a week
    std::size_t buckets = 0;
    std::vector<GovernanceSeries> series; // largest total first, then the rest (none when nothing counted)
    std::int64_t undated = 0;             // counted without a time (not in any bucket)
    GovernanceBreakdown breakdown = GovernanceBreakdown::Total;
    bool empty() const { return buckets == 0; }
    std::int64_t bucketStart(std::size_t i) const { return firstUs + static_cast<std::int64_t>(i) * bucketUs; }
};

inline constexpr std::int64_t kHourMicros = 3600LL * 1000 * 1000;

// `counter` in [fromUs, toUs) (hours starting there), by `breakdown`, at most
// `maxSeries` series and one for the rest; the buckets span every hour with
// any count in the window, whatever the counter
GovernanceChartData governanceChart(const GovernanceCounts& counts, GovernanceCounter counter,
                                    GovernanceBreakdown breakdown, std::int64_t fromUs = INT64_MIN,
                                    std::int64_t toUs = INT64_MAX, std::size_t maxSeries = 6);

// The last hour with a count, as a bucket start; nullopt-like INT64_MIN when none.
std::int64_t lastCountedHour(const GovernanceCounts& counts);

// one line per row (hour, agent, tool, tenant, every counter), a header
// first; RFC 4180 quoting, and a cell that a spreadsheet would read as a
// formula (= + - @, tab, CR at its start) gets a leading '
std::string governanceCsv(const GovernanceCounts& counts);

} // namespace rw::analysis
