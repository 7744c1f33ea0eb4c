#pragma once

#include "app/cli/clioptions.h"

#include <ostream>

namespace rw {

// --watch FILE|DIR|- (and securight trace watch): follow the source, analyse
// each step as it arrives, print it (--format compact|full|json, --agent
// PREFIX), until Ctrl+C or the end of a stream; then save the runs still open
// as partial traces. Exit 0; 1 when a partial trace could not be written; 2
// for an invalid analysis configuration.
int runWatch(const CliOptions& options, std::ostream& out, std::ostream& err);

} // namespace rw
