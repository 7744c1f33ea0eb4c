#pragma once

// What run-trace analysis found in one trace, as the trace list and its
// filter language read it (`anomalies>0 worst:critical`). The analysis lives
// above the model (replay/analysis/workspaceanalysis.h) and arrives after the
// load; this is the plain part the model's filter can take.
#include <cstdint>
#include <string_view>

namespace rw {

struct RowAnomalies
{
    std::uint32_t count = 0;
    std::uint8_t worst = 0; // meaningful when count > 0: analysis::Severity's value (0 info, 1 warn, 2 critical)
    std::uint32_t critical = 0, warn = 0; // of `count` (the rest are info)
};

// "info", "warn", "critical"; "none" for a trace without anomalies
std::string_view rowWorstWord(const RowAnomalies& row);

} // namespace rw
