#pragma once

// The decision tree of one trace (seed 004's dashboard, reference §3.6): the
// branches an agent considered and the one it took, as an ExecutionGraph, so
// that the DOT writer, the layout helper and GraphView draw it as they draw
// the execution graph.
//
// Run traces: a chain of steps from the run; each step hangs off its
// `parent_step_index` (default: the step before), so a step that resumes from
// an earlier one after backtracking makes the steps in between a branch
// explored, then abandoned. A step with `alternatives` is a decision point:
// each alternative is a leaf beside the step taken, from the same parent,
// muted, with its rejection reasoning and score.
// Interceptor traces: the execution plans from the agent; a plan blocked by
// policy is a leaf (policy-rejected, with the decision's reason), the next
// plan goes on from the last one that was not blocked.
// The path from the root to the last step (or plan) is the chosen one.
#include "replay/graph/executiongraph.h"

namespace rw {

struct DecisionTreeLimits
{
    std::size_t maxNodes = 100;           // steps or plans; later ones fold into one node
    std::size_t maxAlternatives = 8;      // per decision point; more are counted on the step
    std::size_t maxAlternativeBytes = 1u << 20; // an alternatives array longer than this is not read
};

ExecutionGraph buildDecisionTree(const ReplayModel& model, std::size_t trace, const DecisionTreeLimits& limits = {});

} // namespace rw
