#pragma once

#include "replay/graph/executiongraph.h"

#include <QString>

namespace rw {

// What was folded to keep a graph small enough to lay out, in words (the
// CLI's note after --graph, the graph tab, graph exports). Empty when nothing was.
QString graphFoldText(const ExecutionGraph& graph);

} // namespace rw
