#pragma once

#include "replay/compare/tracecompare.h"
#include "replay/policy/workspacereevaluation.h"

namespace rw {

// The comparison side of one re-evaluated row: its trace, every replayable
// decision point overridden by the engine's outcome. Here and not in policy/,
// so that the policy subsystem does not depend on the comparison.
CompareSide reevaluatedSide(const Workspace& ws, const WorkspaceReevaluation::Row& row, const PolicyEngine& engine);

} // namespace rw
