#pragma once

#include "app/text/reader.h"
#include "replay/graph/graphlayout.h"

#include <string>

namespace rw {

// Why a graph was not laid out, as one lower-case clause ("layout failed:
// ..."): the CLI may point at RW_GRAPH_LAYOUT; the window says the program is
// missing from the installation and where it was expected, since its reader
// starts the program from a menu and sets no environment.
std::string layoutErrorText(const LayoutRun& run, Reader reader);

} // namespace rw
