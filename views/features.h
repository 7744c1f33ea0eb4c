#pragma once

namespace rw {

class Workbench;

// Builds the window's features, in the order their actions appear in the
// menus. A new panel is one class taking the Workbench and one line in
// features.cpp; the shell does not change.
void installFeatures(Workbench& workbench);

} // namespace rw
