#pragma once

#include "model/intracediff.h"
#include "model/replaymodel.h"
#include "model/tracesummary.h"

#include <string>
#include <vector>

namespace rw {

// Plain-text renderings for the CLI. The timeline and summary layouts are
// upstream's `aisecops-replay` layouts (reference §2.4), byte for byte.
std::string timelineText(const ReplayModel& model, const TraceSummary& summary);
std::string summaryText(const ReplayModel& model, const TraceSummary& summary);
std::string diffText(const InTraceDiff& diff);
std::string listText(const ReplayModel& model, const std::vector<TraceSummary>& summaries,
                     const std::vector<std::size_t>& rows);
std::string statsText(const ReplayModel& model, double totalSeconds);

} // namespace rw
