#pragma once

// The governance metrics as `--metrics` prints them: totals with their
// shares and coverage, then one line per agent.
#include "replay/analysis/governance.h"

#include <QString>

namespace rw {

QString governanceTable(const analysis::GovernanceCounts& counts);

} // namespace rw
