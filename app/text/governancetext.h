#pragma once

// The governance metrics as `--metrics` prints them: totals with their
// shares and coverage, then one line per agent.
#include "replay/analysis/governance.h"

#include <QString>

namespace rw {

QString governanceTable(const analysis::GovernanceCounts& counts);

// a counter's name for a chart or a menu ("Decision points", "Runtime incidents")
QString governanceCounterLabel(analysis::GovernanceCounter counter);
// one line of totals for the Governance Metrics window
QString governanceSummaryLine(const analysis::GovernanceCounts& counts);

} // namespace rw
