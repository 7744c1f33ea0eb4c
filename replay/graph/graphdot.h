#pragma once

#include "replay/graph/executiongraph.h"

#include <string>

namespace rw {

// Graphviz DOT for an execution graph. Node ids are n0, n1, ... (no collision
// whatever the labels hold); labels are always quoted strings with `\` and `"`
// escaped, so `\N`, `\G` and friends print literally and nothing is ever an
// HTML-like label; control characters become visible symbols.
std::string toDot(const ExecutionGraph& graph);

// A label as it must appear between the quotes of a DOT string.
std::string dotEscape(std::string_view text, std::size_t maxChars = 80);

} // namespace rw
