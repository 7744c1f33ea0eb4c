#pragma once

#include <string>
#include <string_view>

namespace rwfuzz {

// Loads `bytes` as an audit file (one thread and several), builds every
// summary, diff and upstream JSON shape, and checks the model's invariants.
// Returns a description of the first broken invariant, or "" when all hold.
// Shared by the libFuzzer harness and tst_fuzzcorpus.
std::string checkInput(std::string_view bytes);

} // namespace rwfuzz
