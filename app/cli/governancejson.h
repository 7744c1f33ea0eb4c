#pragma once

// Governance metrics (replay/analysis/governance.h) as they travel in a
// batch's parts (their rows, summed by the merge) and as report.json's
// `metrics` section (totals, coverage ratios, the rows by hour, agent, tool
// and tenant).
#include "replay/analysis/governance.h"

#include <nlohmann/json.hpp>

#include <string>

namespace rw {

nlohmann::ordered_json governanceRowsJson(const analysis::GovernanceCounts& counts);
// rows from a part: a row of the wrong shape is left out, never a crash
analysis::GovernanceCounts governanceFromJson(const nlohmann::ordered_json& rows);
nlohmann::ordered_json governanceReportJson(const analysis::GovernanceCounts& counts);
// (the CSV: analysis::governanceCsv, governanceseries.h)

} // namespace rw
